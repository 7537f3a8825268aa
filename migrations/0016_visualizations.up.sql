-- Visualizations: a chart or table drawn from one saved query's result. The type is its wire name;
-- the options are the JSON the domain writes for that type (validated before they are stored, read
-- back through the same parser). archived_at set means archived (hidden from lists, kept).
--
-- A query that visualizations draw cannot be deleted (NO ACTION: checked at the end of the
-- statement, so deleting a whole organization still cascades). A removed user's visualizations
-- stay, without an owner.

CREATE TABLE visualizations (
    id              uuid                     NOT NULL,
    organization_id uuid                     NOT NULL,
    query_id        uuid                     NOT NULL,
    name            character varying(255)   NOT NULL,
    description     character varying(2000)  NULL,
    type            character varying(16)    NOT NULL,
    options         jsonb                    NOT NULL,
    tags            text[]                   NOT NULL,
    owner_id        uuid                     NULL,
    created_at      timestamp with time zone NOT NULL,
    updated_at      timestamp with time zone NOT NULL,
    archived_at     timestamp with time zone NULL,
    CONSTRAINT pk_visualizations PRIMARY KEY (id),
    CONSTRAINT fk_visualizations_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_visualizations_query_id FOREIGN KEY (query_id) REFERENCES saved_queries (id),
    CONSTRAINT fk_visualizations_owner_id FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT ck_visualizations_type CHECK (type IN ('table', 'line', 'bar', 'area', 'pie', 'scatter', 'counter', 'pivot'))
);
CREATE INDEX ix_visualizations_organization_id_updated_at ON visualizations (organization_id, updated_at);
CREATE INDEX ix_visualizations_query_id ON visualizations (query_id);
CREATE INDEX ix_visualizations_owner_id ON visualizations (owner_id);

ALTER TABLE visualizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON visualizations
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());
