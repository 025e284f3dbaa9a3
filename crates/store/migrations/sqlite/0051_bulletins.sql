-- Bulletins (通报): drafts generated from the data with their content frozen as JSON, the
-- office's commentary (editable while a draft), and once issued the number in the year's
-- series, the hash of what was issued and its ledger entry. An issued row is never updated.

-- A year's series and schedule: the number prefix (机关代字), the last number given out
-- (incremented inside the issuing transaction, so two processes never take one number), and
-- the automatic drafts (cadence '' for none, on the n-th working day of the next period).
CREATE TABLE bulletin_series (
    year          INTEGER PRIMARY KEY,
    prefix        TEXT NOT NULL,
    last_seq      INTEGER NOT NULL DEFAULT 0,
    cadence       TEXT NOT NULL DEFAULT '' CHECK (cadence IN ('', 'weekly', 'monthly', 'quarterly', 'half_year')),
    working_day   INTEGER NOT NULL DEFAULT 3
);

CREATE TABLE bulletins (
    id             INTEGER PRIMARY KEY,
    year           INTEGER NOT NULL,
    period         TEXT NOT NULL,
    cadence        TEXT NOT NULL CHECK (cadence IN ('weekly', 'monthly', 'quarterly', 'half_year')),
    state          TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'issued')),
    title          TEXT NOT NULL,
    content        TEXT NOT NULL,
    commentary     TEXT NOT NULL,
    generated_by   INTEGER REFERENCES users (id),
    generated_at   TEXT NOT NULL,
    seq            INTEGER,
    number         TEXT,
    content_hash   TEXT,
    public         BOOLEAN NOT NULL DEFAULT FALSE,
    issued_by      INTEGER REFERENCES users (id),
    issued_at      TEXT,
    issued_on      TEXT,
    ledger_seq     INTEGER,
    UNIQUE (year, seq)
);
CREATE INDEX bulletins_year ON bulletins (year, period);
