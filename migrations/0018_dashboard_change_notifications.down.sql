DROP TRIGGER tr_query_runs_removed_notify ON query_runs;
DROP TRIGGER tr_query_runs_result_notify ON query_runs;
DROP TRIGGER tr_saved_queries_notify ON saved_queries;
DROP TRIGGER tr_visualizations_notify ON visualizations;
DROP TRIGGER tr_dashboards_notify ON dashboards;
DROP FUNCTION loupe_notify_query_result();
DROP FUNCTION loupe_notify_dashboard_source();
