DROP FUNCTION loupe_admin_jobs_queues_not_due();
