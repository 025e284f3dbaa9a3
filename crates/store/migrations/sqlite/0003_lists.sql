-- The four lists (SQLite): the year's set-up, tasks with their units, indicators and
-- milestones, review events, change requests, field history and name aliases for imports.

-- A year's set-up: which list kinds are in use and how often tasks report.
CREATE TABLE plan_years (
    year            INTEGER PRIMARY KEY,
    list_kinds      TEXT NOT NULL DEFAULT 'work,project,policy,responsibility',
    report_cadence  TEXT NOT NULL DEFAULT 'monthly' CHECK (report_cadence IN ('weekly', 'monthly', 'quarterly', 'half_yearly', 'yearly')),
    report_day      INTEGER NOT NULL DEFAULT 28 CHECK (report_day BETWEEN 1 AND 31),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE tasks (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL,
    campaign_id     INTEGER REFERENCES campaigns (id),
    list_kind       TEXT NOT NULL CHECK (list_kind IN ('work', 'project', 'policy', 'responsibility')),
    parent_id       INTEGER REFERENCES tasks (id),
    depth           INTEGER NOT NULL DEFAULT 0,
    -- 序号 inside the lead unit's list as a dotted path (1, 1.2, 1.2.3) and its sortable form.
    path            TEXT NOT NULL,
    sort_key        TEXT NOT NULL,
    title           TEXT NOT NULL,
    content         TEXT NOT NULL DEFAULT '',
    lead_leader_id  INTEGER REFERENCES people (id),
    lead_unit_id    INTEGER NOT NULL REFERENCES units (id),
    section_id      INTEGER REFERENCES sections (id),
    post_id         INTEGER REFERENCES posts (id),
    person_id       INTEGER REFERENCES people (id),
    due_date        TEXT,
    cadence         TEXT CHECK (cadence IN ('weekly', 'monthly', 'quarterly', 'half_yearly', 'yearly')),
    weight          REAL NOT NULL DEFAULT 1,
    state           TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'returned', 'approved')),
    review_comment  TEXT NOT NULL DEFAULT '',
    -- Latest accepted progress 0–100, maintained when a report is accepted.
    progress        REAL NOT NULL DEFAULT 0,
    remark          TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK ((due_date IS NULL) <> (cadence IS NULL)),
    UNIQUE (year, lead_unit_id, path)
);
CREATE INDEX tasks_list_idx ON tasks (year, lead_unit_id, sort_key);
CREATE INDEX tasks_campaign_idx ON tasks (campaign_id, list_kind);
CREATE INDEX tasks_parent_idx ON tasks (parent_id);
CREATE INDEX tasks_leader_idx ON tasks (lead_leader_id);
CREATE INDEX tasks_person_idx ON tasks (person_id);
CREATE INDEX tasks_due_idx ON tasks (year, due_date);
CREATE INDEX tasks_state_idx ON tasks (year, state);

-- The approved baseline (JSON, core::lists::baseline::Baseline), frozen at the first approval;
-- kept apart from the tasks so that lists read a narrow table.
CREATE TABLE task_baselines (
    task_id      INTEGER PRIMARY KEY REFERENCES tasks (id),
    baseline     TEXT NOT NULL,
    approved_at  TEXT NOT NULL
);

-- Assignments: the lead unit and the co-units (配合单位) of a task.
CREATE TABLE task_units (
    task_id     INTEGER NOT NULL REFERENCES tasks (id),
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    role        TEXT NOT NULL CHECK (role IN ('lead', 'co')),
    position    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX task_units_unit_idx ON task_units (unit_id, task_id);

-- 量化指标: target value and unit; `actual` is the latest accepted value.
CREATE TABLE task_indicators (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks (id),
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    target      REAL NOT NULL,
    unit        TEXT NOT NULL,
    actual      REAL,
    UNIQUE (task_id, position)
);

-- 节点: dated intermediate targets; `target_values` is a JSON array, one per indicator.
CREATE TABLE task_milestones (
    id             INTEGER PRIMARY KEY,
    task_id        INTEGER NOT NULL REFERENCES tasks (id),
    position       INTEGER NOT NULL,
    due_date       TEXT NOT NULL,
    target_text    TEXT NOT NULL,
    target_values  TEXT NOT NULL DEFAULT '[]',
    UNIQUE (task_id, position)
);
CREATE INDEX task_milestones_due_idx ON task_milestones (due_date);

-- The task's timeline: submitted, approved, returned (with comment), change requested …
CREATE TABLE task_events (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks (id),
    kind        TEXT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    actor_id    INTEGER REFERENCES users (id),
    at          TEXT NOT NULL
);
CREATE INDEX task_events_task_idx ON task_events (task_id, id);

-- 调整申请: proposed baseline (JSON) and the field changes it makes.
CREATE TABLE task_changes (
    id             INTEGER PRIMARY KEY,
    task_id        INTEGER NOT NULL REFERENCES tasks (id),
    state          TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'withdrawn')),
    reason         TEXT NOT NULL,
    proposed       TEXT NOT NULL,
    changes        TEXT NOT NULL,
    proposed_by    INTEGER REFERENCES users (id),
    proposed_at    TEXT NOT NULL,
    decided_by     INTEGER REFERENCES users (id),
    decided_at     TEXT,
    decision_note  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX task_changes_task_idx ON task_changes (task_id, id);
CREATE UNIQUE INDEX task_changes_one_pending ON task_changes (task_id) WHERE state = 'pending';
CREATE INDEX task_changes_state_idx ON task_changes (state);

-- Each field's history after approval: one row per changed field of an approved change.
CREATE TABLE task_history (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks (id),
    field       TEXT NOT NULL,
    before      TEXT NOT NULL,
    after       TEXT NOT NULL,
    change_id   INTEGER REFERENCES task_changes (id),
    actor_id    INTEGER REFERENCES users (id),
    at          TEXT NOT NULL
);
CREATE INDEX task_history_task_idx ON task_history (task_id, id);

-- Names as people write them (经信局, 张副市长), normalised by core::lists::names.
CREATE TABLE unit_aliases (
    alias       TEXT PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    created_at  TEXT NOT NULL
);
CREATE TABLE person_aliases (
    alias       TEXT PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    created_at  TEXT NOT NULL
);

-- An uploaded sheet between its preview and its commit (any process may serve the commit).
CREATE TABLE import_uploads (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER REFERENCES users (id),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    year        INTEGER NOT NULL,
    list_kind   TEXT,
    committed   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TEXT NOT NULL
);
