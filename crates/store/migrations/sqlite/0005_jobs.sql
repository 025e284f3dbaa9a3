-- Background jobs and notifications (SQLite). Instants are fixed-width UTC text.
--
-- Jobs are claimed from a table so that any number of duban processes share the work and no
-- job runs twice at once: a claim marks a job `running` with a lease (`locked_until`); a
-- process that dies leaves the lease to expire and another claims the job again.

CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY,
    -- What to run (`deliver`, `digest`, `case_step` …) and its idempotency key: enqueueing
    -- a key twice is a no-op (`case:12:remind:2026-12-01`, `digest:7:2026-12-01`).
    kind          TEXT NOT NULL,
    key           TEXT NOT NULL UNIQUE,
    due_at        TEXT NOT NULL,
    payload       TEXT NOT NULL DEFAULT '{}',
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    locked_by     TEXT,
    locked_until  TEXT,
    last_error    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    done_at       TEXT
);
CREATE INDEX jobs_claim_idx ON jobs (state, due_at);

-- Where e-mail notifications go.
ALTER TABLE people ADD COLUMN email TEXT;

-- The in-app inbox: one row per recipient. `case_id` points into cases without a foreign key
-- (notifications outlive whatever they were about). `in_digest` marks rows waiting for the
-- recipient's next daily digest e-mail.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    kind        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',
    case_id     INTEGER,
    in_digest   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TEXT NOT NULL,
    read_at     TEXT
);
CREATE INDEX notifications_person_idx ON notifications (person_id, read_at);

-- How a person wants to hear about notifications; no row = e-mail on, no digest.
CREATE TABLE notification_prefs (
    person_id   INTEGER PRIMARY KEY REFERENCES people (id),
    email       BOOLEAN NOT NULL DEFAULT TRUE,
    digest      BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at  TEXT NOT NULL
);

-- One message to send by e-mail or webhook, and what became of it. `notification_id` is
-- empty for messages about several notifications (a webhook post, a digest).
CREATE TABLE deliveries (
    id               INTEGER PRIMARY KEY,
    notification_id  INTEGER REFERENCES notifications (id),
    channel          TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    target           TEXT NOT NULL,
    payload          TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    last_status      INTEGER,
    created_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX deliveries_notification_idx ON deliveries (notification_id);
CREATE INDEX deliveries_state_idx ON deliveries (state, id);

-- Every attempt at a delivery: the HTTP or SMTP status, or the error.
CREATE TABLE delivery_attempts (
    id           INTEGER PRIMARY KEY,
    delivery_id  INTEGER NOT NULL REFERENCES deliveries (id),
    at           TEXT NOT NULL,
    status       INTEGER,
    error        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_attempts_delivery_idx ON delivery_attempts (delivery_id, id);
