-- Data sources: the databases an organization queries. Connection settings are plain; the password
-- is stored only encrypted (AES-256-GCM), with the id of the key that encrypted it.

CREATE TABLE data_sources (
    id                    uuid                     NOT NULL,
    organization_id       uuid                     NOT NULL,
    name                  character varying(100)   NOT NULL,
    type                  character varying(16)    NOT NULL,
    host                  character varying(255)   NULL,
    port                  integer                  NULL,
    database              character varying(63)    NULL,
    username              character varying(63)    NULL,
    ssl_mode              character varying(16)    NULL,
    path                  character varying(260)   NULL,
    password_cipher       bytea                    NULL,
    password_key_id       character varying(64)    NULL,
    query_timeout_seconds integer                  NOT NULL,
    max_rows              integer                  NOT NULL,
    created_at            timestamp with time zone NOT NULL,
    updated_at            timestamp with time zone NOT NULL,
    CONSTRAINT pk_data_sources PRIMARY KEY (id),
    CONSTRAINT fk_data_sources_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_data_sources_organization_id_name ON data_sources (organization_id, name);

ALTER TABLE data_sources ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON data_sources
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());
