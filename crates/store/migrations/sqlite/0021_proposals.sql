-- Suggestions and proposals (人大代表建议 · 政协提案, core::proposals): the items with their
-- co-signers and units, contacts with the proposer (三个一), replies with their countersigns,
-- the proposers' ratings, follow-ups (续报), the timeline and a year's windows.

-- A year's windows (core::proposals::settings::Settings), as deadline rules.
CREATE TABLE proposal_settings (
    year                    INTEGER PRIMARY KEY,
    reply_rule              TEXT NOT NULL,
    extension_max_rule      TEXT NOT NULL,
    adjustment_rule         TEXT NOT NULL,
    co_opinion_rule         TEXT NOT NULL,
    evaluation_deputy_rule  TEXT NOT NULL,
    evaluation_member_rule  TEXT NOT NULL,
    rehandling_rule         TEXT NOT NULL,
    follow_up_rule          TEXT NOT NULL,
    -- The classes in use, e.g. 'ABCD'.
    classes                 TEXT NOT NULL,
    co_signers_rate         BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at              TEXT NOT NULL
);

CREATE TABLE proposals (
    id                  INTEGER PRIMARY KEY,
    year                INTEGER NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('suggestion', 'proposal')),
    seq                 INTEGER NOT NULL,
    -- 建议号 / 提案号 as printed (J2026-068).
    number              TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL,
    content             TEXT NOT NULL DEFAULT '',
    proposer_id         INTEGER NOT NULL REFERENCES people (id),
    -- 代表团 / 界别
    group_name          TEXT NOT NULL DEFAULT '',
    category            TEXT NOT NULL DEFAULT '',
    key_item            BOOLEAN NOT NULL DEFAULT FALSE,
    leader_id           INTEGER REFERENCES people (id),
    state               TEXT NOT NULL CHECK (state IN ('submitted', 'registered', 'rejected', 'merged', 'withdrawn', 'handed_out', 'adjustment_requested', 'signed_in', 'handling', 'reply_drafted', 'reply_reviewed', 'replied', 're_handling', 'follow_up_owed', 'closed')),
    reject_reason       TEXT,
    reject_note         TEXT NOT NULL DEFAULT '',
    merged_into         INTEGER REFERENCES proposals (id),
    lead_unit_id        INTEGER REFERENCES units (id),
    handed_out_on       TEXT,
    reply_rule          TEXT,
    -- The deadline the hand-out gave, and the one in force (an approved extension moves it).
    original_due_on     TEXT,
    reply_due_on        TEXT,
    extension_reason    TEXT NOT NULL DEFAULT '',
    adjustment_ends_on  TEXT,
    adjustment_reason   TEXT NOT NULL DEFAULT '',
    co_opinion_due_on   TEXT,
    -- 1 for the first reply, 2 after a 不满意 …
    round               INTEGER NOT NULL DEFAULT 1,
    rehandling_due_on   TEXT,
    follow_up_due_on    TEXT,
    -- The facts the rates read (core::proposals::rates::Facts), kept by every step.
    first_replied_on    TEXT,
    class               TEXT CHECK (class IN ('A', 'B', 'C', 'D')),
    solved              BOOLEAN NOT NULL DEFAULT FALSE,
    follow_ups          INTEGER NOT NULL DEFAULT 0,
    first_rating        TEXT CHECK (first_rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    rating              TEXT CHECK (rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    rating_pending      BOOLEAN NOT NULL DEFAULT FALSE,
    evaluation_due_on   TEXT,
    reported            BOOLEAN NOT NULL DEFAULT FALSE,
    site                BOOLEAN NOT NULL DEFAULT FALSE,
    revisit             BOOLEAN NOT NULL DEFAULT FALSE,
    face_to_face        BOOLEAN NOT NULL DEFAULT FALSE,
    head                BOOLEAN NOT NULL DEFAULT FALSE,
    created_by          INTEGER REFERENCES users (id),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (kind, year, seq)
);
CREATE INDEX proposals_year_idx ON proposals (year, kind, state);
CREATE INDEX proposals_lead_idx ON proposals (lead_unit_id);
CREATE INDEX proposals_proposer_idx ON proposals (proposer_id);

-- 联名人
CREATE TABLE proposal_cosigners (
    proposal_id  INTEGER NOT NULL REFERENCES proposals (id),
    person_id    INTEGER NOT NULL REFERENCES people (id),
    PRIMARY KEY (proposal_id, person_id)
);
CREATE INDEX proposal_cosigners_person_idx ON proposal_cosigners (person_id);

-- Co-units (协办, with their opinion to the lead) and split units (分办).
CREATE TABLE proposal_units (
    proposal_id  INTEGER NOT NULL REFERENCES proposals (id),
    unit_id      INTEGER NOT NULL REFERENCES units (id),
    role         TEXT NOT NULL CHECK (role IN ('co', 'split')),
    opinion      TEXT NOT NULL DEFAULT '',
    opinion_at   TEXT,
    PRIMARY KEY (proposal_id, unit_id)
);
CREATE INDEX proposal_units_unit_idx ON proposal_units (unit_id);

-- 三个一: 报到 (before), 现场 (during), 回访 (after). Evidence is optional.
CREATE TABLE proposal_contacts (
    id              INTEGER PRIMARY KEY,
    proposal_id     INTEGER NOT NULL REFERENCES proposals (id),
    unit_id         INTEGER NOT NULL REFERENCES units (id),
    stage           TEXT NOT NULL CHECK (stage IN ('report', 'site', 'revisit')),
    held_on         TEXT NOT NULL,
    way             TEXT NOT NULL CHECK (way IN ('face_to_face', 'site_visit', 'phone')),
    participants    TEXT NOT NULL DEFAULT '',
    head_took_part  BOOLEAN NOT NULL DEFAULT FALSE,
    note            TEXT NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES users (id),
    created_at      TEXT NOT NULL
);
CREATE INDEX proposal_contacts_item_idx ON proposal_contacts (proposal_id);

-- One reply per round: drafted with a class, reviewed (the class may be corrected), signed.
CREATE TABLE proposal_replies (
    id              INTEGER PRIMARY KEY,
    proposal_id     INTEGER NOT NULL REFERENCES proposals (id),
    round           INTEGER NOT NULL,
    unit_id         INTEGER NOT NULL REFERENCES units (id),
    class           TEXT NOT NULL CHECK (class IN ('A', 'B', 'C', 'D')),
    body            TEXT NOT NULL,
    drafted_by      INTEGER REFERENCES users (id),
    drafted_at      TEXT NOT NULL,
    reviewed_class  TEXT CHECK (reviewed_class IN ('A', 'B', 'C', 'D')),
    review_note     TEXT NOT NULL DEFAULT '',
    reviewed_by     INTEGER REFERENCES users (id),
    reviewed_at     TEXT,
    signed_by       INTEGER REFERENCES users (id),
    signed_on       TEXT,
    UNIQUE (proposal_id, round)
);

-- 会签: a co-unit signs the current draft.
CREATE TABLE proposal_countersigns (
    reply_id   INTEGER NOT NULL REFERENCES proposal_replies (id),
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    note       TEXT NOT NULL DEFAULT '',
    signed_by  INTEGER REFERENCES users (id),
    signed_at  TEXT NOT NULL,
    PRIMARY KEY (reply_id, unit_id)
);

-- A proposer's rating of one round's reply; one per proposer and round.
CREATE TABLE proposal_ratings (
    id           INTEGER PRIMARY KEY,
    proposal_id  INTEGER NOT NULL REFERENCES proposals (id),
    round        INTEGER NOT NULL,
    person_id    INTEGER NOT NULL REFERENCES people (id),
    rating       TEXT NOT NULL CHECK (rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    comment      TEXT NOT NULL DEFAULT '',
    rated_at     TEXT NOT NULL,
    UNIQUE (proposal_id, round, person_id)
);

-- 续报 of B and C items until one reports the matter solved.
CREATE TABLE proposal_follow_ups (
    id           INTEGER PRIMARY KEY,
    proposal_id  INTEGER NOT NULL REFERENCES proposals (id),
    reported_on  TEXT NOT NULL,
    body         TEXT NOT NULL,
    solved       BOOLEAN NOT NULL DEFAULT FALSE,
    created_by   INTEGER REFERENCES users (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX proposal_follow_ups_item_idx ON proposal_follow_ups (proposal_id);

-- The timeline: every step, by whom, from which state to which.
CREATE TABLE proposal_events (
    id           INTEGER PRIMARY KEY,
    proposal_id  INTEGER NOT NULL REFERENCES proposals (id),
    at           TEXT NOT NULL,
    actor_id     INTEGER REFERENCES users (id),
    kind         TEXT NOT NULL,
    from_state   TEXT,
    to_state     TEXT,
    note         TEXT NOT NULL DEFAULT '',
    data         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX proposal_events_item_idx ON proposal_events (proposal_id, id);
