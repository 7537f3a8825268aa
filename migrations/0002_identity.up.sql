-- Identity: users, sessions and their refresh tokens, API keys, invitations, password resets and
-- the audit trail; and the second wall of tenant isolation, row-level security.

-- The organization of the current transaction, set by the application with
-- set_config('loupe.organization_id', …, true) before each statement. NULL when unset: every
-- policy below then matches nothing (fail closed).
CREATE FUNCTION loupe_current_organization() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('loupe.organization_id', true), '')::uuid $$;

CREATE TABLE users (
    id                    uuid                     NOT NULL,
    organization_id       uuid                     NOT NULL,
    email                 character varying(254)   NOT NULL,
    name                  character varying(100)   NOT NULL,
    password_hash         character varying(256)   NOT NULL,
    role                  character varying(16)    NOT NULL,
    is_instance_admin     boolean                  NOT NULL,
    recent_failed_logins  timestamp with time zone[] NOT NULL,
    locked_until          timestamp with time zone NULL,
    last_login_at         timestamp with time zone NULL,
    created_at            timestamp with time zone NOT NULL,
    updated_at            timestamp with time zone NOT NULL,
    CONSTRAINT pk_users PRIMARY KEY (id),
    CONSTRAINT fk_users_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_users_email ON users (email);
CREATE INDEX ix_users_organization_id ON users (organization_id);

CREATE TABLE sessions (
    id              uuid                     NOT NULL,
    organization_id uuid                     NOT NULL,
    user_id         uuid                     NOT NULL,
    created_at      timestamp with time zone NOT NULL,
    last_used_at    timestamp with time zone NOT NULL,
    expires_at      timestamp with time zone NOT NULL,
    revoked_at      timestamp with time zone NULL,
    revoked_reason  character varying(64)    NULL,
    user_agent      character varying(512)   NULL,
    ip_address      character varying(64)    NULL,
    generation      integer                  NOT NULL,
    CONSTRAINT pk_sessions PRIMARY KEY (id),
    CONSTRAINT fk_sessions_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_sessions_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_sessions_organization_id ON sessions (organization_id);
CREATE INDEX ix_sessions_user_id ON sessions (user_id);

CREATE TABLE session_tokens (
    hash            character varying(64)    NOT NULL,
    session_id      uuid                     NOT NULL,
    organization_id uuid                     NOT NULL,
    generation      integer                  NOT NULL,
    issued_at       timestamp with time zone NOT NULL,
    CONSTRAINT pk_session_tokens PRIMARY KEY (hash),
    CONSTRAINT fk_session_tokens_session_id FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE
);
CREATE INDEX ix_session_tokens_session_id ON session_tokens (session_id);

CREATE TABLE api_keys (
    id                 uuid                     NOT NULL,
    organization_id    uuid                     NOT NULL,
    created_by_user_id uuid                     NOT NULL,
    name               character varying(100)   NOT NULL,
    prefix             character varying(12)    NOT NULL,
    secret_hash        character varying(64)    NOT NULL,
    role               character varying(16)    NOT NULL,
    created_at         timestamp with time zone NOT NULL,
    last_used_at       timestamp with time zone NULL,
    revoked_at         timestamp with time zone NULL,
    CONSTRAINT pk_api_keys PRIMARY KEY (id),
    CONSTRAINT fk_api_keys_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_api_keys_created_by_user_id FOREIGN KEY (created_by_user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_api_keys_secret_hash ON api_keys (secret_hash);
CREATE INDEX ix_api_keys_organization_id ON api_keys (organization_id);
CREATE INDEX ix_api_keys_created_by_user_id ON api_keys (created_by_user_id);

CREATE TABLE invitations (
    id                 uuid                     NOT NULL,
    organization_id    uuid                     NOT NULL,
    email              character varying(254)   NOT NULL,
    role               character varying(16)    NOT NULL,
    token_hash         character varying(64)    NOT NULL,
    invited_by_user_id uuid                     NOT NULL,
    created_at         timestamp with time zone NOT NULL,
    expires_at         timestamp with time zone NOT NULL,
    accepted_at        timestamp with time zone NULL,
    revoked_at         timestamp with time zone NULL,
    CONSTRAINT pk_invitations PRIMARY KEY (id),
    CONSTRAINT fk_invitations_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_invitations_token_hash ON invitations (token_hash);
CREATE INDEX ix_invitations_organization_id ON invitations (organization_id);

CREATE TABLE password_resets (
    id              uuid                     NOT NULL,
    organization_id uuid                     NOT NULL,
    user_id         uuid                     NOT NULL,
    token_hash      character varying(64)    NOT NULL,
    created_at      timestamp with time zone NOT NULL,
    expires_at      timestamp with time zone NOT NULL,
    used_at         timestamp with time zone NULL,
    CONSTRAINT pk_password_resets PRIMARY KEY (id),
    CONSTRAINT fk_password_resets_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_password_resets_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_password_resets_token_hash ON password_resets (token_hash);
CREATE INDEX ix_password_resets_organization_id ON password_resets (organization_id);
CREATE INDEX ix_password_resets_user_id ON password_resets (user_id);

CREATE TABLE audit_events (
    id               uuid                     NOT NULL,
    organization_id  uuid                     NOT NULL,
    action           character varying(64)    NOT NULL,
    actor_user_id    uuid                     NULL,
    actor_api_key_id uuid                     NULL,
    target_type      character varying(32)    NULL,
    target_id        uuid                     NULL,
    ip_address       character varying(64)    NULL,
    user_agent       character varying(512)   NULL,
    request_id       character varying(64)    NULL,
    occurred_at      timestamp with time zone NOT NULL,
    CONSTRAINT pk_audit_events PRIMARY KEY (id),
    CONSTRAINT fk_audit_events_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE
);
CREATE INDEX ix_audit_events_organization_id_occurred_at ON audit_events (organization_id, occurred_at);

-- Row-level security: the application's role owns none of these tables, so the policies bind it.
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organizations
    USING (id = loupe_current_organization()) WITH CHECK (id = loupe_current_organization());

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());

ALTER TABLE session_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON session_tokens
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());

ALTER TABLE password_resets ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON password_resets
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_events
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());

-- Before a caller's organization is known (sign-in, refresh, API key, invitation, password reset),
-- one narrow lookup per credential finds it. These run as the owner, so they see past the
-- policies, and each returns only the organization and the id of the one row that matches.
CREATE FUNCTION loupe_locate_user_by_email(p_email text)
    RETURNS TABLE (id uuid, organization_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$ SELECT u.id, u.organization_id FROM users u WHERE u.email = p_email $$;

CREATE FUNCTION loupe_locate_session_token(p_hash text)
    RETURNS TABLE (id uuid, organization_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$ SELECT t.session_id, t.organization_id FROM session_tokens t WHERE t.hash = p_hash $$;

CREATE FUNCTION loupe_locate_api_key(p_hash text)
    RETURNS TABLE (id uuid, organization_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$ SELECT k.id, k.organization_id FROM api_keys k WHERE k.secret_hash = p_hash $$;

CREATE FUNCTION loupe_locate_invitation(p_hash text)
    RETURNS TABLE (id uuid, organization_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$ SELECT i.id, i.organization_id FROM invitations i WHERE i.token_hash = p_hash $$;

CREATE FUNCTION loupe_locate_password_reset(p_hash text)
    RETURNS TABLE (id uuid, organization_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$ SELECT r.id, r.organization_id FROM password_resets r WHERE r.token_hash = p_hash $$;

-- Whether this is a fresh instance: its first user becomes an instance admin. The transaction-level
-- lock makes two simultaneous first registrations take turns.
CREATE FUNCTION loupe_claim_first_user() RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock(7077281130594628961);
        RETURN NOT EXISTS (SELECT 1 FROM users);
    END
    $$;

REVOKE ALL ON FUNCTION loupe_locate_user_by_email(text), loupe_locate_session_token(text), loupe_locate_api_key(text),
    loupe_locate_invitation(text), loupe_locate_password_reset(text), loupe_claim_first_user() FROM PUBLIC;
