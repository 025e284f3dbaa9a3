-- The lists' overdue and due-soon filters (`due=overdue|soon`, open tasks only) in deadline
-- order (`sort=due`): the open tasks' deadlines in the order the list shows them, so a page
-- is read from this index without sorting, and its count from the index alone — 2,000
-- overdue tasks among 20,000 no longer cost a look-up of each task's progress.
CREATE INDEX tasks_open_due_idx ON tasks (year, due_date, lead_unit_id, sort_key)
    WHERE progress < 100;
