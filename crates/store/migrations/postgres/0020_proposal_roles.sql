-- The offices for suggestions and proposals (人大代表工委, 政协提案委) as roles.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'supervision_office', 'top_leader', 'portfolio_leader', 'unit_head', 'unit_liaison', 'section_staff', 'deputy', 'auditor', 'npc_office', 'cppcc_office'));
