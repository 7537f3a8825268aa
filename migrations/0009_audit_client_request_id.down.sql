ALTER TABLE audit_events DROP COLUMN client_request_id;
