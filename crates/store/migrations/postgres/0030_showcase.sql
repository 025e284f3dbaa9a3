-- The half-year showcase (晒拼) (PostgreSQL): the event with its criteria and judge groups
-- (JSON text, fixed once the event goes live), its presenting units in running order with
-- their statements (亮点, 短板与差距), its judges (accounts, or guests who claimed a one-time
-- judge link from one device) and every judge's score card. A submitted card never changes:
-- the trigger below refuses any UPDATE or DELETE of it, whoever sends it.

CREATE TABLE showcases (
    id            BIGSERIAL PRIMARY KEY,
    title         TEXT NOT NULL,
    held_on       DATE NOT NULL,
    half_year     TEXT NOT NULL,
    minutes       BIGINT NOT NULL CHECK (minutes BETWEEN 1 AND 60),
    trim_cards    BOOLEAN NOT NULL,
    -- [{"name": "工作实绩", "weight": 40}, …], weights summing to 100.
    criteria      TEXT NOT NULL,
    -- [{"name": "市领导", "weight": 60 | null}, …]; cards name a group by its index.
    judge_groups  TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'live', 'locked', 'published')),
    created_by    BIGINT REFERENCES users (id),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX showcases_half_year_idx ON showcases (half_year);

CREATE TABLE showcase_presenters (
    id            BIGSERIAL PRIMARY KEY,
    showcase_id   BIGINT NOT NULL REFERENCES showcases (id),
    unit_id       BIGINT NOT NULL REFERENCES units (id),
    group_name    TEXT NOT NULL,
    position      BIGINT NOT NULL,
    scoring       TEXT NOT NULL DEFAULT 'waiting' CHECK (scoring IN ('waiting', 'open', 'closed')),
    highlights    TEXT NOT NULL DEFAULT '',
    shortfalls    TEXT NOT NULL DEFAULT '',
    statement_at  TIMESTAMPTZ,
    UNIQUE (showcase_id, unit_id),
    UNIQUE (showcase_id, position)
);

CREATE TABLE showcase_judges (
    id            BIGSERIAL PRIMARY KEY,
    showcase_id   BIGINT NOT NULL REFERENCES showcases (id),
    judge_group   BIGINT NOT NULL CHECK (judge_group >= 0),
    name          TEXT NOT NULL,
    -- A signed-in judge's account and home unit (never scores it).
    user_id       BIGINT REFERENCES users (id),
    unit_id       BIGINT REFERENCES units (id),
    -- A guest judge link: the SHA-256 of its token; the device that claimed it (SHA-256 of
    -- the device cookie) and when.
    link_hash     TEXT UNIQUE,
    device_hash   TEXT,
    claimed_at    TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (showcase_id, user_id),
    CHECK ((user_id IS NULL) <> (link_hash IS NULL))
);

CREATE TABLE showcase_cards (
    id            BIGSERIAL PRIMARY KEY,
    showcase_id   BIGINT NOT NULL REFERENCES showcases (id),
    presenter_id  BIGINT NOT NULL REFERENCES showcase_presenters (id),
    judge_id      BIGINT NOT NULL REFERENCES showcase_judges (id),
    -- One whole-number score 0–100 per criterion, in the event's order: [90, 85, 70, 88].
    scores        TEXT NOT NULL,
    -- Σ score × weight, in hundredths of a point.
    total         BIGINT NOT NULL CHECK (total BETWEEN 0 AND 10000),
    submitted_at  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (presenter_id, judge_id)
);
CREATE INDEX showcase_cards_showcase_idx ON showcase_cards (showcase_id, submitted_at);

CREATE FUNCTION showcase_card_submitted_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.submitted_at IS NOT NULL THEN
        RAISE EXCEPTION 'showcase_card_submitted';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER showcase_cards_submitted_immutable BEFORE UPDATE OR DELETE ON showcase_cards
FOR EACH ROW EXECUTE FUNCTION showcase_card_submitted_immutable();
