ALTER TABLE query_runs ALTER COLUMN error_code TYPE character varying(16) USING left(error_code, 16);
ALTER TABLE data_sources DROP COLUMN allow_privileged_account;
