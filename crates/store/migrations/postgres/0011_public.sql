-- Public problem intake (PostgreSQL): reports from the portal's 我要反映 form and Open311
-- GeoReport v2, waiting in the supervision office's intake queue until accepted (then linked
-- to the case of the closed loop they became) or rejected with a reason shown to the citizen.
-- Contact data is kept for the office and never read by a public query.

CREATE TABLE public_requests (
    id             BIGSERIAL PRIMARY KEY,
    -- 受理编号: YK-2026- and 16 Crockford base32 characters; what the public knows it by.
    tracking       TEXT NOT NULL UNIQUE CHECK (length(tracking) = 24),
    channel        TEXT NOT NULL CHECK (channel IN ('portal', 'open311')),
    -- A configured category code (the Open311 service_code).
    category       TEXT NOT NULL,
    description    TEXT NOT NULL,
    address        TEXT NOT NULL DEFAULT '',
    lat            DOUBLE PRECISION,
    lng            DOUBLE PRECISION,
    -- Private: for the office only.
    contact_name   TEXT NOT NULL DEFAULT '',
    contact_email  TEXT NOT NULL DEFAULT '',
    contact_phone  TEXT NOT NULL DEFAULT '',
    media_url      TEXT NOT NULL DEFAULT '',
    photo_id       BIGINT REFERENCES attachments (id),
    moderation     TEXT NOT NULL DEFAULT 'new' CHECK (moderation IN ('new', 'accepted', 'rejected')),
    -- The reason of a rejection, shown to the citizen.
    reason         TEXT NOT NULL DEFAULT '',
    -- The office's published answer (empty until there is one).
    public_reply   TEXT NOT NULL DEFAULT '',
    case_id        BIGINT UNIQUE REFERENCES cases (id),
    decided_by     BIGINT REFERENCES users (id),
    decided_at     TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    CHECK ((lat IS NULL) = (lng IS NULL)),
    CHECK ((moderation = 'accepted') = (case_id IS NOT NULL))
);
CREATE INDEX public_requests_queue_idx ON public_requests (moderation, id);
CREATE INDEX public_requests_created_idx ON public_requests (created_at);

-- Requests per key (a client address, or everyone) per minute, so limits hold across
-- processes. Old windows are deleted as new ones are counted.
CREATE TABLE rate_counters (
    key           TEXT NOT NULL,
    window_start  TIMESTAMPTZ NOT NULL,
    n             BIGINT NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_counters_window_idx ON rate_counters (window_start);
