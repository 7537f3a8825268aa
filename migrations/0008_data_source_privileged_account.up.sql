-- An admin's explicit opt-in to run queries with a privileged database account (a superuser, a
-- member of pg_read_server_files, …). Existing data sources start without it: a privileged account
-- they use is refused at its next run until an admin opts in or changes the account (ADR 0026).
-- The default only fills existing rows; Loupe always writes the value.

ALTER TABLE data_sources ADD COLUMN allow_privileged_account boolean NOT NULL DEFAULT false;
ALTER TABLE data_sources ALTER COLUMN allow_privileged_account DROP DEFAULT;

-- A run refused for that reason carries the code datasource.privileged_account, longer than a SQLSTATE.
ALTER TABLE query_runs ALTER COLUMN error_code TYPE character varying(64);
