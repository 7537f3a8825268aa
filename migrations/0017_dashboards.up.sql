-- Dashboards: tiles on a 24-column grid, the parameters a dashboard declares and their mappings onto
-- its tiles' queries. Tiles, parameters and mappings are jsonb in the API's own shape (the same
-- objects a client sends and reads), checked by the domain before they are stored. archived_at set
-- means archived (hidden from lists, kept). Every saved state of a dashboard is kept in
-- dashboard_versions, numbered from 1, never changed or removed.
--
-- A tile names a visualization inside the jsonb, not through a foreign key: the application checks
-- that each one is the organization's when the tiles are saved. A removed user's dashboards and
-- versions stay, without an owner.

CREATE TABLE dashboards (
    id                 uuid                     NOT NULL,
    organization_id    uuid                     NOT NULL,
    name               character varying(255)   NOT NULL,
    description        character varying(2000)  NULL,
    tags               text[]                   NOT NULL,
    tiles              jsonb                    NOT NULL,
    parameters         jsonb                    NOT NULL,
    parameter_mappings jsonb                    NOT NULL,
    owner_id           uuid                     NULL,
    latest_version     integer                  NOT NULL,
    created_at         timestamp with time zone NOT NULL,
    updated_at         timestamp with time zone NOT NULL,
    archived_at        timestamp with time zone NULL,
    CONSTRAINT pk_dashboards PRIMARY KEY (id),
    CONSTRAINT fk_dashboards_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_dashboards_owner_id FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX ix_dashboards_organization_id_updated_at ON dashboards (organization_id, updated_at);
CREATE INDEX ix_dashboards_owner_id ON dashboards (owner_id);

CREATE TABLE dashboard_versions (
    id                 uuid                     NOT NULL,
    organization_id    uuid                     NOT NULL,
    dashboard_id       uuid                     NOT NULL,
    number             integer                  NOT NULL,
    name               character varying(255)   NOT NULL,
    description        character varying(2000)  NULL,
    tags               text[]                   NOT NULL,
    tiles              jsonb                    NOT NULL,
    parameters         jsonb                    NOT NULL,
    parameter_mappings jsonb                    NOT NULL,
    created_at         timestamp with time zone NOT NULL,
    created_by         uuid                     NULL,
    CONSTRAINT pk_dashboard_versions PRIMARY KEY (id),
    CONSTRAINT fk_dashboard_versions_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_dashboard_versions_dashboard_id FOREIGN KEY (dashboard_id) REFERENCES dashboards (id) ON DELETE CASCADE,
    CONSTRAINT fk_dashboard_versions_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX ix_dashboard_versions_dashboard_id_number ON dashboard_versions (dashboard_id, number);
CREATE INDEX ix_dashboard_versions_organization_id ON dashboard_versions (organization_id);
CREATE INDEX ix_dashboard_versions_created_by ON dashboard_versions (created_by);

ALTER TABLE dashboards ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dashboards
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());

ALTER TABLE dashboard_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dashboard_versions
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());
