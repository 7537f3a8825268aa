-- Audit events carry the details that matter to their action (ADR 0048): a role change says from
-- which role to which, a new API key or invitation its role. A JSON object of strings; null when the
-- action and its target say it all.

ALTER TABLE audit_events ADD COLUMN details jsonb NULL;

-- Error codes of data sources are spelled datasource.* on the wire, like the routes and the
-- datasource_id field (ADR 0048): runs that failed before the rename answer the same code.
UPDATE query_runs SET error_code = 'datasource.' || substr(error_code, length('data_source.') + 1)
WHERE error_code LIKE 'data\_source.%';
UPDATE query_runs SET error_code = 'query.datasource_' || substr(error_code, length('query.data_source_') + 1)
WHERE error_code LIKE 'query.data\_source\_%';

-- An audit event's target names a data source the same way.
UPDATE audit_events SET target_type = 'datasource' WHERE target_type = 'data_source';
