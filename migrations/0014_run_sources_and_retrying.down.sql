DROP INDEX ix_query_runs_queued;
UPDATE query_runs SET status = 'queued' WHERE status = 'retrying';
CREATE INDEX ix_query_runs_queued ON query_runs (organization_id) WHERE status = 'queued';

ALTER TABLE query_runs
    DROP COLUMN error_detail,
    DROP COLUMN error_hint,
    DROP COLUMN error_column,
    DROP COLUMN error_line,
    DROP COLUMN source_map,
    DROP COLUMN source_sql,
    DROP COLUMN parameters;
