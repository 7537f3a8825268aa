-- The lists of saved queries, visualizations, dashboards and canvases read newest change first
-- (updated_at descending, then the id tie-breaker ascending) and filter on whether a row is archived.
-- Each table's index of organization and updated_at becomes one in exactly that order that also
-- carries archived_at, so PostgreSQL finds a page's ids from the index alone (an index-only scan)
-- for the active and the archived list, for the first page and a deep one; the page's rows are then
-- read by primary key (docs/adr/0060-list-pages-read-ids-first.md).

DROP INDEX ix_saved_queries_organization_id_updated_at;
CREATE INDEX ix_saved_queries_organization_id_updated_at_id ON saved_queries (organization_id, updated_at DESC, id) INCLUDE (archived_at);

DROP INDEX ix_visualizations_organization_id_updated_at;
CREATE INDEX ix_visualizations_organization_id_updated_at_id ON visualizations (organization_id, updated_at DESC, id) INCLUDE (archived_at);

DROP INDEX ix_dashboards_organization_id_updated_at;
CREATE INDEX ix_dashboards_organization_id_updated_at_id ON dashboards (organization_id, updated_at DESC, id) INCLUDE (archived_at);

DROP INDEX ix_canvases_organization_id_updated_at;
CREATE INDEX ix_canvases_organization_id_updated_at_id ON canvases (organization_id, updated_at DESC, id) INCLUDE (archived_at);
