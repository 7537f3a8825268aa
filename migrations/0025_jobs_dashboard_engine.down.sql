DROP FUNCTION loupe_jobs_node_beat(text, text, text, integer, integer, integer, text[], integer);
DROP FUNCTION loupe_jobs_node_remove(text);
DROP FUNCTION loupe_jobs_nodes(integer);
DROP FUNCTION loupe_jobs_attempts(uuid);
DROP FUNCTION loupe_jobs_purge(timestamp with time zone, timestamp with time zone, integer);
DROP FUNCTION loupe_jobs_queue_pause(text);
DROP FUNCTION loupe_jobs_queue_resume(text);
DROP FUNCTION loupe_jobs_queue_paused();

-- The claim of migration 0012 and the finish, release and sweep of migration 0005, as they were.
CREATE OR REPLACE FUNCTION loupe_jobs_claim(p_node text, p_limit integer, p_open integer, p_lease_seconds integer, p_organization_limit integer, p_queues text[])
    RETURNS TABLE (id uuid, kind text, payload text, organization_id uuid, attempt integer, max_attempts integer,
                   enqueued_at timestamp with time zone, claimed_at timestamp with time zone, reserved boolean,
                   trace_parent text, trace_state text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public SET plan_cache_mode = force_generic_plan
    AS $$
    #variable_conflict use_column
    DECLARE
        v_organizations uuid[];
        v_key integer;
    BEGIN
        IF p_limit < 1 THEN
            RETURN;
        END IF;

        IF p_limit > 256 THEN
            RAISE EXCEPTION 'a claim gives at most 256 slots, not %', p_limit USING ERRCODE = '22023';
        END IF;

        -- Without locks: the organizations with due jobs (a skip scan of ix_jobs_queued_organization),
        -- below their limit, in claim order; at most p_limit of them can be given a slot.
        WITH RECURSIVE queued (organization_id) AS (
            (SELECT j.organization_id FROM jobs j
             WHERE j.state = 'queued' AND j.organization_id IS NOT NULL AND j.run_at <= now()
               AND j.attempt < j.max_attempts AND j.queue = ANY (p_queues)
             ORDER BY j.organization_id LIMIT 1)
            UNION ALL
            SELECT (SELECT j.organization_id FROM jobs j
                    WHERE j.state = 'queued' AND j.organization_id > q.organization_id AND j.run_at <= now()
                      AND j.attempt < j.max_attempts AND j.queue = ANY (p_queues)
                    ORDER BY j.organization_id LIMIT 1)
            FROM queued q
            WHERE q.organization_id IS NOT NULL
        ), running AS (
            SELECT r.organization_id, count(*) AS jobs FROM jobs r
            WHERE r.state = 'running' AND r.organization_id IS NOT NULL
            GROUP BY r.organization_id
        )
        SELECT coalesce(array_agg(o.organization_id), '{}') INTO v_organizations
        FROM (
            SELECT q.organization_id FROM queued q
            LEFT JOIN running r ON r.organization_id = q.organization_id
            LEFT JOIN job_organization_turns t ON t.organization_id = q.organization_id
            WHERE q.organization_id IS NOT NULL AND coalesce(r.jobs, 0) < p_organization_limit
            ORDER BY coalesce(r.jobs, 0), t.last_turn NULLS FIRST, q.organization_id
            LIMIT p_limit) o;

        FOR v_key IN SELECT DISTINCT hashtext(o::text) FROM unnest(v_organizations) o ORDER BY 1 LOOP
            PERFORM pg_advisory_xact_lock(5005, v_key);
        END LOOP;

        RETURN QUERY
        WITH running AS (
            SELECT r.organization_id, count(*) AS jobs FROM jobs r
            WHERE r.state = 'running' AND (r.organization_id = ANY (v_organizations) OR r.organization_id IS NULL)
            GROUP BY r.organization_id
        ), groups AS (
            SELECT o.organization_id, coalesce(r.jobs, 0) AS running, t.last_turn
            FROM unnest(v_organizations) o (organization_id)
            LEFT JOIN running r ON r.organization_id = o.organization_id
            LEFT JOIN job_organization_turns t ON t.organization_id = o.organization_id
        ), candidates AS (
            SELECT c.id, g.organization_id, g.running, g.last_turn, c.priority, c.run_at
            FROM groups g
            CROSS JOIN LATERAL (
                SELECT j.id, j.priority, j.run_at FROM jobs j
                WHERE j.state = 'queued' AND j.organization_id = g.organization_id AND j.run_at <= now()
                  AND j.attempt < j.max_attempts AND j.queue = ANY (p_queues)
                ORDER BY j.priority, j.run_at, j.id
                LIMIT greatest(0, least(p_limit, p_organization_limit - g.running))
                FOR UPDATE SKIP LOCKED) c
            UNION ALL
            SELECT c.id, NULL, coalesce((SELECT r.jobs FROM running r WHERE r.organization_id IS NULL), 0), NULL, c.priority, c.run_at
            FROM (
                SELECT j.id, j.priority, j.run_at FROM jobs j
                WHERE j.state = 'queued' AND j.organization_id IS NULL AND j.run_at <= now()
                  AND j.attempt < j.max_attempts AND j.queue = ANY (p_queues)
                ORDER BY j.priority, j.run_at, j.id
                LIMIT p_limit
                FOR UPDATE SKIP LOCKED) c
        ), ranked AS (
            SELECT c.id, c.organization_id, c.priority, c.last_turn,
                   c.running + row_number() OVER (PARTITION BY c.organization_id ORDER BY c.priority, c.run_at, c.id) - 1 AS load,
                   row_number() OVER (PARTITION BY c.organization_id ORDER BY c.priority, c.run_at, c.id) AS place
            FROM candidates c
        ), ordered AS (
            SELECT k.id, k.organization_id, k.load,
                   row_number() OVER (ORDER BY k.load, k.priority, k.last_turn NULLS FIRST, k.organization_id NULLS FIRST, k.place) AS slot
            FROM ranked k
        ), chosen AS (
            SELECT o.id, o.organization_id, o.slot, o.slot > p_open AS reserved
            FROM ordered o
            WHERE o.slot <= greatest(p_open, 0) OR (o.slot <= p_limit AND o.load = 0)
        ), claimed AS (
            UPDATE jobs j
            SET state = 'running', attempt = j.attempt + 1, lease_owner = p_node,
                lease_expires_at = now() + make_interval(secs => p_lease_seconds), heartbeat_at = now(),
                claimed_at = now(), started_at = coalesce(j.started_at, now())
            FROM chosen c
            WHERE j.id = c.id
            RETURNING j.id, j.kind::text, j.payload, j.organization_id, j.attempt, j.max_attempts, j.enqueued_at, j.claimed_at,
                      c.reserved, c.slot, j.trace_parent::text, j.trace_state::text
        ), turns AS (
            INSERT INTO job_organization_turns AS t (organization_id, last_turn)
            SELECT c.organization_id, (SELECT nextval('loupe_jobs_claim_turns')) * 1000 + max(c.slot)
            FROM claimed c
            WHERE c.organization_id IS NOT NULL
            GROUP BY c.organization_id
            ON CONFLICT (organization_id) DO UPDATE SET last_turn = EXCLUDED.last_turn
        )
        SELECT c.id, c.kind, c.payload, c.organization_id, c.attempt, c.max_attempts, c.enqueued_at, c.claimed_at, c.reserved,
               c.trace_parent, c.trace_state
        FROM claimed c
        ORDER BY c.slot;
    END
    $$;

CREATE OR REPLACE FUNCTION loupe_jobs_finish(p_id uuid, p_node text, p_state text, p_error text, p_run_at timestamp with time zone)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    BEGIN
        IF p_state IS NULL OR p_state NOT IN ('succeeded', 'failed', 'dead_lettered', 'cancelled', 'queued') THEN
            RAISE EXCEPTION 'an attempt cannot end in state %', p_state USING ERRCODE = '22023';
        END IF;

        UPDATE jobs j
        SET state = CASE WHEN p_state <> 'queued' THEN p_state
                         WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled'
                         WHEN j.attempt >= j.max_attempts THEN 'dead_lettered'
                         ELSE 'queued' END,
            error = p_error,
            run_at = CASE WHEN p_state = 'queued' THEN coalesce(p_run_at, now()) ELSE j.run_at END,
            finished_at = CASE WHEN p_state = 'queued' AND j.cancel_requested_at IS NULL AND j.attempt < j.max_attempts
                               THEN NULL ELSE now() END,
            lease_owner = NULL, lease_expires_at = NULL
        WHERE j.id = p_id AND j.state = 'running' AND j.lease_owner = p_node;
        RETURN FOUND;
    END
    $$;

CREATE OR REPLACE FUNCTION loupe_jobs_release(p_node text, p_ids uuid[])
    RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    DECLARE
        v_released integer;
    BEGIN
        UPDATE jobs j
        SET state = CASE WHEN j.cancel_requested_at IS NULL THEN 'queued' ELSE 'cancelled' END,
            attempt = CASE WHEN j.cancel_requested_at IS NULL THEN j.attempt - 1 ELSE j.attempt END,
            finished_at = CASE WHEN j.cancel_requested_at IS NULL THEN NULL ELSE now() END,
            lease_owner = NULL, lease_expires_at = NULL
        WHERE j.state = 'running' AND j.lease_owner = p_node AND (p_ids IS NULL OR j.id = ANY (p_ids));
        GET DIAGNOSTICS v_released = ROW_COUNT;
        IF v_released > 0 THEN
            PERFORM pg_notify('loupe_jobs_ready', '');
        END IF;

        RETURN v_released;
    END
    $$;

CREATE OR REPLACE FUNCTION loupe_jobs_sweep()
    RETURNS TABLE (requeued integer, dead_lettered integer, cancelled integer, ready bigint)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    DECLARE
        v_requeued integer;
        v_dead integer;
        v_cancelled integer;
    BEGIN
        WITH expired AS (
            SELECT j.id FROM jobs j
            WHERE j.state = 'running' AND j.lease_expires_at < now()
            FOR UPDATE SKIP LOCKED
        ), swept AS (
            UPDATE jobs j
            SET state = CASE WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled'
                             WHEN j.attempt >= j.max_attempts THEN 'dead_lettered'
                             ELSE 'queued' END,
                error = format('The lease of node %s expired during attempt %s of %s: the node stopped or lost its database connection.',
                               j.lease_owner, j.attempt, j.max_attempts),
                finished_at = CASE WHEN j.cancel_requested_at IS NOT NULL OR j.attempt >= j.max_attempts THEN now() END,
                lease_owner = NULL, lease_expires_at = NULL
            FROM expired e
            WHERE j.id = e.id
            RETURNING j.state
        )
        SELECT count(*) FILTER (WHERE s.state = 'queued'), count(*) FILTER (WHERE s.state = 'dead_lettered'),
               count(*) FILTER (WHERE s.state = 'cancelled')
        INTO v_requeued, v_dead, v_cancelled
        FROM swept s;

        IF v_requeued > 0 THEN
            PERFORM pg_notify('loupe_jobs_ready', '');
        END IF;

        RETURN QUERY
        SELECT v_requeued, v_dead, v_cancelled, count(*)
        FROM jobs j WHERE j.state = 'queued' AND j.run_at <= now();
    END
    $$;

DROP TABLE job_queue_pauses;
DROP INDEX ix_jobs_finished;
DROP TABLE job_attempts;
ALTER TABLE jobs DROP COLUMN claims;
DROP TABLE job_nodes;
