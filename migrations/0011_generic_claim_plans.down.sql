ALTER FUNCTION loupe_jobs_claim(text, integer, integer, integer, integer, text[]) RESET plan_cache_mode;
