-- Purpose: the pg_cron job purge-cron-run-details deletes pg_cron's run history older than 7 days, every night.

set lock_timeout = '500ms';

-- pg_cron writes one row into cron.job_run_details per run and never deletes any: kpi-upkeep (every minute),
-- reconcile-kpi-facts and refresh-dashboard-kpis (every 5 minutes) and the nightly jobs add about 2,000 rows a day.
-- Seven days are kept, enough to see why a job failed last week (docs/troubleshooting.md). By start_time, not
-- end_time: a run cut short by a restart keeps end_time null and would be kept for ever. A run that never started
-- (start_time null, rare) is kept. The job runs as the role that scheduled it (postgres, as every job of the
-- migrations): pg_cron's row level security on the table (username = current_user) lets a role without BYPASSRLS
-- delete the runs of its own jobs, which are all of these.
-- 03:15 UTC: after the nightly rebuild-kpi-daily (02:30), out of the coaches' hours.
select private.schedule_job(
    'purge-cron-run-details',
    '15 3 * * *',
    $$delete from cron.job_run_details where start_time < now() - interval '7 days'$$
);
