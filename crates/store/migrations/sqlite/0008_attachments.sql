-- Attachments (SQLite): evidence files (photos, PDF, Office documents) stored once per content
-- in the data directory (blobs/ab/cdef…, named by the SHA-256 of the bytes), who uploaded them,
-- and what they are attached to. The link carries the task or case whose policy decides who
-- may download the file.

CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    size        INTEGER NOT NULL CHECK (size > 0),
    mime        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('image', 'pdf', 'office')),
    -- Upright size of a photo (after its EXIF orientation); NULL for documents.
    width       INTEGER,
    height      INTEGER,
    has_thumb   BOOLEAN NOT NULL DEFAULT FALSE,
    -- The first uploader.
    created_by  INTEGER REFERENCES users (id),
    created_at  TEXT NOT NULL
);

-- Everyone who uploaded the content (the same bytes uploaded twice are one attachment): until it
-- is linked, only they may download it or link it.
CREATE TABLE attachment_uploads (
    attachment_id  INTEGER NOT NULL REFERENCES attachments (id),
    user_id        INTEGER NOT NULL REFERENCES users (id),
    uploaded_at    TEXT NOT NULL,
    -- The name this person uploaded it under (used when they link it later).
    file_name      TEXT NOT NULL,
    PRIMARY KEY (attachment_id, user_id)
);

CREATE TABLE attachment_links (
    attachment_id  INTEGER NOT NULL REFERENCES attachments (id),
    object_type    TEXT NOT NULL CHECK (object_type IN ('report', 'case_event', 'task')),
    object_id      INTEGER NOT NULL,
    task_id        INTEGER REFERENCES tasks (id),
    case_id        INTEGER REFERENCES cases (id),
    -- The name it was uploaded under (the same content may carry other names elsewhere).
    file_name      TEXT NOT NULL,
    linked_by      INTEGER REFERENCES users (id),
    linked_at      TEXT NOT NULL,
    PRIMARY KEY (attachment_id, object_type, object_id),
    CHECK (task_id IS NOT NULL OR case_id IS NOT NULL)
);
CREATE INDEX attachment_links_object_idx ON attachment_links (object_type, object_id);
