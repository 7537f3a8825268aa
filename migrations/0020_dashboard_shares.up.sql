-- Share links of dashboards: each shows one dashboard, read-only, to whoever holds its token. Only
-- the SHA-256 of the token is stored (token_hash, unique); prefix keeps its first characters to tell
-- links apart in a list. locked_values is a jsonb object of dashboard parameter values the holder
-- cannot change. A link stops at expires_at (when set) or once revoked_at is set; rows are kept.
--
-- A holder has no account, so the organization of the link is found from the token's hash by one
-- narrow function (as for API keys), which returns only that row's id and organization; the read
-- itself then runs in that organization, under its row-level security.

CREATE TABLE dashboard_shares (
    id              uuid                     NOT NULL,
    organization_id uuid                     NOT NULL,
    dashboard_id    uuid                     NOT NULL,
    label           character varying(100)   NULL,
    token_hash      character varying(64)    NOT NULL,
    prefix          character varying(12)    NOT NULL,
    locked_values   jsonb                    NOT NULL,
    expires_at      timestamp with time zone NULL,
    created_by      uuid                     NULL,
    created_at      timestamp with time zone NOT NULL,
    revoked_at      timestamp with time zone NULL,
    CONSTRAINT pk_dashboard_shares PRIMARY KEY (id),
    CONSTRAINT fk_dashboard_shares_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_dashboard_shares_dashboard_id FOREIGN KEY (dashboard_id) REFERENCES dashboards (id) ON DELETE CASCADE,
    CONSTRAINT fk_dashboard_shares_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX ix_dashboard_shares_token_hash ON dashboard_shares (token_hash);
CREATE INDEX ix_dashboard_shares_dashboard_id_created_at ON dashboard_shares (dashboard_id, created_at);
CREATE INDEX ix_dashboard_shares_organization_id ON dashboard_shares (organization_id);
CREATE INDEX ix_dashboard_shares_created_by ON dashboard_shares (created_by);

ALTER TABLE dashboard_shares ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dashboard_shares
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());

CREATE FUNCTION loupe_locate_dashboard_share(p_hash text)
    RETURNS TABLE (id uuid, organization_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$ SELECT s.id, s.organization_id FROM dashboard_shares s WHERE s.token_hash = p_hash $$;

REVOKE ALL ON FUNCTION loupe_locate_dashboard_share(text) FROM PUBLIC;
