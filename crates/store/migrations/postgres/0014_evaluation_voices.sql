-- 评诺 on the portal, one voice per citizen as far as the web allows (PostgreSQL): address_key is
-- the SHA-256 of the client address and the commitment id (never the address itself), unique
-- per commitment, so a second evaluation from the same address replaces the first as one from
-- the same browser does; an evaluation arriving in a burst is flagged for the office, which
-- may set it aside with a reason (it then no longer counts; the portal shows how many).
ALTER TABLE commitment_evaluations ADD COLUMN address_key TEXT;
ALTER TABLE commitment_evaluations ADD COLUMN flagged BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE commitment_evaluations ADD COLUMN set_aside_reason TEXT;
CREATE UNIQUE INDEX commitment_evaluations_address_idx ON commitment_evaluations (commitment_id, address_key);
CREATE INDEX commitment_evaluations_recent_idx ON commitment_evaluations (commitment_id, evaluator_kind, updated_at);
