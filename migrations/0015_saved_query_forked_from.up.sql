-- A fork records what it was copied from (ADR 0050): the query and the version. No foreign key: the
-- reference is history, kept as written; queries are archived, not deleted, so it stays readable
-- until the whole organization goes.
ALTER TABLE saved_queries
    ADD COLUMN forked_from_query_id uuid    NULL,
    ADD COLUMN forked_from_version  integer NULL;
