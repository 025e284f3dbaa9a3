-- The office's towns × departments figures of joint matters (store::joint::cells_of_year) add
-- up a year's named departments in the database: these indexes cover what they read, so the
-- matters and named departments of the year are read from indexes alone.
DROP INDEX joint_matters_town_idx;
CREATE INDEX joint_matters_year_idx ON joint_matters (year, town_id, closed_at);
CREATE INDEX joint_units_figures_idx ON joint_units
    (case_id, unit_id, reported_at, late, speed, effect, attitude, coordination);

-- Refused returns per lead unit (store::joint::refused_returns): the few `reject_return`
-- events, not every case of the year.
CREATE INDEX case_events_kind_idx ON case_events (kind, case_id);
