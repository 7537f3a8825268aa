ALTER TABLE saved_queries
    DROP COLUMN forked_from_version,
    DROP COLUMN forked_from_query_id;
