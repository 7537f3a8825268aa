-- The jobs dashboard's engine side (ADR 0068): a registry of the engine's nodes, the history of each
-- job's attempts, the retention of finished jobs, and paused queues.

-- The nodes running the engine: each upserts its row when it starts and with every sweep (its beat),
-- and deletes it when it stops cleanly; a node not heard from for Jobs:NodeForgetSeconds is deleted by
-- the others' beats. Written only through the functions below; the application role sees no row.
CREATE TABLE job_nodes (
    node         character varying(200) NOT NULL,
    host         character varying(16)  NOT NULL,
    machine      character varying(200) NOT NULL,
    process_id   integer                NOT NULL,
    started_at   timestamp with time zone NOT NULL,
    heartbeat_at timestamp with time zone NOT NULL,
    slots        integer                NOT NULL,
    slots_used   integer                NOT NULL,
    queues       text[]                 NOT NULL,
    CONSTRAINT pk_job_nodes PRIMARY KEY (node),
    CONSTRAINT ck_job_nodes_host CHECK (host IN ('api', 'worker'))
);
ALTER TABLE job_nodes ENABLE ROW LEVEL SECURITY;

-- Every claim of a job, numbered per job (jobs.claims counts them and is never given back, unlike
-- attempt): the claim opens the row and the statement that ends the attempt closes it, in the same
-- transaction as the job's change. outcome: succeeded, failed, retrying (failed and queued again),
-- dead_lettered, cancelled, released (handed back at shutdown), lease_expired (taken back by a sweep).
ALTER TABLE jobs ADD COLUMN claims integer NOT NULL DEFAULT 0;

CREATE TABLE job_attempts (
    job_id     uuid                     NOT NULL,
    claim      integer                  NOT NULL,
    attempt    integer                  NOT NULL,
    node       character varying(200)   NOT NULL,
    started_at timestamp with time zone NOT NULL,
    ended_at   timestamp with time zone NULL,
    outcome    character varying(16)    NULL,
    error      text                     NULL,
    CONSTRAINT pk_job_attempts PRIMARY KEY (job_id, claim),
    CONSTRAINT fk_job_attempts_job_id FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE,
    CONSTRAINT ck_job_attempts_outcome CHECK (outcome IN ('succeeded', 'failed', 'retrying', 'dead_lettered', 'cancelled', 'released', 'lease_expired')),
    CONSTRAINT ck_job_attempts_ended CHECK ((ended_at IS NULL) = (outcome IS NULL))
);
ALTER TABLE job_attempts ENABLE ROW LEVEL SECURITY;

-- Finished jobs by when they finished: the retention deletes the oldest first.
CREATE INDEX ix_jobs_finished ON jobs (finished_at) WHERE state IN ('succeeded', 'failed', 'dead_lettered', 'cancelled');

-- Queues no node claims from until they are resumed.
CREATE TABLE job_queue_pauses (
    queue     character varying(64)    NOT NULL,
    paused_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_job_queue_pauses PRIMARY KEY (queue)
);
ALTER TABLE job_queue_pauses ENABLE ROW LEVEL SECURITY;

-- The claim of migration 0012, which now leaves paused queues out, counts its claims and opens an
-- attempt for each job it claims (in the same statement). Its columns, order and plans are as before.
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

        -- Paused queues are left out (one probe of an empty table when none is paused).
        IF EXISTS (SELECT 1 FROM job_queue_pauses) THEN
            p_queues := ARRAY(SELECT q FROM unnest(p_queues) q WHERE NOT EXISTS (SELECT 1 FROM job_queue_pauses s WHERE s.queue = q));
            IF cardinality(p_queues) = 0 THEN
                RETURN;
            END IF;
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
                claimed_at = now(), started_at = coalesce(j.started_at, now()), claims = j.claims + 1
            FROM chosen c
            WHERE j.id = c.id
            RETURNING j.id, j.kind::text, j.payload, j.organization_id, j.attempt, j.max_attempts, j.enqueued_at, j.claimed_at,
                      c.reserved, c.slot, j.trace_parent::text, j.trace_state::text, j.claims
        ), attempts AS (
            INSERT INTO job_attempts (job_id, claim, attempt, node, started_at)
            SELECT c.id, c.claims, c.attempt, p_node, c.claimed_at FROM claimed c
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

-- Ends an attempt of a job the node holds (as in migration 0005) and closes its attempt row in the
-- same statement.
CREATE OR REPLACE FUNCTION loupe_jobs_finish(p_id uuid, p_node text, p_state text, p_error text, p_run_at timestamp with time zone)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    DECLARE
        v_ended integer;
    BEGIN
        IF p_state IS NULL OR p_state NOT IN ('succeeded', 'failed', 'dead_lettered', 'cancelled', 'queued') THEN
            RAISE EXCEPTION 'an attempt cannot end in state %', p_state USING ERRCODE = '22023';
        END IF;

        WITH ended AS (
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
            WHERE j.id = p_id AND j.state = 'running' AND j.lease_owner = p_node
            RETURNING j.id, j.claims, j.state
        ), closed AS (
            UPDATE job_attempts a
            SET ended_at = now(), outcome = CASE WHEN e.state = 'queued' THEN 'retrying' ELSE e.state END, error = p_error
            FROM ended e
            WHERE a.job_id = e.id AND a.claim = e.claims
        )
        SELECT count(*) INTO v_ended FROM ended;
        RETURN v_ended > 0;
    END
    $$;

-- Hands the node's running jobs back (as in migration 0005), closing their attempts as released (or
-- cancelled, when that was asked for).
CREATE OR REPLACE FUNCTION loupe_jobs_release(p_node text, p_ids uuid[])
    RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    DECLARE
        v_released integer;
    BEGIN
        WITH released AS (
            UPDATE jobs j
            SET state = CASE WHEN j.cancel_requested_at IS NULL THEN 'queued' ELSE 'cancelled' END,
                attempt = CASE WHEN j.cancel_requested_at IS NULL THEN j.attempt - 1 ELSE j.attempt END,
                finished_at = CASE WHEN j.cancel_requested_at IS NULL THEN NULL ELSE now() END,
                lease_owner = NULL, lease_expires_at = NULL
            WHERE j.state = 'running' AND j.lease_owner = p_node AND (p_ids IS NULL OR j.id = ANY (p_ids))
            RETURNING j.id, j.claims, j.state
        ), closed AS (
            UPDATE job_attempts a
            SET ended_at = now(), outcome = CASE WHEN r.state = 'queued' THEN 'released' ELSE r.state END
            FROM released r
            WHERE a.job_id = r.id AND a.claim = r.claims
        )
        SELECT count(*) INTO v_released FROM released;
        IF v_released > 0 THEN
            PERFORM pg_notify('loupe_jobs_ready', '');
        END IF;

        RETURN v_released;
    END
    $$;

-- Gives back the jobs whose lease expired (as in migration 0005), closing their attempts as
-- lease_expired with the reason.
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
            RETURNING j.id, j.claims, j.state, j.error
        ), closed AS (
            UPDATE job_attempts a
            SET ended_at = now(), outcome = 'lease_expired', error = s.error
            FROM swept s
            WHERE a.job_id = s.id AND a.claim = s.claims
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

-- A node's beat: registers it or renews its row (started_at is kept from its first beat), and deletes
-- the nodes not heard from for p_forget_seconds. Called when the node starts and with each sweep.
CREATE FUNCTION loupe_jobs_node_beat(p_node text, p_host text, p_machine text, p_process_id integer, p_slots integer,
                                     p_slots_used integer, p_queues text[], p_forget_seconds integer)
    RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        INSERT INTO job_nodes AS n (node, host, machine, process_id, started_at, heartbeat_at, slots, slots_used, queues)
        VALUES (p_node, p_host, p_machine, p_process_id, now(), now(), p_slots, p_slots_used, p_queues)
        ON CONFLICT (node) DO UPDATE
        SET heartbeat_at = now(), slots = EXCLUDED.slots, slots_used = EXCLUDED.slots_used, queues = EXCLUDED.queues;

        DELETE FROM job_nodes n WHERE n.heartbeat_at < now() - make_interval(secs => p_forget_seconds) AND n.node <> p_node;
    $$;

-- A node stopping cleanly takes its row away.
CREATE FUNCTION loupe_jobs_node_remove(p_node text)
    RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$ DELETE FROM job_nodes n WHERE n.node = p_node $$;

-- The nodes for the dashboard; lost: not heard from for p_lost_seconds.
CREATE FUNCTION loupe_jobs_nodes(p_lost_seconds integer)
    RETURNS TABLE (node text, host text, machine text, process_id integer, started_at timestamp with time zone,
                   heartbeat_at timestamp with time zone, slots integer, slots_used integer, queues text[], lost boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        SELECT n.node, n.host, n.machine, n.process_id, n.started_at, n.heartbeat_at, n.slots, n.slots_used, n.queues,
               n.heartbeat_at < now() - make_interval(secs => p_lost_seconds)
        FROM job_nodes n
        ORDER BY n.node
    $$;

-- A job's attempts, first claim first.
CREATE FUNCTION loupe_jobs_attempts(p_job uuid)
    RETURNS TABLE (claim integer, attempt integer, node text, started_at timestamp with time zone,
                   ended_at timestamp with time zone, outcome text, error text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        SELECT a.claim, a.attempt, a.node, a.started_at, a.ended_at, a.outcome, a.error
        FROM job_attempts a
        WHERE a.job_id = p_job
        ORDER BY a.claim
    $$;

-- Deletes at most p_limit finished jobs (with their attempts): succeeded ones finished before
-- p_succeeded_before, failed, dead-lettered and cancelled ones before p_failed_before. Rows another
-- purge holds are skipped. Answers how many went.
CREATE FUNCTION loupe_jobs_purge(p_succeeded_before timestamp with time zone, p_failed_before timestamp with time zone, p_limit integer)
    RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    DECLARE
        v_deleted integer;
    BEGIN
        WITH old AS (
            SELECT j.id FROM jobs j
            WHERE j.state IN ('succeeded', 'failed', 'dead_lettered', 'cancelled')
              AND j.finished_at < greatest(p_succeeded_before, p_failed_before)
              AND j.finished_at < CASE WHEN j.state = 'succeeded' THEN p_succeeded_before ELSE p_failed_before END
            ORDER BY j.finished_at
            LIMIT p_limit
            FOR UPDATE SKIP LOCKED
        )
        DELETE FROM jobs j USING old o WHERE j.id = o.id;
        GET DIAGNOSTICS v_deleted = ROW_COUNT;
        RETURN v_deleted;
    END
    $$;

-- Pauses a queue (true when it was not paused already), resumes it (true when it was paused), and
-- lists the paused ones.
CREATE FUNCTION loupe_jobs_queue_pause(p_queue text)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    BEGIN
        INSERT INTO job_queue_pauses (queue, paused_at) VALUES (p_queue, now()) ON CONFLICT (queue) DO NOTHING;
        RETURN FOUND;
    END
    $$;

CREATE FUNCTION loupe_jobs_queue_resume(p_queue text)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    BEGIN
        DELETE FROM job_queue_pauses s WHERE s.queue = p_queue;
        IF NOT FOUND THEN
            RETURN false;
        END IF;

        -- The queue's due jobs wait for a node: wake them at commit.
        PERFORM pg_notify('loupe_jobs_ready', '');
        RETURN true;
    END
    $$;

CREATE FUNCTION loupe_jobs_queue_paused()
    RETURNS TABLE (queue text, paused_at timestamp with time zone)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$ SELECT s.queue, s.paused_at FROM job_queue_pauses s ORDER BY s.queue $$;

REVOKE ALL ON FUNCTION loupe_jobs_node_beat(text, text, text, integer, integer, integer, text[], integer), loupe_jobs_node_remove(text),
    loupe_jobs_nodes(integer), loupe_jobs_attempts(uuid), loupe_jobs_purge(timestamp with time zone, timestamp with time zone, integer),
    loupe_jobs_queue_pause(text), loupe_jobs_queue_resume(text), loupe_jobs_queue_paused()
    FROM PUBLIC;
