-- The rates' maintained counts (core::proposals::rates::counts, store::proposals::counts).
-- The dashboard of a province-sized year cannot read every item's facts on each request, so
-- per year, kind, lead unit (0: none yet) and category it reads what the items add to each
-- count: the row with after_on = 0001-01-01 holds on every day, and each other row is the
-- change on the days after after_on (an unreplied item's deadline, an unrated reply's
-- evaluation window). The columns are core's counts by name: items, handed out, replied,
-- unrated past the window, then each measure's numerator and denominator. Every write to an
-- item's row changes them in its own transaction.
--
-- The definitions are Rust (core), so the back-fill is too: this migration only names it in
-- store_backfills, and Store::migrate runs (and removes) the back-fills named there, in one
-- transaction, right after the migrations.

CREATE TABLE proposal_rate_counts (
    year                  BIGINT NOT NULL,
    kind                  TEXT NOT NULL CHECK (kind IN ('suggestion', 'proposal')),
    lead_unit_id          BIGINT NOT NULL,
    category              TEXT NOT NULL,
    after_on              DATE NOT NULL,
    items                 BIGINT NOT NULL DEFAULT 0,
    handed_out            BIGINT NOT NULL DEFAULT 0,
    replied               BIGINT NOT NULL DEFAULT 0,
    unrated_overdue       BIGINT NOT NULL DEFAULT 0,
    on_time_num           BIGINT NOT NULL DEFAULT 0,
    on_time_den           BIGINT NOT NULL DEFAULT 0,
    satisfied_num         BIGINT NOT NULL DEFAULT 0,
    satisfied_den         BIGINT NOT NULL DEFAULT 0,
    satisfied_strict_num  BIGINT NOT NULL DEFAULT 0,
    satisfied_strict_den  BIGINT NOT NULL DEFAULT 0,
    first_satisfied_num   BIGINT NOT NULL DEFAULT 0,
    first_satisfied_den   BIGINT NOT NULL DEFAULT 0,
    solved_a_num          BIGINT NOT NULL DEFAULT 0,
    solved_a_den          BIGINT NOT NULL DEFAULT 0,
    solved_ab_num         BIGINT NOT NULL DEFAULT 0,
    solved_ab_den         BIGINT NOT NULL DEFAULT 0,
    met_num               BIGINT NOT NULL DEFAULT 0,
    met_den               BIGINT NOT NULL DEFAULT 0,
    three_contacts_num    BIGINT NOT NULL DEFAULT 0,
    three_contacts_den    BIGINT NOT NULL DEFAULT 0,
    head_num              BIGINT NOT NULL DEFAULT 0,
    head_den              BIGINT NOT NULL DEFAULT 0,
    followed_up_num       BIGINT NOT NULL DEFAULT 0,
    followed_up_den       BIGINT NOT NULL DEFAULT 0,
    unrated_num           BIGINT NOT NULL DEFAULT 0,
    unrated_den           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (year, kind, lead_unit_id, category, after_on)
);

-- Back-fills written in Rust that the next Store::migrate runs once.
CREATE TABLE store_backfills (
    name  TEXT PRIMARY KEY
);
INSERT INTO store_backfills (name) VALUES ('proposal_rate_counts');
