-- The queues page also counts each queue's jobs that wait but are not due yet (scheduled for later, or
-- retrying after a back-off), with when the next of them becomes due: a queue that holds only such jobs
-- — say, retries of a queue no live node serves — is listed, not left out until its jobs fall due.
-- Read from the queued jobs only (the claim's partial index holds them), never the finished ones.

CREATE FUNCTION loupe_admin_jobs_queues_not_due()
    RETURNS TABLE (queue text, jobs bigint, next_run_at timestamp with time zone)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        SELECT j.queue, count(*), min(j.run_at)
        FROM jobs j
        WHERE j.state = 'queued' AND j.run_at > now()
        GROUP BY 1
        ORDER BY 1
    $$;

REVOKE ALL ON FUNCTION loupe_admin_jobs_queues_not_due() FROM PUBLIC;
