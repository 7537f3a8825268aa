ALTER TABLE query_runs DROP CONSTRAINT fk_query_runs_saved_query_id;
DROP TABLE saved_query_versions;
DROP TABLE saved_queries;
