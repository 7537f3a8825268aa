DROP FUNCTION loupe_schedules_organizations(timestamp with time zone, integer);
ALTER TABLE query_runs DROP COLUMN schedule_settled, DROP COLUMN schedule_id;
DROP TABLE schedules;
