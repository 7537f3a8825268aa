-- Alerts: a condition on one saved query's result, evaluated after each successful run of the query,
-- and the state it is in. condition is the JSON {selector, column, op, value} the domain writes;
-- state is unknown, ok or triggered (state_reason says why it is unknown); last_notice is what the
-- alert's receivers were last told (none, triggered, resolved), and when. last_evaluated_at is the
-- finish time of the run last evaluated: only a newer run is evaluated. last_run_id names that run
-- without a foreign key (runs are removed by the result retention; the alert keeps its history).
-- archived_at set means archived (hidden from lists, not evaluated, kept).
--
-- A query that alerts watch cannot be deleted (NO ACTION: checked at the end of the statement, so
-- deleting a whole organization still cascades). A removed user's alerts stay, without an owner.

CREATE TABLE alerts (
    id                uuid                     NOT NULL,
    organization_id   uuid                     NOT NULL,
    query_id          uuid                     NOT NULL,
    name              character varying(255)   NOT NULL,
    condition         jsonb                    NOT NULL,
    rearm_seconds     integer                  NULL,
    muted             boolean                  NOT NULL,
    webhook_ids       uuid[]                   NOT NULL,
    state             character varying(16)    NOT NULL,
    state_reason      character varying(32)    NULL,
    observed          character varying(200)   NULL,
    last_evaluated_at timestamp with time zone NULL,
    last_run_id       uuid                     NULL,
    last_triggered_at timestamp with time zone NULL,
    last_notice       character varying(16)    NOT NULL,
    last_notified_at  timestamp with time zone NULL,
    owner_id          uuid                     NULL,
    created_at        timestamp with time zone NOT NULL,
    updated_at        timestamp with time zone NOT NULL,
    archived_at       timestamp with time zone NULL,
    CONSTRAINT pk_alerts PRIMARY KEY (id),
    CONSTRAINT fk_alerts_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_alerts_query_id FOREIGN KEY (query_id) REFERENCES saved_queries (id),
    CONSTRAINT fk_alerts_owner_id FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT ck_alerts_state CHECK (state IN ('unknown', 'ok', 'triggered')),
    CONSTRAINT ck_alerts_last_notice CHECK (last_notice IN ('none', 'triggered', 'resolved')),
    CONSTRAINT ck_alerts_rearm_seconds CHECK (rearm_seconds IS NULL OR rearm_seconds >= 60)
);
-- Lists read newest change first and filter on archived_at (ADR 0060); evaluation finds a query's alerts.
CREATE INDEX ix_alerts_organization_id_updated_at_id ON alerts (organization_id, updated_at DESC, id) INCLUDE (archived_at);
CREATE INDEX ix_alerts_query_id ON alerts (query_id);
CREATE INDEX ix_alerts_owner_id ON alerts (owner_id);

ALTER TABLE alerts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON alerts
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());
