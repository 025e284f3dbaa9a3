-- Messages that matter (SQLite): the year's report reminders beside its light rules, and rungs
-- of a case's ladder skipped after downtime (only the highest rung now due is sent).

-- Remind who owes a report `remind_days_before` days before the report day, and (with
-- `remind_overdue`) the day after a missed one, telling the unit head too; `report_reminders`
-- switches both off.
ALTER TABLE light_settings ADD COLUMN report_reminders BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE light_settings ADD COLUMN remind_days_before INTEGER NOT NULL DEFAULT 3;
ALTER TABLE light_settings ADD COLUMN remind_overdue BOOLEAN NOT NULL DEFAULT TRUE;

-- A rung whose job ran when a higher rung was due too ('urge', 'notice' …), or a reminder
-- whose deadline had passed ('past_deadline'): recorded, never sent. NULL: taken.
ALTER TABLE case_steps ADD COLUMN skipped_for TEXT
    CHECK (skipped_for IN ('urge', 'notice', 'bulletin', 'interview', 'past_deadline'));
