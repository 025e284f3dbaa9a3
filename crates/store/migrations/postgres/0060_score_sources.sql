-- Score events drawn from suggestions and proposals (建议提案办理) and from published
-- showcase results (晒拼): two more source kinds.
ALTER TABLE score_events DROP CONSTRAINT score_events_source_kind_check;
ALTER TABLE score_events ADD CONSTRAINT score_events_source_kind_check
    CHECK (source_kind IN ('report', 'task', 'task_month', 'case', 'case_step', 'commitment', 'proposal', 'showcase', 'manual', 'reversal'));
