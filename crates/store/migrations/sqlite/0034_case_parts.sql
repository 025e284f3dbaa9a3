-- Each unit handles its own share (issue 19, item 4): a split unit (分办) of a case handles its
-- own part — acknowledges, reports, claims it done, is verified and closed on its own — and
-- the case is struck off only when every part is (core::cases::part). The part lives on the
-- split unit's row of case_units; co-units have none (part_state stays NULL).
ALTER TABLE case_units ADD COLUMN part_state TEXT
    CHECK (part_state IN ('assigned', 'handling', 'completion_claimed', 'closed_out'));
ALTER TABLE case_units ADD COLUMN part_note TEXT NOT NULL DEFAULT '';
ALTER TABLE case_units ADD COLUMN part_evidence TEXT NOT NULL DEFAULT '';
ALTER TABLE case_units ADD COLUMN part_closed_on TEXT;
ALTER TABLE case_units ADD COLUMN part_verifier_id INTEGER REFERENCES people (id);

-- Split units assigned before parts existed: a closed case's parts are closed with it, an
-- open case's wait for their unit.
UPDATE case_units SET part_state = CASE
        WHEN (SELECT c.state FROM cases c WHERE c.id = case_units.case_id) = 'closed_out'
        THEN 'closed_out' ELSE 'assigned' END
    WHERE role = 'split';
