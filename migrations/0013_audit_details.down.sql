UPDATE query_runs SET error_code = 'data_source.' || substr(error_code, length('datasource.') + 1)
WHERE error_code LIKE 'datasource.%';

ALTER TABLE audit_events DROP COLUMN details;
