-- Visual tracking (PostgreSQL): progress reports per task and period with their review, indicator
-- values and timeline; the year's light rules; each task's light kept current on the task (a
-- maintained aggregate) with its reasons and forecast beside it; the light of every past period
-- per task; and the aggregates the dashboards read (trend per period, report timeliness per unit).

CREATE TABLE light_settings (
    year               BIGINT PRIMARY KEY,
    due_soon_days      BIGINT NOT NULL DEFAULT 3,
    yellow_lag_points  DOUBLE PRECISION NOT NULL DEFAULT 10,
    red_lag_points     DOUBLE PRECISION NOT NULL DEFAULT 30,
    updated_at         TIMESTAMPTZ NOT NULL
);

-- One report per task and period (core::progress::period keys: 2026-10, 2026-Q3, 2026-H1,
-- 2026, 2026-W40). Only an accepted report counts.
CREATE TABLE progress_reports (
    id             BIGSERIAL PRIMARY KEY,
    task_id        BIGINT NOT NULL REFERENCES tasks (id),
    unit_id        BIGINT NOT NULL REFERENCES units (id),
    period         TEXT NOT NULL,
    due_on         DATE NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('draft', 'unit_review', 'submitted', 'accepted', 'returned')),
    percent        DOUBLE PRECISION NOT NULL CHECK (percent BETWEEN 0 AND 100),
    no_change      BOOLEAN NOT NULL DEFAULT FALSE,
    progress_text  TEXT NOT NULL DEFAULT '',
    problems       TEXT NOT NULL DEFAULT '',
    next_steps     TEXT NOT NULL DEFAULT '',
    coordination   TEXT NOT NULL DEFAULT '',
    -- 超/达/欠进度 at submission (core::progress::schedule::Pace).
    pace           TEXT,
    author_id      BIGINT REFERENCES users (id),
    -- When it first left the author (to the unit head, or straight to the office).
    sent_at        TIMESTAMPTZ,
    approved_by    BIGINT REFERENCES users (id),
    decided_by     BIGINT REFERENCES users (id),
    decided_at     TIMESTAMPTZ,
    comment        TEXT NOT NULL DEFAULT '',
    -- Returns by the supervision office (退回, counted for assessment).
    returns        BIGINT NOT NULL DEFAULT 0,
    -- Set on acceptance: sent by the due day.
    on_time        BOOLEAN,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (task_id, period)
);
CREATE INDEX progress_reports_state_idx ON progress_reports (state, unit_id);
CREATE INDEX progress_reports_unit_idx ON progress_reports (unit_id, period);
-- A task's reports by state, newest decision first (the last accepted one pre-fills the form).
CREATE INDEX progress_reports_task_idx ON progress_reports (task_id, state, decided_at);

-- Actual value per indicator (task_indicators.position) in a report.
CREATE TABLE report_values (
    report_id  BIGINT NOT NULL REFERENCES progress_reports (id),
    position   BIGINT NOT NULL,
    value      DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (report_id, position)
);

-- A report's timeline: saved, sent, approved, sent back, accepted, returned.
CREATE TABLE report_events (
    id         BIGSERIAL PRIMARY KEY,
    report_id  BIGINT NOT NULL REFERENCES progress_reports (id),
    kind       TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    actor_id   BIGINT REFERENCES users (id),
    at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX report_events_report_idx ON report_events (report_id, id);

-- The light today, kept on the task so dashboards count a narrow table: recomputed when a
-- report is accepted, a light is set by hand, and once a day for every task (the lag grows
-- with time). `expected` is 序时进度 on `light_on`.
ALTER TABLE tasks ADD COLUMN light TEXT NOT NULL DEFAULT 'green' CHECK (light IN ('green', 'yellow', 'red'));
ALTER TABLE tasks ADD COLUMN expected DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN light_on DATE;
-- Covering: a dashboard groups a year's approved tasks by unit, campaign, kind and light from
-- the index alone.
CREATE INDEX tasks_light_idx ON tasks (year, state, lead_unit_id, campaign_id, list_kind, light, weight, progress, expected);

-- The dashboards' counts: approved tasks grouped by lead unit, campaign (0: none), list kind
-- and light with their weighted progress and 序时进度, regrouped for a unit whenever one of its
-- lights is computed (and for the year by the daily run), so a dashboard reads a few hundred
-- rows instead of every task.
CREATE TABLE light_groups (
    year          BIGINT NOT NULL,
    lead_unit_id  BIGINT NOT NULL,
    campaign_id   BIGINT NOT NULL,
    list_kind     TEXT NOT NULL,
    light         TEXT NOT NULL,
    n             BIGINT NOT NULL,
    progress_sum  DOUBLE PRECISION NOT NULL,
    expected_sum  DOUBLE PRECISION NOT NULL,
    weight_sum    DOUBLE PRECISION NOT NULL,
    below_half    BIGINT NOT NULL,
    PRIMARY KEY (year, lead_unit_id, campaign_id, list_kind, light)
);

-- Overdue and due-soon lists count from the index alone.
CREATE INDEX tasks_due_state_idx ON tasks (year, state, due_date, progress);

-- Why the light is what it is (JSON of core::progress::light reasons), the forecast, and the
-- supervision office's manual light with its reason.
CREATE TABLE task_lights (
    task_id        BIGINT PRIMARY KEY REFERENCES tasks (id),
    reasons        TEXT NOT NULL DEFAULT '[]',
    forecast_on    DATE,
    forecast_late  BOOLEAN NOT NULL DEFAULT FALSE,
    manual_light   TEXT CHECK (manual_light IN ('green', 'yellow', 'red')),
    manual_reason  TEXT NOT NULL DEFAULT '',
    manual_by      BIGINT REFERENCES users (id),
    manual_at      TIMESTAMPTZ,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX task_lights_late_idx ON task_lights (forecast_late);

-- The light of each closed period, per task; `repaired` marks a red later caught up (→ yellow).
CREATE TABLE task_light_history (
    task_id   BIGINT NOT NULL REFERENCES tasks (id),
    period    TEXT NOT NULL,
    light     TEXT NOT NULL CHECK (light IN ('green', 'yellow', 'red')),
    reasons   TEXT NOT NULL DEFAULT '[]',
    progress  DOUBLE PRECISION NOT NULL,
    expected  DOUBLE PRECISION NOT NULL,
    repaired  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (task_id, period)
);

-- The dashboards' trend: counts by light and weighted progress per closed month, unit,
-- campaign (0: none) and list kind, written when the month closes and adjusted on repair.
CREATE TABLE light_trend (
    year          BIGINT NOT NULL,
    period        TEXT NOT NULL,
    unit_id       BIGINT NOT NULL REFERENCES units (id),
    campaign_id   BIGINT NOT NULL DEFAULT 0,
    list_kind     TEXT NOT NULL,
    green         BIGINT NOT NULL DEFAULT 0,
    yellow        BIGINT NOT NULL DEFAULT 0,
    red           BIGINT NOT NULL DEFAULT 0,
    progress_sum  DOUBLE PRECISION NOT NULL DEFAULT 0,
    expected_sum  DOUBLE PRECISION NOT NULL DEFAULT 0,
    weight_sum    DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (year, period, unit_id, campaign_id, list_kind)
);

-- Report timeliness per unit and year, for the on-time ranking: kept up by acceptance,
-- returns and each period's close (missing reports).
CREATE TABLE report_stats (
    year      BIGINT NOT NULL,
    unit_id   BIGINT NOT NULL REFERENCES units (id),
    on_time   BIGINT NOT NULL DEFAULT 0,
    late      BIGINT NOT NULL DEFAULT 0,
    missing   BIGINT NOT NULL DEFAULT 0,
    returned  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (year, unit_id)
);
