-- The event outbox: each row is one event Loupe tells webhooks about (run.succeeded, …), inserted by
-- the same transaction as the change that causes it, so an event exists if and only if its change
-- committed. payload is the event's snake_case JSON (ids and summaries, never SQL or secrets).

CREATE TABLE outbox_events (
    id              uuid                     NOT NULL,
    organization_id uuid                     NOT NULL,
    event_type      character varying(64)    NOT NULL,
    payload         jsonb                    NOT NULL,
    occurred_at     timestamp with time zone NOT NULL,
    CONSTRAINT pk_outbox_events PRIMARY KEY (id),
    CONSTRAINT fk_outbox_events_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE
);
CREATE INDEX ix_outbox_events_organization_id_occurred_at ON outbox_events (organization_id, occurred_at);

ALTER TABLE outbox_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbox_events
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());
