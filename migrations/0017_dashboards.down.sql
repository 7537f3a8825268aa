DROP TABLE dashboard_versions;
DROP TABLE dashboards;
