DROP INDEX ix_data_sources_organization_id_name_key;
ALTER TABLE data_sources DROP COLUMN name_key;
CREATE UNIQUE INDEX ix_data_sources_organization_id_name ON data_sources (organization_id, name);
