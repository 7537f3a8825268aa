-- Schedules (ADR 0064): a saved query run with fixed parameter values at the times of a cron
-- expression read in an IANA zone. next_run_at is the one source of truth for when a schedule fires:
-- set while it is enabled and not archived, NULL otherwise, so "due" is next_run_at <= now() alone.
-- A tick claims due rows with FOR UPDATE SKIP LOCKED and, in the same transaction, queues each one's
-- run and moves its next_run_at on: whatever the number of workers, each due time makes one run.
--
-- last_run_* follow the run it started last; consecutive_failures and last_error are kept by the
-- tick from the schedule's finished runs (query_runs.schedule_settled marks a run it has counted),
-- and paused_reason says why a schedule stopped itself after too many failures in a row.
--
-- A query that schedules run cannot be deleted (queries are archived, not deleted); a removed user's
-- schedules stay, without an owner.

CREATE TABLE schedules (
    id                   uuid                     NOT NULL,
    organization_id      uuid                     NOT NULL,
    query_id             uuid                     NOT NULL,
    name                 character varying(255)   NOT NULL,
    parameters           jsonb                    NOT NULL,
    cron                 character varying(200)   NOT NULL,
    timezone             character varying(64)    NOT NULL,
    enabled              boolean                  NOT NULL,
    tags                 text[]                   NOT NULL,
    next_run_at          timestamp with time zone NULL,
    last_run_id          uuid                     NULL,
    last_run_status      character varying(16)    NULL,
    last_run_at          timestamp with time zone NULL,
    consecutive_failures integer                  NOT NULL,
    last_error           character varying(2000)  NULL,
    paused_reason        character varying(500)   NULL,
    owner_id             uuid                     NULL,
    created_at           timestamp with time zone NOT NULL,
    updated_at           timestamp with time zone NOT NULL,
    archived_at          timestamp with time zone NULL,
    CONSTRAINT pk_schedules PRIMARY KEY (id),
    CONSTRAINT fk_schedules_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_schedules_query_id FOREIGN KEY (query_id) REFERENCES saved_queries (id),
    CONSTRAINT fk_schedules_owner_id FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT ck_schedules_next_run_at CHECK (next_run_at IS NULL OR (enabled AND archived_at IS NULL))
);
CREATE INDEX ix_schedules_organization_id_updated_at ON schedules (organization_id, updated_at);
CREATE INDEX ix_schedules_query_id ON schedules (query_id);
CREATE INDEX ix_schedules_owner_id ON schedules (owner_id);
-- The due-claim: one organization's due schedules in due order, and the organizations that have any.
CREATE INDEX ix_schedules_due ON schedules (organization_id, next_run_at) WHERE next_run_at IS NOT NULL;
CREATE INDEX ix_schedules_due_at ON schedules (next_run_at) WHERE next_run_at IS NOT NULL;

ALTER TABLE schedules ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON schedules
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());

-- A run a schedule started names it; schedule_settled is set once the tick has counted its outcome.
ALTER TABLE query_runs
    ADD COLUMN schedule_id      uuid    NULL,
    ADD COLUMN schedule_settled boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT fk_query_runs_schedule_id FOREIGN KEY (schedule_id) REFERENCES schedules (id) ON DELETE SET NULL;
-- Existing runs were never a schedule's; every new run states it.
ALTER TABLE query_runs ALTER COLUMN schedule_settled DROP DEFAULT;
CREATE INDEX ix_query_runs_schedule_id ON query_runs (schedule_id) WHERE schedule_id IS NOT NULL;
CREATE INDEX ix_query_runs_schedule_unsettled ON query_runs (organization_id, finished_at)
    WHERE schedule_id IS NOT NULL AND NOT schedule_settled AND status IN ('succeeded', 'failed', 'cancelled', 'timed_out');

-- The one read across organizations the tick makes: which organizations have work for it now (due
-- schedules, or finished runs of schedules not counted yet). Everything else it does runs inside
-- one organization, under row-level security.
CREATE FUNCTION loupe_schedules_organizations(p_now timestamp with time zone, p_limit integer)
    RETURNS TABLE (organization_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
        SELECT o.organization_id FROM (
            SELECT DISTINCT s.organization_id FROM schedules s WHERE s.next_run_at <= p_now
            UNION
            SELECT DISTINCT r.organization_id FROM query_runs r
            WHERE r.schedule_id IS NOT NULL AND NOT r.schedule_settled AND r.status IN ('succeeded', 'failed', 'cancelled', 'timed_out')
        ) o
        LIMIT p_limit
    $$;
REVOKE ALL ON FUNCTION loupe_schedules_organizations(timestamp with time zone, integer) FROM PUBLIC;
