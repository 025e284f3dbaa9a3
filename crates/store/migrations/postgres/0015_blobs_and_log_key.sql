-- What several duban processes on one database must agree on (PostgreSQL; see the SQLite twin).

-- Attachment bytes kept in the database (attachments.store = "database"), content-addressed:
-- one set of rows per SHA-256 and variant ('file' the original, 'thumb' a photo's JPEG
-- thumbnail), however often the content is uploaded. The bytes are cut into parts of at most
-- 1 MiB (part 0, 1, …) so a download reads and sends one part at a time and no single value
-- grows with the upload limit. Written in the transaction that records the attachment and
-- never changed afterwards.
CREATE TABLE blobs (
    sha256   TEXT NOT NULL CHECK (length(sha256) = 64),
    variant  TEXT NOT NULL CHECK (variant IN ('file', 'thumb')),
    part     BIGINT NOT NULL CHECK (part >= 0),
    bytes    BYTEA NOT NULL,
    PRIMARY KEY (sha256, variant, part)
);

-- The transparency log's public key, recorded once by the first process that signs (or
-- starts with a key): every later process must be configured with the same private key
-- (transparency.key or transparency.key_file) or it refuses to start.
CREATE TABLE tree_key (
    id           BIGINT PRIMARY KEY CHECK (id = 1),
    -- The 32 bytes of the Ed25519 public key.
    public_key   BYTEA NOT NULL,
    -- SHA-256 of its DER SubjectPublicKeyInfo, as in tree_heads.key_id.
    key_id       BYTEA NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL
);
