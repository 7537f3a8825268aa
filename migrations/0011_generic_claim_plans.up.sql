-- The claim keeps its plans (ADR 0030, amended). PL/pgSQL prepares each statement of a function once
-- per connection, but while a statement has parameters the plan cache plans it again on every call
-- unless a generic plan looks no dearer than the custom ones; for the claim's two large statements it
-- never did, so each claim spent most of its time in the planner (about 0.9 of 1.3 ms per call). The
-- generic plans are the same index probes (the skip scan, one LATERAL probe per organization, the
-- running count on ix_jobs_running) whatever the parameters, so the function always uses them.
ALTER FUNCTION loupe_jobs_claim(text, integer, integer, integer, integer, text[]) SET plan_cache_mode = force_generic_plan;
