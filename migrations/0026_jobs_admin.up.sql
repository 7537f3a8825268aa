-- The jobs admin API (docs/adr/0069-jobs-admin-api-for-instance-admins-only.md): reads across every
-- organization and the admin's actions on any job, as SECURITY DEFINER functions of their own (the
-- engine's functions act only within the current organization).
--
-- Lists are read newest first by id (a UUIDv7, so id order is enqueue order) with a keyset cursor:
-- each filter has an index that leads with it and ends with id, so a page is an index range scan
-- whatever the depth, never a sort of the matching rows. Throughput is counted from finished_at.

CREATE INDEX ix_jobs_state_id ON jobs (state, id);
CREATE INDEX ix_jobs_kind_id ON jobs (kind, id);
CREATE INDEX ix_jobs_organization_id_id ON jobs (organization_id, id);
CREATE INDEX ix_jobs_finished_at_state ON jobs (finished_at, state) WHERE finished_at IS NOT NULL;

-- The query of one page: only the filters given are written into it, so PostgreSQL plans the page
-- with the index of the filter (a single state compares with =, so the (state, id) index also gives
-- the order). Parameters: $1 states, $2 statuses (queued/scheduled/retrying split), $3 kind,
-- $4 organization, $5 the cursor (ids below it), $6 the lowest id (the from time), $7 the limit.
CREATE FUNCTION loupe_admin_jobs_page_sql(p_states text[], p_statuses text[], p_kind text, p_organization uuid)
    RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public
    AS $$
        SELECT 'SELECT j.id, j.kind::text, j.queue::text, j.priority, j.organization_id, '
            || 'loupe_jobs_status(j.state, j.attempt, j.run_at), j.attempt, j.max_attempts, j.run_at, j.enqueued_at, '
            || 'j.started_at, j.finished_at, j.error, j.lease_owner::text, j.claimed_at, j.lease_expires_at, j.heartbeat_at, '
            || 'j.cancel_requested_at FROM jobs j WHERE j.id < $5 AND j.id >= $6'
            || CASE WHEN p_states IS NULL THEN ''
                    WHEN cardinality(p_states) = 1 THEN ' AND j.state = ($1)[1]'
                    ELSE ' AND j.state = ANY ($1)' END
            || CASE WHEN p_statuses IS NULL THEN '' ELSE ' AND loupe_jobs_status(j.state, j.attempt, j.run_at) = ANY ($2)' END
            || CASE WHEN p_kind IS NULL THEN '' ELSE ' AND j.kind = $3' END
            || CASE WHEN p_organization IS NULL THEN '' ELSE ' AND j.organization_id = $4' END
            || ' ORDER BY j.id DESC LIMIT $7'
    $$;

CREATE FUNCTION loupe_admin_jobs_page(p_states text[], p_statuses text[], p_kind text, p_organization uuid, p_before uuid, p_from uuid, p_limit integer)
    RETURNS TABLE (id uuid, kind text, queue text, priority integer, organization_id uuid, status text, attempt integer,
                   max_attempts integer, run_at timestamp with time zone, enqueued_at timestamp with time zone,
                   started_at timestamp with time zone, finished_at timestamp with time zone, error text, node text,
                   claimed_at timestamp with time zone, lease_expires_at timestamp with time zone,
                   heartbeat_at timestamp with time zone, cancel_requested_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    BEGIN
        RETURN QUERY EXECUTE loupe_admin_jobs_page_sql(p_states, p_statuses, p_kind, p_organization)
            USING p_states, p_statuses, p_kind, p_organization, p_before, p_from, p_limit;
    END
    $$;

-- The plan of the same page (EXPLAIN, which PostgreSQL runs only in a volatile function), so a test
-- can show that a page is an index scan.
CREATE FUNCTION loupe_admin_jobs_page_plan(p_states text[], p_statuses text[], p_kind text, p_organization uuid, p_before uuid, p_from uuid, p_limit integer)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    BEGIN
        RETURN QUERY EXECUTE 'EXPLAIN ' || loupe_admin_jobs_page_sql(p_states, p_statuses, p_kind, p_organization)
            USING p_states, p_statuses, p_kind, p_organization, p_before, p_from, p_limit;
    END
    $$;

-- Finished jobs per time bucket (second, hour or day) since p_since: succeeded, and failed or
-- dead-lettered. Read from the finished_at index alone.
CREATE FUNCTION loupe_admin_jobs_throughput(p_since timestamp with time zone, p_bucket text)
    RETURNS TABLE (bucket timestamp with time zone, succeeded bigint, failed bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        SELECT date_trunc(p_bucket, j.finished_at, 'UTC'),
               count(*) FILTER (WHERE j.state = 'succeeded'),
               count(*) FILTER (WHERE j.state IN ('failed', 'dead_lettered'))
        FROM jobs j
        WHERE j.finished_at IS NOT NULL AND j.finished_at >= p_since AND j.state IN ('succeeded', 'failed', 'dead_lettered')
        GROUP BY 1
        ORDER BY 1
    $$;

-- Due queued jobs per queue and priority, with the oldest one's run_at (from the claim index).
CREATE FUNCTION loupe_admin_jobs_queues()
    RETURNS TABLE (queue text, priority integer, depth bigint, oldest_run_at timestamp with time zone)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        SELECT j.queue, j.priority, count(*), min(j.run_at)
        FROM jobs j
        WHERE j.state = 'queued' AND j.run_at <= now()
        GROUP BY 1, 2
        ORDER BY 1, 2
    $$;

-- Puts a failed, dead-lettered or cancelled job of any organization back in its queue with its
-- attempts reset. Answers retried, not_found, not_retryable (another state) or duplicate (another
-- job with its unique key is queued or running).
CREATE FUNCTION loupe_admin_jobs_retry(p_id uuid)
    RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    BEGIN
        UPDATE jobs j
        SET state = 'queued', attempt = 0, run_at = now(), error = NULL, cancel_requested_at = NULL, lease_owner = NULL,
            lease_expires_at = NULL, started_at = NULL, claimed_at = NULL, heartbeat_at = NULL, finished_at = NULL
        WHERE j.id = p_id AND j.state IN ('failed', 'dead_lettered', 'cancelled');
        IF FOUND THEN
            PERFORM pg_notify('loupe_jobs_ready', '');
            RETURN 'retried';
        END IF;

        RETURN CASE WHEN EXISTS (SELECT 1 FROM jobs j WHERE j.id = p_id) THEN 'not_retryable' ELSE 'not_found' END;
    EXCEPTION WHEN unique_violation THEN
        RETURN 'duplicate';
    END
    $$;

-- Cancels a job of any organization: a queued one at once, a running one by telling its node (as
-- loupe_jobs_cancel does). Answers cancelled_before_start, cancellation_requested, not_found or
-- not_cancellable (finished).
CREATE FUNCTION loupe_admin_jobs_cancel(p_id uuid)
    RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    BEGIN
        UPDATE jobs j SET state = 'cancelled', finished_at = now()
        WHERE j.id = p_id AND j.state = 'queued';
        IF FOUND THEN
            RETURN 'cancelled_before_start';
        END IF;

        UPDATE jobs j SET cancel_requested_at = coalesce(j.cancel_requested_at, now())
        WHERE j.id = p_id AND j.state = 'running';
        IF FOUND THEN
            PERFORM pg_notify('loupe_jobs_cancel', p_id::text);
            RETURN 'cancellation_requested';
        END IF;

        RETURN CASE WHEN EXISTS (SELECT 1 FROM jobs j WHERE j.id = p_id) THEN 'not_cancellable' ELSE 'not_found' END;
    END
    $$;

-- Deletes a finished job of any organization. Answers deleted, not_found or not_finished.
CREATE FUNCTION loupe_admin_jobs_delete(p_id uuid)
    RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    BEGIN
        DELETE FROM jobs j WHERE j.id = p_id AND j.state IN ('succeeded', 'failed', 'dead_lettered', 'cancelled');
        IF FOUND THEN
            RETURN 'deleted';
        END IF;

        RETURN CASE WHEN EXISTS (SELECT 1 FROM jobs j WHERE j.id = p_id) THEN 'not_finished' ELSE 'not_found' END;
    END
    $$;

REVOKE ALL ON FUNCTION loupe_admin_jobs_page(text[], text[], text, uuid, uuid, uuid, integer),
    loupe_admin_jobs_page_plan(text[], text[], text, uuid, uuid, uuid, integer),
    loupe_admin_jobs_throughput(timestamp with time zone, text), loupe_admin_jobs_queues(),
    loupe_admin_jobs_retry(uuid), loupe_admin_jobs_cancel(uuid), loupe_admin_jobs_delete(uuid)
    FROM PUBLIC;
