DROP FUNCTION loupe_admin_schedule_organization(uuid);
DROP FUNCTION loupe_admin_schedules_page(uuid, integer);
DROP FUNCTION loupe_recurring_job_latest(text[]);
DROP FUNCTION loupe_recurring_job_resume(text);
DROP FUNCTION loupe_recurring_job_pause(text, uuid);
DROP FUNCTION loupe_recurring_job_pauses();
DROP TABLE recurring_job_pauses;
