-- no-transaction
-- 审计员 (auditor): a read-only role that sees everything and writes nothing.
-- SQLite cannot alter a CHECK constraint, so `users` is rebuilt (sqlite.org/lang_altertable.html,
-- "making other kinds of table schema changes"): foreign keys off outside the transaction,
-- copy, drop, rename, commit. Other tables keep `REFERENCES users`,
-- which names the rebuilt table once it is renamed. Run again after a crash, it rebuilds again.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP TABLE IF EXISTS users_new;
CREATE TABLE users_new (
    id                    INTEGER PRIMARY KEY,
    person_id             INTEGER UNIQUE REFERENCES people (id),
    username              TEXT NOT NULL UNIQUE,
    password_hash         TEXT NOT NULL,
    role                  TEXT NOT NULL CHECK (role IN ('admin', 'supervision_office', 'top_leader', 'portfolio_leader', 'unit_head', 'unit_liaison', 'section_staff', 'deputy', 'auditor')),
    active                BOOLEAN NOT NULL DEFAULT TRUE,
    must_change_password  BOOLEAN NOT NULL DEFAULT FALSE,
    locale                TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    last_login_at         TEXT
);
INSERT INTO users_new (id, person_id, username, password_hash, role, active, must_change_password, locale, created_at, updated_at, last_login_at)
    SELECT id, person_id, username, password_hash, role, active, must_change_password, locale, created_at, updated_at, last_login_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
-- The auditor's ledger filters by actor and by time: without these a filter matching few
-- entries reads the whole ledger.
CREATE INDEX IF NOT EXISTS ledger_actor_idx ON ledger (actor_id, seq);
CREATE INDEX IF NOT EXISTS ledger_at_idx ON ledger (at_us);
COMMIT;
PRAGMA foreign_keys = ON;
