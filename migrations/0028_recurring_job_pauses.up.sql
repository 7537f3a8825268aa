-- Recurring jobs in the jobs dashboard (docs/adr/0071-recurring-jobs-schedules-and-paused-system-jobs.md).
--
-- A system job (a maintenance job every node that runs the engine queues on a timer, such as
-- jobs.retention) is paused by a row here: while its kind has a row, no node queues it on its timer;
-- deleting the row resumes it at the next tick. Instance-wide, so no organization and no policy: the
-- application role sees no row and reaches the table only through the functions below.
CREATE TABLE recurring_job_pauses (
    kind      character varying(100)   NOT NULL,
    paused_at timestamp with time zone NOT NULL,
    paused_by uuid                     NULL,
    CONSTRAINT pk_recurring_job_pauses PRIMARY KEY (kind)
);
ALTER TABLE recurring_job_pauses ENABLE ROW LEVEL SECURITY;

-- The paused kinds, with when and by whom (a user id, no foreign key: the pause outlives the user).
CREATE FUNCTION loupe_recurring_job_pauses()
    RETURNS TABLE (kind text, paused_at timestamp with time zone, paused_by uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        SELECT p.kind, p.paused_at, p.paused_by FROM recurring_job_pauses p ORDER BY p.kind
    $$;

-- Pauses a kind; true when it was running until now (false: it was paused already, nothing changed).
CREATE FUNCTION loupe_recurring_job_pause(p_kind text, p_by uuid)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    BEGIN
        INSERT INTO recurring_job_pauses (kind, paused_at, paused_by) VALUES (p_kind, now(), p_by) ON CONFLICT (kind) DO NOTHING;
        RETURN FOUND;
    END
    $$;

-- Resumes a kind; true when it was paused until now.
CREATE FUNCTION loupe_recurring_job_resume(p_kind text)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    BEGIN
        DELETE FROM recurring_job_pauses p WHERE p.kind = p_kind;
        RETURN FOUND;
    END
    $$;

-- The latest job of each of these kinds (instance jobs, of no organization), from the (kind, id)
-- index: its status, when it was queued, when it finished, and whether it still waits or runs.
CREATE FUNCTION loupe_recurring_job_latest(p_kinds text[])
    RETURNS TABLE (kind text, id uuid, status text, enqueued_at timestamp with time zone, run_at timestamp with time zone,
                   finished_at timestamp with time zone, error text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        SELECT k.kind, j.id, loupe_jobs_status(j.state, j.attempt, j.run_at), j.enqueued_at, j.run_at, j.finished_at, j.error
        FROM unnest(p_kinds) AS k (kind)
        CROSS JOIN LATERAL (
            SELECT j.id, j.state, j.attempt, j.run_at, j.enqueued_at, j.finished_at, j.error FROM jobs j
            WHERE j.kind = k.kind AND j.organization_id IS NULL
            ORDER BY j.id DESC
            LIMIT 1
        ) j
    $$;

-- Every organization's schedules that are not archived, in id order after p_after (a keyset page of
-- p_limit), with their organization's name: the instance admin's list. Schedules are read here, not
-- through the organization's row-level security, as the jobs admin functions of migration 0026 read jobs.
CREATE FUNCTION loupe_admin_schedules_page(p_after uuid, p_limit integer)
    RETURNS TABLE (id uuid, organization_id uuid, organization_name text, name text, cron text, timezone text, enabled boolean,
                   paused_reason text, consecutive_failures integer, next_run_at timestamp with time zone, last_run_id uuid,
                   last_run_status text, last_run_at timestamp with time zone)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        SELECT s.id, s.organization_id, o.name::text, s.name::text, s.cron::text, s.timezone::text, s.enabled, s.paused_reason::text,
               s.consecutive_failures, s.next_run_at, s.last_run_id, s.last_run_status::text, s.last_run_at
        FROM schedules s
        JOIN organizations o ON o.id = s.organization_id
        WHERE s.archived_at IS NULL AND s.id > p_after
        ORDER BY s.id
        LIMIT p_limit
    $$;

-- The organization of a schedule (archived or not), for an instance admin's action on it; none when
-- no schedule has this id.
CREATE FUNCTION loupe_admin_schedule_organization(p_id uuid)
    RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        SELECT s.organization_id FROM schedules s WHERE s.id = p_id
    $$;
