-- Saved queries: named SQL texts with their parameters (jsonb, the API's shape), tags (lower-case)
-- and the data source they run on; archived_at set means archived (hidden from lists, kept).
-- Every saved state of the SQL and parameters is kept in saved_query_versions, numbered from 1.
--
-- A data source cannot be deleted while queries use it (NO ACTION: checked at the end of the
-- statement, so deleting a whole organization still cascades). A removed user's queries and
-- versions stay, without an owner.

CREATE TABLE saved_queries (
    id              uuid                     NOT NULL,
    organization_id uuid                     NOT NULL,
    name            character varying(255)   NOT NULL,
    description     character varying(2000)  NULL,
    sql             text                     NOT NULL,
    parameters      jsonb                    NOT NULL,
    tags            text[]                   NOT NULL,
    data_source_id  uuid                     NOT NULL,
    timeout_seconds integer                  NULL,
    owner_id        uuid                     NULL,
    latest_version  integer                  NOT NULL,
    created_at      timestamp with time zone NOT NULL,
    updated_at      timestamp with time zone NOT NULL,
    archived_at     timestamp with time zone NULL,
    CONSTRAINT pk_saved_queries PRIMARY KEY (id),
    CONSTRAINT fk_saved_queries_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_saved_queries_data_source_id FOREIGN KEY (data_source_id) REFERENCES data_sources (id),
    CONSTRAINT fk_saved_queries_owner_id FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX ix_saved_queries_organization_id_updated_at ON saved_queries (organization_id, updated_at);
CREATE INDEX ix_saved_queries_data_source_id ON saved_queries (data_source_id);
CREATE INDEX ix_saved_queries_owner_id ON saved_queries (owner_id);

CREATE TABLE saved_query_versions (
    id              uuid                     NOT NULL,
    organization_id uuid                     NOT NULL,
    query_id        uuid                     NOT NULL,
    number          integer                  NOT NULL,
    sql             text                     NOT NULL,
    parameters      jsonb                    NOT NULL,
    created_at      timestamp with time zone NOT NULL,
    created_by      uuid                     NULL,
    CONSTRAINT pk_saved_query_versions PRIMARY KEY (id),
    CONSTRAINT fk_saved_query_versions_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_saved_query_versions_query_id FOREIGN KEY (query_id) REFERENCES saved_queries (id) ON DELETE CASCADE,
    CONSTRAINT fk_saved_query_versions_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX ix_saved_query_versions_query_id_number ON saved_query_versions (query_id, number);
CREATE INDEX ix_saved_query_versions_organization_id ON saved_query_versions (organization_id);
CREATE INDEX ix_saved_query_versions_created_by ON saved_query_versions (created_by);

ALTER TABLE saved_queries ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON saved_queries
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());

ALTER TABLE saved_query_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON saved_query_versions
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());

-- A run of a saved query names it; a saved query is archived, never deleted, so its runs keep it.
ALTER TABLE query_runs ADD CONSTRAINT fk_query_runs_saved_query_id FOREIGN KEY (saved_query_id) REFERENCES saved_queries (id) ON DELETE SET NULL;
