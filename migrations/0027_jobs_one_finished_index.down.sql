CREATE INDEX ix_jobs_finished ON jobs (finished_at) WHERE state IN ('succeeded', 'failed', 'dead_lettered', 'cancelled');
