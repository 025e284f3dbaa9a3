-- 审计员 (auditor): a read-only role that sees everything and writes nothing.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'supervision_office', 'top_leader', 'portfolio_leader', 'unit_head', 'unit_liaison', 'section_staff', 'deputy', 'auditor'));
-- The auditor's ledger filters by actor and by time: without these a filter matching few
-- entries reads the whole ledger.
CREATE INDEX ledger_actor_idx ON ledger (actor_id, seq);
CREATE INDEX ledger_at_idx ON ledger (at_us);
