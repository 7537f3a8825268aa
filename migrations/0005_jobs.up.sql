-- Loupe's job engine (ADR 0021): durable jobs, claimed with FOR UPDATE SKIP LOCKED, woken by NOTIFY.
--
-- States: queued (run_at says when it is due), running (held by lease_owner until lease_expires_at),
-- succeeded, failed (an error that will not pass), dead_lettered (attempts exhausted), cancelled.
-- The application role may read its organization's jobs and add jobs for its organization (with none
-- set: instance jobs, organization_id NULL); every other change goes through the SECURITY DEFINER
-- functions below, which the job engine, the scheduler and the jobs read model call.

CREATE TABLE jobs (
    id                  uuid                     NOT NULL,
    kind                character varying(100)   NOT NULL,
    queue               character varying(64)    NOT NULL,
    priority            integer                  NOT NULL,
    payload             text                     NOT NULL,
    organization_id     uuid                     NULL,
    state               character varying(16)    NOT NULL,
    attempt             integer                  NOT NULL,
    max_attempts        integer                  NOT NULL,
    run_at              timestamp with time zone NOT NULL,
    unique_key          character varying(200)   NULL,
    lease_owner         character varying(200)   NULL,
    lease_expires_at    timestamp with time zone NULL,
    heartbeat_at        timestamp with time zone NULL,
    cancel_requested_at timestamp with time zone NULL,
    error               text                     NULL,
    enqueued_at         timestamp with time zone NOT NULL,
    started_at          timestamp with time zone NULL,
    claimed_at          timestamp with time zone NULL,
    finished_at         timestamp with time zone NULL,
    CONSTRAINT pk_jobs PRIMARY KEY (id),
    CONSTRAINT fk_jobs_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT ck_jobs_state CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'dead_lettered', 'cancelled')),
    CONSTRAINT ck_jobs_attempts CHECK (max_attempts BETWEEN 1 AND 20 AND attempt BETWEEN 0 AND max_attempts)
);

-- The claim order: due queued jobs by priority, then run_at, then id.
CREATE INDEX ix_jobs_ready ON jobs (priority, run_at, id) WHERE state = 'queued';
-- Running jobs per organization (the running limit) and expired leases (the sweeper).
CREATE INDEX ix_jobs_running ON jobs (organization_id) WHERE state = 'running';
-- At most one unfinished job per key and organization (instance jobs share the NULL organization).
CREATE UNIQUE INDEX ix_jobs_unique_key ON jobs (organization_id, unique_key) NULLS NOT DISTINCT
    WHERE unique_key IS NOT NULL AND state IN ('queued', 'running');
-- Recent failures, for the jobs dashboard.
CREATE INDEX ix_jobs_failures ON jobs (finished_at) WHERE state IN ('failed', 'dead_lettered');

ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON jobs FOR SELECT
    USING (organization_id = loupe_current_organization());
CREATE POLICY tenant_enqueue ON jobs FOR INSERT
    WITH CHECK (organization_id IS NOT DISTINCT FROM loupe_current_organization());

-- Wakes the engines when jobs are added. Statement-level: one notification per INSERT statement;
-- NOTIFY is transactional, so it is delivered when the enqueuing transaction commits, never before.
CREATE FUNCTION loupe_jobs_notify_ready() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public
    AS $$
    BEGIN
        PERFORM pg_notify('loupe_jobs_ready', '');
        RETURN NULL;
    END
    $$;

CREATE TRIGGER tr_jobs_notify_ready AFTER INSERT ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION loupe_jobs_notify_ready();

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

-- Renews the leases of the node's running jobs; answers the ones it still holds and whether a
-- cancellation was asked for each (a missed NOTIFY is caught here).
CREATE FUNCTION loupe_jobs_heartbeat(p_node text, p_ids uuid[], p_lease_seconds integer)
    RETURNS TABLE (job_id uuid, cancel_requested boolean)
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        UPDATE jobs j
        SET heartbeat_at = now(), lease_expires_at = now() + make_interval(secs => p_lease_seconds)
        WHERE j.id = ANY (p_ids) AND j.state = 'running' AND j.lease_owner = p_node
        RETURNING j.id, j.cancel_requested_at IS NOT NULL
    $$;

-- Ends an attempt of a job the node holds: succeeded, failed, dead_lettered, cancelled, or queued
-- again at p_run_at (a retry; dead-lettered instead when no attempt is left, cancelled when that was
-- asked for). False when the node no longer holds it (its lease expired and the sweeper gave it back).
CREATE FUNCTION loupe_jobs_finish(p_id uuid, p_node text, p_state text, p_error text, p_run_at timestamp with time zone)
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

-- Hands the node's running jobs back without using up their attempt (graceful shutdown); a job whose
-- cancellation was asked for is cancelled instead. p_ids NULL means all the node holds.
CREATE FUNCTION loupe_jobs_release(p_node text, p_ids uuid[])
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

-- Gives back the jobs whose lease expired (their node died or lost the database): queued again while
-- attempts remain, dead-lettered when none does, cancelled when that was asked for. Also answers the
-- number of due queued jobs (the queue depth metric).
CREATE FUNCTION loupe_jobs_sweep()
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

-- Cancels a job of the current organization (with none set: an instance job). A queued job is
-- cancelled at once; for a running one the request is recorded and its node is told on the
-- loupe_jobs_cancel channel (delivered at commit). Answers what it did.
CREATE FUNCTION loupe_jobs_cancel(p_id uuid)
    RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    BEGIN
        UPDATE jobs j SET state = 'cancelled', finished_at = now()
        WHERE j.id = p_id AND j.state = 'queued' AND j.organization_id IS NOT DISTINCT FROM loupe_current_organization();
        IF FOUND THEN
            RETURN 'cancelled_before_start';
        END IF;

        UPDATE jobs j SET cancel_requested_at = coalesce(j.cancel_requested_at, now())
        WHERE j.id = p_id AND j.state = 'running' AND j.organization_id IS NOT DISTINCT FROM loupe_current_organization();
        IF FOUND THEN
            PERFORM pg_notify('loupe_jobs_cancel', p_id::text);
            RETURN 'cancellation_requested';
        END IF;

        RETURN 'not_cancellable';
    END
    $$;

-- Puts a failed or dead-lettered job of the current organization back in its queue with its attempts
-- reset. False when it is not failed, or when another job with its unique key is queued or running.
CREATE FUNCTION loupe_jobs_requeue(p_id uuid)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    BEGIN
        UPDATE jobs j
        SET state = 'queued', attempt = 0, run_at = now(), error = NULL, cancel_requested_at = NULL,
            started_at = NULL, claimed_at = NULL, heartbeat_at = NULL, finished_at = NULL
        WHERE j.id = p_id AND j.state IN ('failed', 'dead_lettered')
          AND j.organization_id IS NOT DISTINCT FROM loupe_current_organization();
        IF NOT FOUND THEN
            RETURN false;
        END IF;

        PERFORM pg_notify('loupe_jobs_ready', '');
        RETURN true;
    EXCEPTION WHEN unique_violation THEN
        RETURN false;
    END
    $$;

-- The jobs read model (instance-wide, for the jobs dashboard). A queued job that is not due yet shows
-- as scheduled, or as retrying when an attempt has already failed.
CREATE FUNCTION loupe_jobs_status(p_state text, p_attempt integer, p_run_at timestamp with time zone)
    RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, public
    AS $$
        SELECT CASE WHEN p_state = 'queued' AND p_run_at > now()
                    THEN CASE WHEN p_attempt > 0 THEN 'retrying' ELSE 'scheduled' END
                    ELSE p_state END
    $$;

CREATE FUNCTION loupe_jobs_counts()
    RETURNS TABLE (status text, kind text, queue text, jobs bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        SELECT loupe_jobs_status(j.state, j.attempt, j.run_at), j.kind, j.queue, count(*)
        FROM jobs j
        GROUP BY 1, 2, 3
    $$;

CREATE FUNCTION loupe_jobs_running()
    RETURNS TABLE (id uuid, kind text, queue text, organization_id uuid, attempt integer, max_attempts integer,
                   node text, claimed_at timestamp with time zone, heartbeat_at timestamp with time zone,
                   lease_expires_at timestamp with time zone, cancel_requested boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        SELECT j.id, j.kind, j.queue, j.organization_id, j.attempt, j.max_attempts, j.lease_owner,
               j.claimed_at, j.heartbeat_at, j.lease_expires_at, j.cancel_requested_at IS NOT NULL
        FROM jobs j
        WHERE j.state = 'running'
        ORDER BY j.claimed_at, j.id
    $$;

-- One page of jobs, newest first, filtered by status, kind, queue and organization (NULL: any), with
-- the number of matching jobs on every row.
CREATE FUNCTION loupe_jobs_list(p_statuses text[], p_kind text, p_queue text, p_organization uuid, p_offset integer, p_limit integer)
    RETURNS TABLE (id uuid, kind text, queue text, priority integer, organization_id uuid, status text, attempt integer,
                   max_attempts integer, run_at timestamp with time zone, enqueued_at timestamp with time zone,
                   started_at timestamp with time zone, finished_at timestamp with time zone, error text, total bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        SELECT j.id, j.kind, j.queue, j.priority, j.organization_id, loupe_jobs_status(j.state, j.attempt, j.run_at),
               j.attempt, j.max_attempts, j.run_at, j.enqueued_at, j.started_at, j.finished_at, j.error, count(*) OVER ()
        FROM jobs j
        WHERE (p_statuses IS NULL OR loupe_jobs_status(j.state, j.attempt, j.run_at) = ANY (p_statuses))
          AND (p_kind IS NULL OR j.kind = p_kind)
          AND (p_queue IS NULL OR j.queue = p_queue)
          AND (p_organization IS NULL OR j.organization_id = p_organization)
        ORDER BY j.id DESC
        OFFSET p_offset LIMIT p_limit
    $$;

CREATE FUNCTION loupe_jobs_recent_failures(p_limit integer)
    RETURNS TABLE (id uuid, kind text, queue text, priority integer, organization_id uuid, status text, attempt integer,
                   max_attempts integer, run_at timestamp with time zone, enqueued_at timestamp with time zone,
                   started_at timestamp with time zone, finished_at timestamp with time zone, error text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        SELECT j.id, j.kind, j.queue, j.priority, j.organization_id, j.state, j.attempt, j.max_attempts,
               j.run_at, j.enqueued_at, j.started_at, j.finished_at, j.error
        FROM jobs j
        WHERE j.state IN ('failed', 'dead_lettered')
        ORDER BY j.finished_at DESC, j.id DESC
        LIMIT p_limit
    $$;

CREATE FUNCTION loupe_jobs_get(p_id uuid)
    RETURNS SETOF jobs
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$ SELECT j.* FROM jobs j WHERE j.id = p_id $$;

REVOKE ALL ON FUNCTION loupe_jobs_claim(text, integer, integer, integer, text[]), loupe_jobs_heartbeat(text, uuid[], integer),
    loupe_jobs_finish(uuid, text, text, text, timestamp with time zone), loupe_jobs_release(text, uuid[]), loupe_jobs_sweep(),
    loupe_jobs_cancel(uuid), loupe_jobs_requeue(uuid), loupe_jobs_counts(), loupe_jobs_running(),
    loupe_jobs_list(text[], text, text, uuid, integer, integer), loupe_jobs_recent_failures(integer), loupe_jobs_get(uuid)
    FROM PUBLIC;
