-- Background jobs and notifications (PostgreSQL). Same tables and columns as migrations/sqlite.
--
-- Jobs are claimed from a table so that any number of duban processes share the work and no
-- job runs twice at once: a claim marks a job `running` with a lease (`locked_until`); a
-- process that dies leaves the lease to expire and another claims the job again.

CREATE TABLE jobs (
    id            BIGSERIAL PRIMARY KEY,
    -- What to run (`deliver`, `digest`, `case_step` …) and its idempotency key: enqueueing
    -- a key twice is a no-op (`case:12:remind:2026-12-01`, `digest:7:2026-12-01`).
    kind          TEXT NOT NULL,
    key           TEXT NOT NULL UNIQUE,
    due_at        TIMESTAMPTZ NOT NULL,
    payload       TEXT NOT NULL DEFAULT '{}',
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
    attempts      BIGINT NOT NULL DEFAULT 0,
    locked_by     TEXT,
    locked_until  TIMESTAMPTZ,
    last_error    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    done_at       TIMESTAMPTZ
);
CREATE INDEX jobs_claim_idx ON jobs (state, due_at);

-- Where e-mail notifications go.
ALTER TABLE people ADD COLUMN email TEXT;

-- The in-app inbox: one row per recipient. `case_id` points into cases without a foreign key
-- (notifications outlive whatever they were about). `in_digest` marks rows waiting for the
-- recipient's next daily digest e-mail.
CREATE TABLE notifications (
    id          BIGSERIAL PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES people (id),
    kind        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',
    case_id     BIGINT,
    in_digest   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL,
    read_at     TIMESTAMPTZ
);
CREATE INDEX notifications_person_idx ON notifications (person_id, read_at);

-- How a person wants to hear about notifications; no row = e-mail on, no digest.
CREATE TABLE notification_prefs (
    person_id   BIGINT PRIMARY KEY REFERENCES people (id),
    email       BOOLEAN NOT NULL DEFAULT TRUE,
    digest      BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- One message to send by e-mail or webhook, and what became of it. `notification_id` is
-- empty for messages about several notifications (a webhook post, a digest).
CREATE TABLE deliveries (
    id               BIGSERIAL PRIMARY KEY,
    notification_id  BIGINT REFERENCES notifications (id),
    channel          TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    target           TEXT NOT NULL,
    payload          TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    last_status      BIGINT,
    created_at       TIMESTAMPTZ NOT NULL,
    sent_at          TIMESTAMPTZ
);
CREATE INDEX deliveries_notification_idx ON deliveries (notification_id);
CREATE INDEX deliveries_state_idx ON deliveries (state, id);

-- Every attempt at a delivery: the HTTP or SMTP status, or the error.
CREATE TABLE delivery_attempts (
    id           BIGSERIAL PRIMARY KEY,
    delivery_id  BIGINT NOT NULL REFERENCES deliveries (id),
    at           TIMESTAMPTZ NOT NULL,
    status       BIGINT,
    error        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_attempts_delivery_idx ON delivery_attempts (delivery_id, id);
