-- Whistle and report (吹哨报到, core::joint): a town raises a joint matter (联办) — a case
-- led by the town — naming the departments it needs. Each named department reports in (报到)
-- by naming its handler within the year's window counted in working hours; gives its
-- feedback; the town verifies and closes; then town and departments rate each other.

-- A year's working day and report-in window (core::calendar::hours).
CREATE TABLE joint_settings (
    year             BIGINT PRIMARY KEY,
    working_day      TEXT NOT NULL DEFAULT '08:30-12:00,13:30-17:30',
    report_in_hours  BIGINT NOT NULL DEFAULT 4,
    updated_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE joint_matters (
    case_id          BIGINT PRIMARY KEY REFERENCES cases (id),
    town_id          BIGINT NOT NULL REFERENCES units (id),
    year             BIGINT NOT NULL,
    raised_at        TIMESTAMPTZ NOT NULL,
    report_in_hours  BIGINT NOT NULL,
    closed_at        TIMESTAMPTZ
);
CREATE INDEX joint_matters_town_idx ON joint_matters (year, town_id);

-- A department named in a joint matter: its report-in, feedback and the ratings both ways.
CREATE TABLE joint_units (
    case_id              BIGINT NOT NULL REFERENCES joint_matters (case_id),
    unit_id              BIGINT NOT NULL REFERENCES units (id),
    report_due_at        TIMESTAMPTZ NOT NULL,
    reported_at          TIMESTAMPTZ,
    handler_id           BIGINT REFERENCES people (id),
    -- Set when the report-in came after report_due_at, or when the window passed without it.
    late                 BOOLEAN NOT NULL DEFAULT FALSE,
    -- When the job flagged the missing report-in and told the ladder (once).
    flagged_at           TIMESTAMPTZ,
    feedback             TEXT NOT NULL DEFAULT '',
    feedback_at          TIMESTAMPTZ,
    -- 块评条: the town's rating of this department.
    speed                BIGINT CHECK (speed BETWEEN 1 AND 5),
    effect               BIGINT CHECK (effect BETWEEN 1 AND 5),
    attitude             BIGINT CHECK (attitude BETWEEN 1 AND 5),
    rating_comment       TEXT NOT NULL DEFAULT '',
    rated_at             TIMESTAMPTZ,
    -- 条评块: this department's rating of the town's coordination.
    coordination         BIGINT CHECK (coordination BETWEEN 1 AND 5),
    coordination_comment TEXT NOT NULL DEFAULT '',
    coordination_at      TIMESTAMPTZ,
    PRIMARY KEY (case_id, unit_id)
);
CREATE INDEX joint_units_unit_idx ON joint_units (unit_id);
