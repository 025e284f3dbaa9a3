-- The transparency log over the ledger (RFC 9162; see core::transparency) (PostgreSQL).

-- Every perfect subtree of the Merkle tree whose leaves are the ledger entries: level 0 holds
-- the leaf hashes (idx = seq - 1), level L the hash of leaves idx·2^L … (idx+1)·2^L - 1. About
-- two rows per entry; any root or proof reads O(log² n) of them. Filled up to the ledger head
-- when a tree head is published; never changed afterwards.
CREATE TABLE tree_nodes (
    level  BIGINT NOT NULL,
    idx    BIGINT NOT NULL,
    hash   BYTEA NOT NULL,
    PRIMARY KEY (level, idx)
);

-- Signed tree heads, one per tree size: the Ed25519 signature (by the key in the data
-- directory, never in the database) over RFC 9162 TreeHeadDataV2.
CREATE TABLE tree_heads (
    tree_size     BIGINT PRIMARY KEY,
    timestamp_ms  BIGINT NOT NULL,
    root_hash     BYTEA NOT NULL,
    signature     BYTEA NOT NULL,
    key_id        BYTEA NOT NULL
);

-- The log's secret: 32 random bytes, written once by the first process that builds the tree.
-- Each leaf's salt is derived from it and the entry's seq (core::transparency::leaf_salt), so
-- the public cannot recover an entry's hidden fields from its leaf by trying values.
CREATE TABLE tree_secret (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    secret  BYTEA NOT NULL
);
