-- Orders of a task list besides list order (core::lists::browse::TaskOrder): red lights first,
-- and least progress first, each within a year. By deadline uses tasks_due_idx (year, due_date).
-- The light expression must stay the same as store::lists::browse::order_by's.
CREATE INDEX tasks_light_order_idx ON tasks (year, (CASE light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END), due_date);
CREATE INDEX tasks_progress_order_idx ON tasks (year, progress, due_date);
