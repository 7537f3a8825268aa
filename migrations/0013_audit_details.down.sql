UPDATE query_runs SET error_code = 'data_source.' || substr(error_code, length('datasource.') + 1)
WHERE error_code LIKE 'datasource.%';

UPDATE query_runs SET error_code = 'query.data_source_' || substr(error_code, length('query.datasource_') + 1)
WHERE error_code LIKE 'query.datasource\_%';

UPDATE audit_events SET target_type = 'data_source' WHERE target_type = 'datasource';

ALTER TABLE audit_events DROP COLUMN details;
