-- Runs of SQL against a data source, and their stored results (ADR 0022). A run keeps its bound SQL
-- and parameter values so any attempt can run it again; a result is stored per attempt, its rows in
-- compressed chunks, so a late write by a presumed-dead attempt never mixes with the current one.

CREATE TABLE query_runs (
    id                uuid                     NOT NULL,
    organization_id   uuid                     NOT NULL,
    data_source_id    uuid                     NOT NULL,
    saved_query_id    uuid                     NULL,
    requested_by      uuid                     NULL,
    sql               text                     NOT NULL,
    parameter_values  text                     NOT NULL,
    cache_key         character varying(64)    NOT NULL,
    timeout_seconds   integer                  NOT NULL,
    max_rows          integer                  NOT NULL,
    status            character varying(16)    NOT NULL,
    attempt           integer                  NOT NULL,
    queued_at         timestamp with time zone NOT NULL,
    started_at        timestamp with time zone NULL,
    finished_at       timestamp with time zone NULL,
    row_count         bigint                   NULL,
    truncated         boolean                  NULL,
    result_bytes      bigint                   NULL,
    result_attempt    integer                  NULL,
    result_expires_at timestamp with time zone NULL,
    result_expired    boolean                  NOT NULL,
    error_code        character varying(16)    NULL,
    error_message     character varying(2000)  NULL,
    job_id            uuid                     NULL,
    CONSTRAINT pk_query_runs PRIMARY KEY (id),
    CONSTRAINT fk_query_runs_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT fk_query_runs_data_source_id FOREIGN KEY (data_source_id) REFERENCES data_sources (id) ON DELETE CASCADE,
    CONSTRAINT fk_query_runs_requested_by FOREIGN KEY (requested_by) REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX ix_query_runs_organization_id_queued_at ON query_runs (organization_id, queued_at);
CREATE INDEX ix_query_runs_cache_key_finished_at ON query_runs (cache_key, finished_at);
CREATE INDEX ix_query_runs_saved_query_id ON query_runs (saved_query_id);
CREATE INDEX ix_query_runs_data_source_id ON query_runs (data_source_id);
CREATE INDEX ix_query_runs_requested_by ON query_runs (requested_by);
CREATE INDEX ix_query_runs_result_expires_at ON query_runs (result_expires_at);

CREATE TABLE run_results (
    run_id          uuid                     NOT NULL,
    attempt         integer                  NOT NULL,
    organization_id uuid                     NOT NULL,
    columns         text                     NOT NULL,
    row_count       bigint                   NOT NULL,
    truncated       boolean                  NOT NULL,
    chunk_count     integer                  NOT NULL,
    stored_bytes    bigint                   NOT NULL,
    created_at      timestamp with time zone NOT NULL,
    CONSTRAINT pk_run_results PRIMARY KEY (run_id, attempt),
    CONSTRAINT fk_run_results_run_id FOREIGN KEY (run_id) REFERENCES query_runs (id) ON DELETE CASCADE,
    CONSTRAINT fk_run_results_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE
);
CREATE INDEX ix_run_results_organization_id ON run_results (organization_id);

CREATE TABLE run_result_chunks (
    run_id          uuid    NOT NULL,
    attempt         integer NOT NULL,
    chunk_number    integer NOT NULL,
    organization_id uuid    NOT NULL,
    first_row       bigint  NOT NULL,
    row_count       integer NOT NULL,
    data            bytea   NOT NULL,
    CONSTRAINT pk_run_result_chunks PRIMARY KEY (run_id, attempt, chunk_number),
    CONSTRAINT fk_run_result_chunks_run_id FOREIGN KEY (run_id) REFERENCES query_runs (id) ON DELETE CASCADE,
    CONSTRAINT fk_run_result_chunks_organization_id FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE
);
CREATE INDEX ix_run_result_chunks_organization_id ON run_result_chunks (organization_id);
-- Chunks are written once and read whole: keep them out of TOAST compression (they are compressed already).
ALTER TABLE run_result_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

ALTER TABLE query_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON query_runs
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());
ALTER TABLE run_results ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON run_results
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());
ALTER TABLE run_result_chunks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON run_result_chunks
    USING (organization_id = loupe_current_organization()) WITH CHECK (organization_id = loupe_current_organization());
