DROP TABLE saved_query_versions;
DROP TABLE saved_queries;
