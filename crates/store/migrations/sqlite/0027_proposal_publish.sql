-- 同意公开: when the lead proposer rates a reply they may agree to its publication on the
-- public portal (/public/proposals). Not agreed unless they say so; a co-signer's rating
-- never carries it.
ALTER TABLE proposal_ratings ADD COLUMN publish BOOLEAN NOT NULL DEFAULT FALSE;
