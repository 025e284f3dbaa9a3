-- 评诺 on the public portal (PostgreSQL): a citizen's evaluation is kept once per browser and
-- commitment — voter_key is the SHA-256 of the browser's secret cookie token and the
-- commitment id, never the token itself — and a second evaluation from the same browser
-- replaces the first. Evaluations the office records for the public, and deputies' and
-- members' own, have no voter_key.
ALTER TABLE commitment_evaluations ADD COLUMN voter_key TEXT;
CREATE UNIQUE INDEX commitment_evaluations_voter_idx ON commitment_evaluations (commitment_id, voter_key);
-- The portal's feed reads signings and results newest first.
CREATE INDEX commitment_events_kind_idx ON commitment_events (kind, at);
-- The feed reads published reports by their latest change.
CREATE INDEX public_requests_updated_idx ON public_requests (moderation, updated_at);
