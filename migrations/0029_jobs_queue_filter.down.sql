-- Back to the page functions of migration 0026, without the queue filter.

DROP FUNCTION loupe_admin_jobs_page_plan(text[], text[], text, uuid, uuid, uuid, integer, text);
DROP FUNCTION loupe_admin_jobs_page(text[], text[], text, uuid, uuid, uuid, integer, text);
DROP FUNCTION loupe_admin_jobs_page_sql(text[], text[], text, uuid, text);

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

CREATE FUNCTION loupe_admin_jobs_page_plan(p_states text[], p_statuses text[], p_kind text, p_organization uuid, p_before uuid, p_from uuid, p_limit integer)
    RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    BEGIN
        RETURN QUERY EXECUTE 'EXPLAIN ' || loupe_admin_jobs_page_sql(p_states, p_statuses, p_kind, p_organization)
            USING p_states, p_statuses, p_kind, p_organization, p_before, p_from, p_limit;
    END
    $$;

REVOKE ALL ON FUNCTION loupe_admin_jobs_page(text[], text[], text, uuid, uuid, uuid, integer),
    loupe_admin_jobs_page_plan(text[], text[], text, uuid, uuid, uuid, integer)
    FROM PUBLIC;

DROP INDEX ix_jobs_queue_id;
