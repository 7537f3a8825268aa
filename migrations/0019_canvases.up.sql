-- Canvases: free-form boards of nodes (queries, visualizations, text, filters) joined by edges, shown
-- over one time window. The nodes and edges are jsonb arrays in the API's shape, each node's config
-- kept as the text the client sent (a JSON string member), so that it reads back unchanged; they
-- are written together in one row, so a replace is atomic. time_preset is the preset's wire name;
-- time_start and time_end are set for a custom window only, start before end.
-- archived_at set means archived (hidden from lists, kept).
--
-- Nodes name queries and visualizations by id inside the jsonb (checked by the application when
-- the graph is saved; queries and visualizations are archived, never deleted).

CREATE TABLE canvases (
    id              uuid                     NOT NULL,
    organization_id uuid                     NOT NULL,
    name            character varying(255)   NOT NULL,
    description     character varying(2000)  NULL,
    time_preset     character varying(16)    NOT NULL,
    time_start      timestamp with time zone NULL,
    time_end        timestamp with time zone NULL,
    nodes           jsonb                    NOT NULL,
    edges           jsonb                    NOT NULL,
    created_at      timestamp with time zone NOT NULL,
    updated_at      timestamp with time zone NOT NULL,
    archived_at     timestamp with time zone NULL,
    CONSTRAINT pk_canvases PRIMARY KEY (id),
    CONSTRAINT fk_canvases_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT ck_canvases_time_preset CHECK (
        (time_preset IN ('last_15_minutes', 'last_hour', 'last_24_hours', 'last_7_days', 'last_30_days', 'this_month')
            AND time_start IS NULL AND time_end IS NULL)
        OR (time_preset = 'custom' AND time_start IS NOT NULL AND time_end IS NOT NULL AND time_start < time_end)),
    CONSTRAINT ck_canvases_graph CHECK (jsonb_typeof(nodes) = 'array' AND jsonb_typeof(edges) = 'array')
);
CREATE INDEX ix_canvases_organization_id_updated_at ON canvases (organization_id, updated_at);

ALTER TABLE canvases ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON canvases
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());
