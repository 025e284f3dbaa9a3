-- Commitments (承诺, 双承诺) and livelihood projects (民生实事) (PostgreSQL). A commitment has
-- versions; a signed version is immutable: its content columns, its linked tasks and its
-- supervisors cannot change or be deleted (triggers below), and its canonical signed JSON
-- is kept beside it with its SHA-256. Amendments are new versions.

CREATE TABLE commitments (
    id               BIGSERIAL PRIMARY KEY,
    year             BIGINT NOT NULL,
    committer_id     BIGINT NOT NULL REFERENCES people (id),
    unit_id          BIGINT REFERENCES units (id),
    state            TEXT NOT NULL DEFAULT 'drafted' CHECK (state IN ('drafted', 'under_review', 'returned', 'approved', 'published', 'fulfilling', 'under_evaluation', 'fulfilled', 'partly_fulfilled', 'not_fulfilled')),
    -- The signed version in force (the latest signed one).
    current_version_id BIGINT,
    self_report      TEXT NOT NULL DEFAULT '',
    result_score     DOUBLE PRECISION,
    created_by       BIGINT REFERENCES users (id),
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX commitments_year_idx ON commitments (year, state);
CREATE INDEX commitments_committer_idx ON commitments (committer_id);
CREATE INDEX commitments_unit_idx ON commitments (unit_id);

CREATE TABLE commitment_versions (
    id               BIGSERIAL PRIMARY KEY,
    commitment_id    BIGINT NOT NULL REFERENCES commitments (id),
    number           BIGINT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'drafted' CHECK (state IN ('drafted', 'under_review', 'returned', 'approved', 'signed')),
    title            TEXT NOT NULL,
    content          TEXT NOT NULL,
    target_text      TEXT NOT NULL,
    target_value     DOUBLE PRECISION,
    target_unit      TEXT NOT NULL DEFAULT '',
    deadline         DATE NOT NULL,
    -- Why this version replaces the previous one (empty for the first).
    reason           TEXT NOT NULL DEFAULT '',
    review_comment   TEXT NOT NULL DEFAULT '',
    signed_json      TEXT,
    signed_hash      TEXT,
    signed_at        TIMESTAMPTZ,
    signed_by        BIGINT REFERENCES users (id),
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (commitment_id, number)
);

CREATE TABLE commitment_version_tasks (
    version_id  BIGINT NOT NULL REFERENCES commitment_versions (id),
    task_id     BIGINT NOT NULL REFERENCES tasks (id),
    PRIMARY KEY (version_id, task_id)
);
CREATE INDEX commitment_version_tasks_task_idx ON commitment_version_tasks (task_id);

CREATE TABLE commitment_version_supervisors (
    version_id  BIGINT NOT NULL REFERENCES commitment_versions (id),
    person_id   BIGINT NOT NULL REFERENCES people (id),
    PRIMARY KEY (version_id, person_id)
);

CREATE FUNCTION commitment_signed_immutable() RETURNS trigger AS $$
DECLARE
    v_state TEXT;
BEGIN
    IF TG_TABLE_NAME = 'commitment_versions' THEN
        v_state := OLD.state;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT state INTO v_state FROM commitment_versions WHERE id = NEW.version_id;
    ELSE
        SELECT state INTO v_state FROM commitment_versions WHERE id = OLD.version_id;
    END IF;
    IF v_state = 'signed' THEN
        RAISE EXCEPTION 'commitment_versions_signed_immutable';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER commitment_versions_signed_immutable BEFORE UPDATE OR DELETE ON commitment_versions
FOR EACH ROW EXECUTE FUNCTION commitment_signed_immutable();
CREATE TRIGGER commitment_version_tasks_signed_immutable BEFORE INSERT OR UPDATE OR DELETE ON commitment_version_tasks
FOR EACH ROW EXECUTE FUNCTION commitment_signed_immutable();
CREATE TRIGGER commitment_version_supervisors_signed_immutable BEFORE INSERT OR UPDATE OR DELETE ON commitment_version_supervisors
FOR EACH ROW EXECUTE FUNCTION commitment_signed_immutable();

-- The timeline: every step, with the version it concerned.
CREATE TABLE commitment_events (
    id             BIGSERIAL PRIMARY KEY,
    commitment_id  BIGINT NOT NULL REFERENCES commitments (id),
    version_id     BIGINT REFERENCES commitment_versions (id),
    at             TIMESTAMPTZ NOT NULL,
    actor_id       BIGINT REFERENCES users (id),
    kind           TEXT NOT NULL,
    from_state     TEXT,
    to_state       TEXT,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX commitment_events_idx ON commitment_events (commitment_id, id);

-- 评诺: one evaluation per deputy or member (changeable); the public's are recorded by the
-- office, each its own row (evaluator_id NULL).
CREATE TABLE commitment_evaluations (
    id              BIGSERIAL PRIMARY KEY,
    commitment_id   BIGINT NOT NULL REFERENCES commitments (id),
    evaluator_id    BIGINT REFERENCES people (id),
    evaluator_kind  TEXT NOT NULL CHECK (evaluator_kind IN ('deputy', 'member', 'public')),
    verdict         TEXT NOT NULL CHECK (verdict IN ('fulfilled', 'partly_fulfilled', 'not_fulfilled')),
    score           BIGINT NOT NULL CHECK (score BETWEEN 0 AND 100),
    comment         TEXT NOT NULL DEFAULT '',
    recorded_by     BIGINT REFERENCES users (id),
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (commitment_id, evaluator_id)
);

CREATE TABLE livelihood_projects (
    id              BIGSERIAL PRIMARY KEY,
    year            BIGINT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    lead_unit_id    BIGINT REFERENCES units (id),
    -- Milestones as JSON: [{"due": "2026-06-30", "title": "…"}].
    milestones      TEXT NOT NULL DEFAULT '[]',
    voting_closed   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX livelihood_projects_year_idx ON livelihood_projects (year);

CREATE TABLE livelihood_project_tasks (
    project_id  BIGINT NOT NULL REFERENCES livelihood_projects (id),
    task_id     BIGINT NOT NULL REFERENCES tasks (id),
    PRIMARY KEY (project_id, task_id)
);

-- One vote per deputy, project and year; changed in place until voting closes.
CREATE TABLE livelihood_votes (
    project_id  BIGINT NOT NULL REFERENCES livelihood_projects (id),
    deputy_id   BIGINT NOT NULL REFERENCES people (id),
    year        BIGINT NOT NULL,
    choice      TEXT NOT NULL CHECK (choice IN ('satisfied', 'basically_satisfied', 'dissatisfied', 'abstain')),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, deputy_id, year)
);
