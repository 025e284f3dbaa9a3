-- Whether a report first left its author after its due day (the review queues' "late" filter):
-- set at the first send from the city's date; NULL until then. Reports sent before this
-- column existed: from the office's on-time verdict where there is one, else from the date
-- sent in Asia/Shanghai (the default zone).
ALTER TABLE progress_reports ADD COLUMN sent_late BOOLEAN;
UPDATE progress_reports SET sent_late = CASE
        WHEN on_time IS NOT NULL THEN NOT on_time
        ELSE (sent_at AT TIME ZONE 'Asia/Shanghai')::date > due_on END
    WHERE sent_at IS NOT NULL;
CREATE INDEX progress_reports_queue_idx ON progress_reports (state, unit_id, updated_at);
