-- no-transaction
-- The offices for suggestions and proposals (人大代表工委, 政协提案委) as roles. SQLite cannot
-- alter a CHECK constraint, so `users` is rebuilt as in 0016 (foreign keys off outside the
-- transaction, copy, drop, rename, commit). Run again after a crash, it rebuilds again.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP TABLE IF EXISTS users_new;
CREATE TABLE users_new (
    id                    INTEGER PRIMARY KEY,
    person_id             INTEGER UNIQUE REFERENCES people (id),
    username              TEXT NOT NULL UNIQUE,
    password_hash         TEXT NOT NULL,
    role                  TEXT NOT NULL CHECK (role IN ('admin', 'supervision_office', 'top_leader', 'portfolio_leader', 'unit_head', 'unit_liaison', 'section_staff', 'deputy', 'auditor', 'npc_office', 'cppcc_office')),
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
COMMIT;
PRAGMA foreign_keys = ON;
