DROP TABLE run_result_chunks;
DROP TABLE run_results;
DROP TABLE query_runs;
