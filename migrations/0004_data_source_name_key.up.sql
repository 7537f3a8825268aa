-- Data source names are unique per organization whatever their case: "Sales" and "sales" would be
-- indistinguishable in a picker. The key is derived by the database, so no writer can get it wrong.

ALTER TABLE data_sources ADD COLUMN name_key character varying(100) GENERATED ALWAYS AS (lower(name)) STORED NOT NULL;
DROP INDEX ix_data_sources_organization_id_name;
CREATE UNIQUE INDEX ix_data_sources_organization_id_name_key ON data_sources (organization_id, name_key);
