-- no-transaction
-- Score events drawn from suggestions and proposals (建议提案办理) and from published
-- showcase results (晒拼): two more source kinds. SQLite cannot alter a CHECK constraint, so
-- `score_events` is rebuilt as 0016 rebuilt `users` (sqlite.org/lang_altertable.html): foreign
-- keys off outside the transaction, copy, drop, rename, indexes again, commit. Tables that
-- reference `score_events` name the rebuilt table once it is renamed.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP TABLE IF EXISTS score_events_new;
CREATE TABLE score_events_new (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL,
    day             TEXT NOT NULL,
    unit_id         INTEGER NOT NULL REFERENCES units (id),
    kind            TEXT NOT NULL,
    part            TEXT NOT NULL CHECK (part IN ('lead', 'co')),
    module          TEXT NOT NULL,
    points          INTEGER NOT NULL,
    scheme_version  INTEGER NOT NULL,
    source_kind     TEXT NOT NULL CHECK (source_kind IN ('report', 'task', 'task_month', 'case', 'case_step', 'commitment', 'proposal', 'showcase', 'manual', 'reversal')),
    source_id       INTEGER NOT NULL,
    source_ref      TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL DEFAULT '',
    -- Where the source is read (/cases/12, /reports/40), for the unit's list of points.
    href            TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    reverses        INTEGER REFERENCES score_events (id),
    ledger_seq      INTEGER,
    created_at      TEXT NOT NULL,
    UNIQUE (kind, source_kind, source_id, source_ref, unit_id)
);
INSERT INTO score_events_new (id, year, day, unit_id, kind, part, module, points, scheme_version,
        source_kind, source_id, source_ref, title, href, reason, reverses, ledger_seq, created_at)
    SELECT id, year, day, unit_id, kind, part, module, points, scheme_version, source_kind,
        source_id, source_ref, title, href, reason, reverses, ledger_seq, created_at
    FROM score_events;
DROP TABLE score_events;
ALTER TABLE score_events_new RENAME TO score_events;
CREATE INDEX score_events_unit_idx ON score_events (unit_id, day);
CREATE INDEX score_events_year_idx ON score_events (year, day);
CREATE INDEX score_events_reverses_idx ON score_events (reverses);
COMMIT;
PRAGMA foreign_keys = ON;
