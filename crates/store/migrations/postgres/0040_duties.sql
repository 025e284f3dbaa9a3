-- The territorial duty list (属地管理事项责任清单, core::duties): per matter, its field, the
-- town's and the department's duty, the responsible department, the legal basis and the
-- dates it is valid. Kept by the supervision office; read by everyone signed in.
CREATE TABLE duties (
    id               BIGSERIAL PRIMARY KEY,
    matter           TEXT NOT NULL,
    field            TEXT NOT NULL DEFAULT '',
    town_duty        TEXT NOT NULL DEFAULT '',
    department_duty  TEXT NOT NULL DEFAULT '',
    department_id    BIGINT NOT NULL REFERENCES units (id),
    legal_basis      TEXT NOT NULL DEFAULT '',
    valid_from       DATE,
    valid_to         DATE,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX duties_department_idx ON duties (department_id);
