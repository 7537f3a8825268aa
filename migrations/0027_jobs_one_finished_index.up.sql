-- One index of finished jobs by finish time, not two. Migration 0025 added ix_jobs_finished
-- (finished_at, over the finished states) for the retention's purge; migration 0026 added
-- ix_jobs_finished_at_state (finished_at, state, over finished_at IS NOT NULL) for the throughput
-- graphs. A job has a finish time exactly when it is finished (every path that finishes a job sets
-- it, every path that queues one again clears it), so both hold the same rows, and the second, whose
-- rows also carry the state, answers the purge's range as well. Each finished job wrote two entries.
DROP INDEX ix_jobs_finished;
