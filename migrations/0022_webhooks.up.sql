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

-- Webhooks: a receiver's URL, the event types it subscribes to, and its signing secret, encrypted
-- like a data source's password (secret_key_id names the key; the clear text is never stored).
-- A webhook disables itself (disabled_reason) when its receiver answers 410 Gone or fails too many
-- deliveries in a row (consecutive_failures).
CREATE TABLE webhooks (
    id                   uuid                     NOT NULL,
    organization_id      uuid                     NOT NULL,
    name                 character varying(100)   NOT NULL,
    url                  character varying(2048)  NOT NULL,
    events               text[]                   NOT NULL,
    enabled              boolean                  NOT NULL,
    disabled_reason      character varying(32)    NULL,
    consecutive_failures integer                  NOT NULL,
    secret_key_id        character varying(64)    NOT NULL,
    secret_cipher        bytea                    NOT NULL,
    created_by           uuid                     NULL,
    created_at           timestamp with time zone NOT NULL,
    updated_at           timestamp with time zone NOT NULL,
    CONSTRAINT pk_webhooks PRIMARY KEY (id),
    CONSTRAINT fk_webhooks_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_webhooks_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX ix_webhooks_organization_id ON webhooks (organization_id);
CREATE INDEX ix_webhooks_created_by ON webhooks (created_by);

-- One event sent to one webhook: its id is the idempotency key the receiver sees on every attempt.
-- An event reaches a webhook at most once (event_id, webhook_id), however often the fan-out runs.
CREATE TABLE webhook_deliveries (
    id              uuid                     NOT NULL,
    organization_id uuid                     NOT NULL,
    webhook_id      uuid                     NOT NULL,
    event_id        uuid                     NOT NULL,
    event_type      character varying(64)    NOT NULL,
    status          character varying(16)    NOT NULL,
    attempts        integer                  NOT NULL,
    response_code   integer                  NULL,
    duration_ms     integer                  NULL,
    last_error      character varying(500)   NULL,
    created_at      timestamp with time zone NOT NULL,
    last_attempt_at timestamp with time zone NULL,
    next_attempt_at timestamp with time zone NULL,
    CONSTRAINT pk_webhook_deliveries PRIMARY KEY (id),
    CONSTRAINT fk_webhook_deliveries_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_webhook_deliveries_webhook_id FOREIGN KEY (webhook_id) REFERENCES webhooks (id) ON DELETE CASCADE,
    CONSTRAINT fk_webhook_deliveries_event_id FOREIGN KEY (event_id) REFERENCES outbox_events (id) ON DELETE CASCADE,
    CONSTRAINT ck_webhook_deliveries_status CHECK (status IN ('pending', 'succeeded', 'failed', 'dead_lettered'))
);
CREATE UNIQUE INDEX ix_webhook_deliveries_event_id_webhook_id ON webhook_deliveries (event_id, webhook_id);
CREATE INDEX ix_webhook_deliveries_webhook_id_created_at ON webhook_deliveries (webhook_id, created_at);
CREATE INDEX ix_webhook_deliveries_organization_id ON webhook_deliveries (organization_id);

ALTER TABLE webhooks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhooks
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());

ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_deliveries
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());
