-- 进度下调说明: a report that lowers the task's accepted percentage says why; reviewers read
-- it beside the figures. Empty for every other report.
ALTER TABLE progress_reports ADD COLUMN lower_reason TEXT NOT NULL DEFAULT '';
