-- Commitments (承诺, 双承诺) and livelihood projects (民生实事) (SQLite). A commitment has
-- versions; a signed version is immutable: its content columns, its linked tasks and its
-- supervisors cannot change or be deleted (triggers below), and its canonical signed JSON
-- is kept beside it with its SHA-256. Amendments are new versions.

CREATE TABLE commitments (
    id               INTEGER PRIMARY KEY,
    year             INTEGER NOT NULL,
    committer_id     INTEGER NOT NULL REFERENCES people (id),
    unit_id          INTEGER REFERENCES units (id),
    state            TEXT NOT NULL DEFAULT 'drafted' CHECK (state IN ('drafted', 'under_review', 'returned', 'approved', 'published', 'fulfilling', 'under_evaluation', 'fulfilled', 'partly_fulfilled', 'not_fulfilled')),
    -- The signed version in force (the latest signed one).
    current_version_id INTEGER,
    self_report      TEXT NOT NULL DEFAULT '',
    result_score     REAL,
    created_by       INTEGER REFERENCES users (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX commitments_year_idx ON commitments (year, state);
CREATE INDEX commitments_committer_idx ON commitments (committer_id);
CREATE INDEX commitments_unit_idx ON commitments (unit_id);

CREATE TABLE commitment_versions (
    id               INTEGER PRIMARY KEY,
    commitment_id    INTEGER NOT NULL REFERENCES commitments (id),
    number           INTEGER NOT NULL,
    state            TEXT NOT NULL DEFAULT 'drafted' CHECK (state IN ('drafted', 'under_review', 'returned', 'approved', 'signed')),
    title            TEXT NOT NULL,
    content          TEXT NOT NULL,
    target_text      TEXT NOT NULL,
    target_value     REAL,
    target_unit      TEXT NOT NULL DEFAULT '',
    deadline         TEXT NOT NULL,
    -- Why this version replaces the previous one (empty for the first).
    reason           TEXT NOT NULL DEFAULT '',
    review_comment   TEXT NOT NULL DEFAULT '',
    signed_json      TEXT,
    signed_hash      TEXT,
    signed_at        TEXT,
    signed_by        INTEGER REFERENCES users (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (commitment_id, number)
);

CREATE TABLE commitment_version_tasks (
    version_id  INTEGER NOT NULL REFERENCES commitment_versions (id),
    task_id     INTEGER NOT NULL REFERENCES tasks (id),
    PRIMARY KEY (version_id, task_id)
);
CREATE INDEX commitment_version_tasks_task_idx ON commitment_version_tasks (task_id);

CREATE TABLE commitment_version_supervisors (
    version_id  INTEGER NOT NULL REFERENCES commitment_versions (id),
    person_id   INTEGER NOT NULL REFERENCES people (id),
    PRIMARY KEY (version_id, person_id)
);

CREATE TRIGGER commitment_versions_signed_no_update BEFORE UPDATE ON commitment_versions
WHEN OLD.state = 'signed'
BEGIN SELECT RAISE(ABORT, 'commitment_versions_signed_immutable'); END;

CREATE TRIGGER commitment_versions_signed_no_delete BEFORE DELETE ON commitment_versions
WHEN OLD.state = 'signed'
BEGIN SELECT RAISE(ABORT, 'commitment_versions_signed_immutable'); END;

CREATE TRIGGER commitment_version_tasks_signed_no_insert BEFORE INSERT ON commitment_version_tasks
WHEN (SELECT state FROM commitment_versions WHERE id = NEW.version_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'commitment_versions_signed_immutable'); END;

CREATE TRIGGER commitment_version_tasks_signed_no_delete BEFORE DELETE ON commitment_version_tasks
WHEN (SELECT state FROM commitment_versions WHERE id = OLD.version_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'commitment_versions_signed_immutable'); END;

CREATE TRIGGER commitment_version_tasks_signed_no_update BEFORE UPDATE ON commitment_version_tasks
WHEN (SELECT state FROM commitment_versions WHERE id = OLD.version_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'commitment_versions_signed_immutable'); END;

CREATE TRIGGER commitment_version_supervisors_signed_no_insert BEFORE INSERT ON commitment_version_supervisors
WHEN (SELECT state FROM commitment_versions WHERE id = NEW.version_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'commitment_versions_signed_immutable'); END;

CREATE TRIGGER commitment_version_supervisors_signed_no_delete BEFORE DELETE ON commitment_version_supervisors
WHEN (SELECT state FROM commitment_versions WHERE id = OLD.version_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'commitment_versions_signed_immutable'); END;

CREATE TRIGGER commitment_version_supervisors_signed_no_update BEFORE UPDATE ON commitment_version_supervisors
WHEN (SELECT state FROM commitment_versions WHERE id = OLD.version_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'commitment_versions_signed_immutable'); END;

-- The timeline: every step, with the version it concerned.
CREATE TABLE commitment_events (
    id             INTEGER PRIMARY KEY,
    commitment_id  INTEGER NOT NULL REFERENCES commitments (id),
    version_id     INTEGER REFERENCES commitment_versions (id),
    at             TEXT NOT NULL,
    actor_id       INTEGER REFERENCES users (id),
    kind           TEXT NOT NULL,
    from_state     TEXT,
    to_state       TEXT,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX commitment_events_idx ON commitment_events (commitment_id, id);

-- 评诺: one evaluation per deputy or member (changeable); the public's are recorded by the
-- office, each its own row (evaluator_id NULL).
CREATE TABLE commitment_evaluations (
    id              INTEGER PRIMARY KEY,
    commitment_id   INTEGER NOT NULL REFERENCES commitments (id),
    evaluator_id    INTEGER REFERENCES people (id),
    evaluator_kind  TEXT NOT NULL CHECK (evaluator_kind IN ('deputy', 'member', 'public')),
    verdict         TEXT NOT NULL CHECK (verdict IN ('fulfilled', 'partly_fulfilled', 'not_fulfilled')),
    score           INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    comment         TEXT NOT NULL DEFAULT '',
    recorded_by     INTEGER REFERENCES users (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (commitment_id, evaluator_id)
);

CREATE TABLE livelihood_projects (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    lead_unit_id    INTEGER REFERENCES units (id),
    -- Milestones as JSON: [{"due": "2026-06-30", "title": "…"}].
    milestones      TEXT NOT NULL DEFAULT '[]',
    voting_closed   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX livelihood_projects_year_idx ON livelihood_projects (year);

CREATE TABLE livelihood_project_tasks (
    project_id  INTEGER NOT NULL REFERENCES livelihood_projects (id),
    task_id     INTEGER NOT NULL REFERENCES tasks (id),
    PRIMARY KEY (project_id, task_id)
);

-- One vote per deputy, project and year; changed in place until voting closes.
CREATE TABLE livelihood_votes (
    project_id  INTEGER NOT NULL REFERENCES livelihood_projects (id),
    deputy_id   INTEGER NOT NULL REFERENCES people (id),
    year        INTEGER NOT NULL,
    choice      TEXT NOT NULL CHECK (choice IN ('satisfied', 'basically_satisfied', 'dissatisfied', 'abstain')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (project_id, deputy_id, year)
);
