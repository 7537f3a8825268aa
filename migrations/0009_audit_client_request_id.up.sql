-- The audit trail keeps the id a client sent as X-Request-Id beside Loupe's own request id (ADR 0028):
-- request_id is always Loupe's, so a client can no longer choose or reuse the id operators search for.

ALTER TABLE audit_events ADD COLUMN client_request_id character varying(64) NULL;
