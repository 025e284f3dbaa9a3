-- Assessment (督考): a year's scheme in versions, score events drawn from facts, the totals
-- kept per period, unit and module, manual events (four eyes) and appeals. Events are
-- appended, never edited or deleted: an appeal granted appends a reversing event.

-- A version of a year's scheme (core::assessment::scheme::Scheme as JSON), in force from a
-- day until the next version's day. Never updated: a change adopts a new version.
CREATE TABLE assessment_schemes (
    id             BIGSERIAL PRIMARY KEY,
    year           BIGINT NOT NULL,
    version        BIGINT NOT NULL,
    body           TEXT NOT NULL,
    in_force_from  DATE NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    adopted_by     BIGINT REFERENCES users (id),
    adopted_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (year, version)
);

-- One scored fact. `source_kind`/`source_id`/`source_ref` point at what it is about (a report,
-- a task and month, a case, an escalation step, a commitment, a manual proposal, or the event
-- a reversal cancels); the unique key makes harvesting idempotent. `points` were given by the
-- scheme version in force on `day`; `ledger_seq` is the ledger entry that recorded it.
CREATE TABLE score_events (
    id              BIGSERIAL PRIMARY KEY,
    year            BIGINT NOT NULL,
    day             DATE NOT NULL,
    unit_id         BIGINT NOT NULL REFERENCES units (id),
    kind            TEXT NOT NULL,
    part            TEXT NOT NULL CHECK (part IN ('lead', 'co')),
    module          TEXT NOT NULL,
    points          BIGINT NOT NULL,
    scheme_version  BIGINT NOT NULL,
    source_kind     TEXT NOT NULL CHECK (source_kind IN ('report', 'task', 'task_month', 'case', 'case_step', 'commitment', 'manual', 'reversal')),
    source_id       BIGINT NOT NULL,
    source_ref      TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL DEFAULT '',
    -- Where the source is read (/cases/12, /reports/40), for the unit's list of points.
    href            TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    reverses        BIGINT REFERENCES score_events (id),
    ledger_seq      BIGINT,
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (kind, source_kind, source_id, source_ref, unit_id)
);
CREATE INDEX score_events_unit_idx ON score_events (unit_id, day);
CREATE INDEX score_events_year_idx ON score_events (year, day);
CREATE INDEX score_events_reverses_idx ON score_events (reverses);

-- Sums of points per period key (2026-10, 2026-Q3, 2026-H2, 2026), unit and module,
-- maintained in the transaction that appends the events; rebuilt from the events on demand.
CREATE TABLE score_totals (
    year     BIGINT NOT NULL,
    period   TEXT NOT NULL,
    unit_id  BIGINT NOT NULL REFERENCES units (id),
    module   TEXT NOT NULL,
    points   BIGINT NOT NULL DEFAULT 0,
    events   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (period, unit_id, module)
);
CREATE INDEX score_totals_year_idx ON score_totals (year, unit_id);

-- A manual event (领导批示肯定, 通报批评, 弄虚作假) proposed by one officer and decided by
-- another; approval appends the event.
CREATE TABLE score_proposals (
    id             BIGSERIAL PRIMARY KEY,
    year           BIGINT NOT NULL,
    unit_id        BIGINT NOT NULL REFERENCES units (id),
    kind           TEXT NOT NULL,
    part           TEXT NOT NULL CHECK (part IN ('lead', 'co')),
    day            DATE NOT NULL,
    reason         TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'proposed' CHECK (state IN ('proposed', 'approved', 'rejected')),
    proposed_by    BIGINT NOT NULL REFERENCES users (id),
    proposed_at    TIMESTAMPTZ NOT NULL,
    decided_by     BIGINT REFERENCES users (id),
    decided_at     TIMESTAMPTZ,
    decision_note  TEXT NOT NULL DEFAULT '',
    event_id       BIGINT REFERENCES score_events (id)
);
CREATE INDEX score_proposals_state_idx ON score_proposals (state, year);

-- 申诉: a unit's objection to one event, and the office's decision. Granted appends a
-- reversing event; refused leaves the event standing. Both texts stay.
CREATE TABLE score_appeals (
    id             BIGSERIAL PRIMARY KEY,
    event_id       BIGINT NOT NULL UNIQUE REFERENCES score_events (id),
    unit_id        BIGINT NOT NULL REFERENCES units (id),
    reason         TEXT NOT NULL,
    evidence       TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL DEFAULT 'filed' CHECK (state IN ('filed', 'granted', 'refused')),
    filed_by       BIGINT NOT NULL REFERENCES users (id),
    filed_at       TIMESTAMPTZ NOT NULL,
    decided_by     BIGINT REFERENCES users (id),
    decided_at     TIMESTAMPTZ,
    decision_note  TEXT NOT NULL DEFAULT '',
    reversal_id    BIGINT REFERENCES score_events (id)
);
CREATE INDEX score_appeals_state_idx ON score_appeals (state, unit_id);
