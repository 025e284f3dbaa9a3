-- The closed loop (PostgreSQL): cases (督办事项 / 问题) with their units, linked tasks and
-- timeline, the year's deadline windows and escalation ladder, escalation steps taken,
-- generated notices (督办单) and meetings whose decisions became cases.

-- A year's windows and ladder (core::cases::ladder::Ladder); NULL switches a rung off.
CREATE TABLE case_settings (
    year                      BIGINT PRIMARY KEY,
    ack_rule                  TEXT NOT NULL DEFAULT '2wd',
    return_rule               TEXT NOT NULL DEFAULT '5wd',
    -- How often an ongoing or deferred case reports (续报), as a period rule.
    report_rule               TEXT NOT NULL DEFAULT '1m',
    due_soon_workdays         BIGINT NOT NULL DEFAULT 3,
    remind_days_before        BIGINT DEFAULT 3,
    urge_days_after           BIGINT DEFAULT 1,
    notice_workdays_after     BIGINT DEFAULT 5,
    bulletin_workdays_after   BIGINT DEFAULT 10,
    interview_workdays_after  BIGINT DEFAULT 15,
    updated_at                TIMESTAMPTZ NOT NULL
);

CREATE TABLE meetings (
    id           BIGSERIAL PRIMARY KEY,
    year         BIGINT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('daily', 'weekly', 'other')),
    held_on      DATE NOT NULL,
    title        TEXT NOT NULL,
    chair_id     BIGINT REFERENCES people (id),
    notes        TEXT NOT NULL DEFAULT '',
    created_by   BIGINT REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX meetings_year_idx ON meetings (year, held_on);

CREATE TABLE cases (
    id               BIGSERIAL PRIMARY KEY,
    year             BIGINT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('item', 'problem')),
    source           TEXT NOT NULL CHECK (source IN ('instruction', 'meeting', 'inspection', 'task_force', 'hotline', 'deputy', 'public')),
    title            TEXT NOT NULL,
    content          TEXT NOT NULL DEFAULT '',
    category         TEXT NOT NULL DEFAULT '',
    urgency          TEXT NOT NULL DEFAULT 'normal' CHECK (urgency IN ('urgent', 'normal')),
    found_on         DATE NOT NULL,
    state            TEXT NOT NULL DEFAULT 'registered' CHECK (state IN ('registered', 'assigned', 'return_requested', 'handling', 'completion_claimed', 'ongoing_proposed', 'ongoing', 'defer_proposed', 'deferred', 'closed_out', 'suspended')),
    -- The state a suspended case resumes in.
    suspended_from   TEXT,
    lead_unit_id     BIGINT REFERENCES units (id),
    -- The portfolio leader (分管领导) answerable for it, copied on reminders.
    leader_id        BIGINT REFERENCES people (id),
    -- Dispatched inside the lead unit (to a section and/or a person).
    section_id       BIGINT REFERENCES sections (id),
    handler_id       BIGINT REFERENCES people (id),
    -- The deadline as a rule (core::cases::deadline), its start and the date it gives.
    deadline_rule    TEXT,
    deadline_from    DATE,
    due_on           DATE,
    ack_due_on       DATE,
    return_due_on    DATE,
    -- 挂账: the date the unit plans to solve it by.
    plan_on          DATE,
    -- 常态落实 / 挂账: the next periodic 续报 is due by this day.
    report_due_on    DATE,
    -- Who raised it (a deputy or a member of the public with an account) and their rating.
    raised_by        BIGINT REFERENCES people (id),
    rating           TEXT CHECK (rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    reopened_from    BIGINT REFERENCES cases (id),
    meeting_id       BIGINT REFERENCES meetings (id),
    measures         TEXT NOT NULL DEFAULT '',
    progress_note    TEXT NOT NULL DEFAULT '',
    evidence_note    TEXT NOT NULL DEFAULT '',
    verifier_id      BIGINT REFERENCES people (id),
    closed_on        DATE,
    created_by       BIGINT REFERENCES users (id),
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX cases_year_state_idx ON cases (year, state);
CREATE INDEX cases_lead_idx ON cases (lead_unit_id, state);
CREATE INDEX cases_due_idx ON cases (state, due_on);
CREATE INDEX cases_raised_idx ON cases (raised_by);
CREATE INDEX cases_handler_idx ON cases (handler_id);
CREATE INDEX cases_meeting_idx ON cases (meeting_id);

-- Co-units (配合) and split units (分办) of a case, with a co-unit's opinion to the lead.
CREATE TABLE case_units (
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    unit_id     BIGINT NOT NULL REFERENCES units (id),
    role        TEXT NOT NULL CHECK (role IN ('co', 'split')),
    opinion     TEXT NOT NULL DEFAULT '',
    opinion_at  TIMESTAMPTZ,
    PRIMARY KEY (case_id, unit_id)
);
CREATE INDEX case_units_unit_idx ON case_units (unit_id);

CREATE TABLE case_tasks (
    case_id  BIGINT NOT NULL REFERENCES cases (id),
    task_id  BIGINT NOT NULL REFERENCES tasks (id),
    PRIMARY KEY (case_id, task_id)
);

-- The timeline: every step taken on a case, by whom, from which state to which.
CREATE TABLE case_events (
    id          BIGSERIAL PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    at          TIMESTAMPTZ NOT NULL,
    actor_id    BIGINT REFERENCES users (id),
    kind        TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT,
    note        TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);

-- Escalation steps taken (core::cases::ladder::Step), at most one per step and deadline.
CREATE TABLE case_steps (
    id        BIGSERIAL PRIMARY KEY,
    case_id   BIGINT NOT NULL REFERENCES cases (id),
    step      TEXT NOT NULL CHECK (step IN ('remind', 'urge', 'notice', 'bulletin', 'interview')),
    due_on    DATE NOT NULL,
    taken_on  DATE NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    UNIQUE (case_id, step, due_on)
);
CREATE INDEX case_steps_taken_idx ON case_steps (taken_on);

-- Generated documents (督办单 / 催办通知书) kept as issued.
CREATE TABLE case_documents (
    id          BIGSERIAL PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    step_id     BIGINT REFERENCES case_steps (id),
    number      TEXT NOT NULL UNIQUE,
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    bytes       BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_documents_case_idx ON case_documents (case_id);

-- Numbers of issued documents per series (永督〔2026〕): incremented in the issuing
-- transaction, so processes issuing at the same time wait for each other instead of both
-- taking the same number.
CREATE TABLE document_counters (
    series  TEXT PRIMARY KEY,
    last    BIGINT NOT NULL
);
