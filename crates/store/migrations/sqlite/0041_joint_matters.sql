-- Whistle and report (吹哨报到, core::joint): a town raises a joint matter (联办) — a case
-- led by the town — naming the departments it needs. Each named department reports in (报到)
-- by naming its handler within the year's window counted in working hours; gives its
-- feedback; the town verifies and closes; then town and departments rate each other.

-- A year's working day and report-in window (core::calendar::hours).
CREATE TABLE joint_settings (
    year             INTEGER PRIMARY KEY,
    working_day      TEXT NOT NULL DEFAULT '08:30-12:00,13:30-17:30',
    report_in_hours  INTEGER NOT NULL DEFAULT 4,
    updated_at       TEXT NOT NULL
);

CREATE TABLE joint_matters (
    case_id          INTEGER PRIMARY KEY REFERENCES cases (id),
    town_id          INTEGER NOT NULL REFERENCES units (id),
    year             INTEGER NOT NULL,
    raised_at        TEXT NOT NULL,
    report_in_hours  INTEGER NOT NULL,
    closed_at        TEXT
);
CREATE INDEX joint_matters_town_idx ON joint_matters (year, town_id);

-- A department named in a joint matter: its report-in, feedback and the ratings both ways.
CREATE TABLE joint_units (
    case_id              INTEGER NOT NULL REFERENCES joint_matters (case_id),
    unit_id              INTEGER NOT NULL REFERENCES units (id),
    report_due_at        TEXT NOT NULL,
    reported_at          TEXT,
    handler_id           INTEGER REFERENCES people (id),
    -- Set when the report-in came after report_due_at, or when the window passed without it.
    late                 BOOLEAN NOT NULL DEFAULT FALSE,
    -- When the job flagged the missing report-in and told the ladder (once).
    flagged_at           TEXT,
    feedback             TEXT NOT NULL DEFAULT '',
    feedback_at          TEXT,
    -- 块评条: the town's rating of this department.
    speed                INTEGER CHECK (speed BETWEEN 1 AND 5),
    effect               INTEGER CHECK (effect BETWEEN 1 AND 5),
    attitude             INTEGER CHECK (attitude BETWEEN 1 AND 5),
    rating_comment       TEXT NOT NULL DEFAULT '',
    rated_at             TEXT,
    -- 条评块: this department's rating of the town's coordination.
    coordination         INTEGER CHECK (coordination BETWEEN 1 AND 5),
    coordination_comment TEXT NOT NULL DEFAULT '',
    coordination_at      TEXT,
    PRIMARY KEY (case_id, unit_id)
);
CREATE INDEX joint_units_unit_idx ON joint_units (unit_id);
