-- Search walks a kind's reports newest first when nothing narrows them before the match (a
-- word of one or two characters has no trigram): store::search stops at the first hits the
-- page and the capped count need instead of reading and sorting every report.
CREATE INDEX progress_reports_recent_idx ON progress_reports (updated_at, id);
