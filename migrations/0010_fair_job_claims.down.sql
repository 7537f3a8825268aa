DROP INDEX ix_query_runs_queued;
DROP FUNCTION loupe_jobs_claim(text, integer, integer, integer, integer, text[]);
DROP SEQUENCE loupe_jobs_claim_turns;
DROP TABLE job_organization_turns;
CREATE INDEX ix_jobs_ready ON jobs (priority, run_at, id) WHERE state = 'queued';
DROP INDEX ix_jobs_queued_organization;

-- The claim of migration 0005, as it was.
-- Claims up to p_limit due jobs for node p_node, never letting an organization run more than
-- p_organization_limit at once across all nodes. Each organization's claims take turns under a
-- transaction-level advisory lock (taken in key order, so two claimers cannot deadlock); the jobs
-- are then counted and claimed by a later statement, whose snapshot sees every claim committed before
-- the lock was granted. Rows another claimer holds are skipped, never waited for.
CREATE FUNCTION loupe_jobs_claim(p_node text, p_limit integer, p_lease_seconds integer, p_organization_limit integer, p_queues text[])
    RETURNS SETOF jobs
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    DECLARE
        v_organizations uuid[];
        v_key integer;
    BEGIN
        SELECT coalesce(array_agg(DISTINCT c.organization_id), '{}') INTO v_organizations
        FROM (
            SELECT j.organization_id FROM jobs j
            WHERE j.state = 'queued' AND j.run_at <= now() AND j.attempt < j.max_attempts
              AND j.queue = ANY (p_queues) AND j.organization_id IS NOT NULL
              AND j.organization_id NOT IN (
                  SELECT r.organization_id FROM jobs r
                  WHERE r.state = 'running' AND r.organization_id IS NOT NULL
                  GROUP BY r.organization_id HAVING count(*) >= p_organization_limit)
            ORDER BY j.priority, j.run_at, j.id
            LIMIT p_limit * 4) c;

        FOR v_key IN SELECT DISTINCT hashtext(o::text) FROM unnest(v_organizations) o ORDER BY 1 LOOP
            PERFORM pg_advisory_xact_lock(5005, v_key);
        END LOOP;

        RETURN QUERY
        WITH running AS (
            SELECT r.organization_id, count(*) AS jobs FROM jobs r
            WHERE r.state = 'running' AND r.organization_id = ANY (v_organizations)
            GROUP BY r.organization_id
        ), candidates AS (
            SELECT j.id, j.organization_id, j.priority, j.run_at FROM jobs j
            WHERE j.state = 'queued' AND j.run_at <= now() AND j.attempt < j.max_attempts AND j.queue = ANY (p_queues)
              AND (j.organization_id IS NULL OR j.organization_id = ANY (v_organizations))
            ORDER BY j.priority, j.run_at, j.id
            LIMIT p_limit * 4
            FOR UPDATE SKIP LOCKED
        ), ranked AS (
            SELECT c.id, c.organization_id, c.priority, c.run_at,
                   row_number() OVER (PARTITION BY c.organization_id ORDER BY c.priority, c.run_at, c.id) AS place
            FROM candidates c
        ), chosen AS (
            SELECT k.id FROM ranked k LEFT JOIN running r ON r.organization_id = k.organization_id
            WHERE k.organization_id IS NULL OR k.place <= p_organization_limit - coalesce(r.jobs, 0)
            ORDER BY k.priority, k.run_at, k.id
            LIMIT p_limit
        )
        UPDATE jobs j
        SET state = 'running', attempt = j.attempt + 1, lease_owner = p_node,
            lease_expires_at = now() + make_interval(secs => p_lease_seconds), heartbeat_at = now(),
            claimed_at = now(), started_at = coalesce(j.started_at, now())
        FROM chosen c
        WHERE j.id = c.id
        RETURNING j.*;
    END
    $$;

REVOKE ALL ON FUNCTION loupe_jobs_claim(text, integer, integer, integer, text[]) FROM PUBLIC;
