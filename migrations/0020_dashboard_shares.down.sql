DROP FUNCTION loupe_locate_dashboard_share(text);
DROP TABLE dashboard_shares;
