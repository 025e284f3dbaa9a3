-- The organisation, accounts, sessions and the audit ledger (PostgreSQL).
-- Same tables, columns and names as migrations/sqlite; a test compares the two.

CREATE TABLE units (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('leadership', 'department', 'town', 'command_hq', 'task_force', 'supervision_office')),
    parent_id   BIGINT REFERENCES units (id),
    sort_order  BIGINT NOT NULL DEFAULT 0,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX units_kind_idx ON units (kind, sort_order);

CREATE TABLE sections (
    id          BIGSERIAL PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES units (id),
    name        TEXT NOT NULL,
    sort_order  BIGINT NOT NULL DEFAULT 0,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (unit_id, name)
);

CREATE TABLE posts (
    id          BIGSERIAL PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES units (id),
    section_id  BIGINT REFERENCES sections (id),
    name        TEXT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX posts_unit_idx ON posts (unit_id);

CREATE TABLE people (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    mobile      TEXT UNIQUE,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- A person's place in a unit. The primary membership is the home unit; memberships in task
-- forces and command HQs widen scope. Ended memberships keep their history.
CREATE TABLE memberships (
    id          BIGSERIAL PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES people (id),
    unit_id     BIGINT NOT NULL REFERENCES units (id),
    section_id  BIGINT REFERENCES sections (id),
    post_id     BIGINT REFERENCES posts (id),
    is_primary  BOOLEAN NOT NULL,
    valid_from  DATE NOT NULL,
    valid_to    DATE,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX memberships_person_idx ON memberships (person_id);
CREATE INDEX memberships_unit_idx ON memberships (unit_id);
CREATE UNIQUE INDEX memberships_one_open_primary ON memberships (person_id) WHERE is_primary AND valid_to IS NULL;

-- 分管: a leader supervises a unit from valid_from to valid_to (inclusive; NULL = open).
CREATE TABLE portfolios (
    id          BIGSERIAL PRIMARY KEY,
    leader_id   BIGINT NOT NULL REFERENCES people (id),
    unit_id     BIGINT NOT NULL REFERENCES units (id),
    valid_from  DATE NOT NULL,
    valid_to    DATE,
    created_at  TIMESTAMPTZ NOT NULL,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX portfolios_leader_idx ON portfolios (leader_id);
CREATE INDEX portfolios_unit_idx ON portfolios (unit_id);

-- 攻坚行动: the year's campaigns (grown by the lists issue).
CREATE TABLE campaigns (
    id              BIGSERIAL PRIMARY KEY,
    year            BIGINT NOT NULL,
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    lead_leader_id  BIGINT REFERENCES people (id),
    task_force_id   BIGINT REFERENCES units (id),
    command_hq_id   BIGINT REFERENCES units (id),
    sort_order      BIGINT NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (year, code)
);

CREATE TABLE users (
    id                    BIGSERIAL PRIMARY KEY,
    person_id             BIGINT UNIQUE REFERENCES people (id),
    username              TEXT NOT NULL UNIQUE,
    password_hash         TEXT NOT NULL,
    role                  TEXT NOT NULL CHECK (role IN ('admin', 'supervision_office', 'top_leader', 'portfolio_leader', 'unit_head', 'unit_liaison', 'section_staff', 'deputy')),
    active                BOOLEAN NOT NULL DEFAULT TRUE,
    must_change_password  BOOLEAN NOT NULL DEFAULT FALSE,
    locale                TEXT,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    last_login_at         TIMESTAMPTZ
);

-- Server-side sessions; the cookie holds a random token, the table only its SHA-256.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id            BIGSERIAL PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Failed sign-ins, for throttling per account and per address across processes.
CREATE TABLE login_failures (
    id       BIGSERIAL PRIMARY KEY,
    account  TEXT NOT NULL,
    address  TEXT NOT NULL,
    at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_account_idx ON login_failures (account, at);
CREATE INDEX login_failures_address_idx ON login_failures (address, at);

-- The audit ledger: append-only, each entry's hash chains to the previous one.
CREATE TABLE ledger (
    seq          BIGINT PRIMARY KEY,
    at_us        BIGINT NOT NULL,
    actor_id     BIGINT,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    BIGINT,
    before_json  TEXT NOT NULL,
    after_json   TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX ledger_object_idx ON ledger (object_type, object_id);

-- The chain head; writers lock this row, so entries get gap-free sequence numbers.
CREATE TABLE ledger_head (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
