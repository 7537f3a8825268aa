-- Each API process keeps dashboard answers ready in memory (ADR 0056) and drops one as soon as
-- anything it was built from changes, in any process: these triggers announce every change on the
-- channel loupe_dashboards, which each API process listens on. A notification is sent when its
-- transaction commits (never for one rolled back), and identical ones of a transaction are sent once.
--
-- The payload is '<kind>:<id>': d a dashboard changed or was removed, v a visualization, q a saved
-- query; r a saved query has a newer result (a run of it succeeded, or a stored result of it expired).

CREATE FUNCTION loupe_notify_dashboard_source() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('loupe_dashboards', TG_ARGV[0] || ':' || OLD.id::text);
    RETURN NULL;
END
$$;

CREATE FUNCTION loupe_notify_query_result() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('loupe_dashboards', 'r:' || COALESCE(NEW.saved_query_id, OLD.saved_query_id)::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER tr_dashboards_notify AFTER UPDATE OR DELETE ON dashboards
    FOR EACH ROW EXECUTE FUNCTION loupe_notify_dashboard_source('d');
CREATE TRIGGER tr_visualizations_notify AFTER UPDATE OR DELETE ON visualizations
    FOR EACH ROW EXECUTE FUNCTION loupe_notify_dashboard_source('v');
CREATE TRIGGER tr_saved_queries_notify AFTER UPDATE OR DELETE ON saved_queries
    FOR EACH ROW EXECUTE FUNCTION loupe_notify_dashboard_source('q');

-- A saved query's run that stored its result (or lost it to retention): its dashboards show a newer one.
CREATE TRIGGER tr_query_runs_result_notify AFTER UPDATE OF status, result_expired ON query_runs
    FOR EACH ROW
    WHEN (NEW.saved_query_id IS NOT NULL
          AND ((NEW.status = 'succeeded' AND OLD.status <> 'succeeded') OR (NEW.result_expired AND NOT OLD.result_expired)))
    EXECUTE FUNCTION loupe_notify_query_result();
CREATE TRIGGER tr_query_runs_removed_notify AFTER DELETE ON query_runs
    FOR EACH ROW
    WHEN (OLD.saved_query_id IS NOT NULL AND OLD.status = 'succeeded')
    EXECUTE FUNCTION loupe_notify_query_result();
