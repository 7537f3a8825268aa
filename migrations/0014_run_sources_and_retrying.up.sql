-- What a run shows beyond its outcome (ADR 0050):
--   parameters   the parameters it ran with, by name, in the API's JSON shape (null: none);
--   source_sql   the SQL as the person wrote it, with its {{ placeholders }}, when binding changed it;
--   source_map   where the SQL sent lines up with source_sql (replaced spans), to show a database
--                error's position in the text the person wrote;
--   error_line, error_column, error_hint, error_detail
--                the database's position (in source_sql, or sql) and, for the SQLSTATE classes that
--                describe the person's own SQL or values, its hint and detail.
-- A run waiting after an error that may pass is 'retrying' (it was 'queued'): runs waiting to start
-- are both, and their index covers both, in queue order.
ALTER TABLE query_runs
    ADD COLUMN parameters   jsonb                   NULL,
    ADD COLUMN source_sql   text                    NULL,
    ADD COLUMN source_map   text                    NULL,
    ADD COLUMN error_line   integer                 NULL,
    ADD COLUMN error_column integer                 NULL,
    ADD COLUMN error_hint   character varying(2000) NULL,
    ADD COLUMN error_detail character varying(2000) NULL;

UPDATE query_runs SET status = 'retrying' WHERE status = 'queued' AND error_code IS NOT NULL;

DROP INDEX ix_query_runs_queued;
CREATE INDEX ix_query_runs_queued ON query_runs (organization_id, queued_at) WHERE status IN ('queued', 'retrying');
