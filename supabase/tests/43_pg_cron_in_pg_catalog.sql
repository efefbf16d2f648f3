-- pg_cron lives in pg_catalog as on Supabase (splinter: extension_in_public); the migration that moves it there from
-- where 20261125100400 created it keeps every job (name, schedule, command, database, user, active) and its run
-- history, and does nothing where pg_cron already is in pg_catalog.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(8);

select is((select extnamespace::regnamespace::text from pg_catalog.pg_extension where extname = 'pg_cron'), 'pg_catalog',
    'pg_cron is installed in pg_catalog');
select is((select count(*)::int from cron.job where jobname in ('refresh-dashboard-kpis', 'rebuild-kpi-daily')), 2,
    'the KPI jobs are scheduled');

-- Where pg_cron already is in pg_catalog, the migration changes nothing.
create temporary table jobs_before as select jobid, jobname, schedule, command, database, username, active from cron.job;
\ir ../migrations/20261201145442_move_pg_cron_to_pg_catalog.sql
select set_eq('select jobid, jobname, schedule, command, database, username, active from cron.job',
    'select * from jobs_before', 'run again where pg_cron is in pg_catalog: the same jobs, with the same ids');

-- A database where the landed migration created pg_cron in public, with jobs (one paused, one to another user) and runs.
drop extension pg_cron;
create extension pg_cron schema public;
select cron.schedule_in_database('refresh-dashboard-kpis', '*/5 * * * *', 'select private.refresh_dashboard_kpis()', 'postgres');
select cron.schedule_in_database('paused-probe', '0 3 * * 1', 'select 1', 'postgres', 'supabase_auth_admin', false);
insert into cron.job_run_details (jobid, job_pid, database, username, command, status, return_message, start_time, end_time)
select j.jobid, 4242, 'postgres', 'postgres', j.command, 'failed', 'ERROR: probe', '2026-11-30 10:00:00+00', '2026-11-30 10:00:01+00'
from cron.job as j where j.jobname = 'refresh-dashboard-kpis';
create temporary table jobs_in_public as select jobname, schedule, command, database, username, active from cron.job;

\ir ../migrations/20261201145442_move_pg_cron_to_pg_catalog.sql
select is((select extnamespace::regnamespace::text from pg_catalog.pg_extension where extname = 'pg_cron'), 'pg_catalog',
    'moved from public to pg_catalog');
select set_eq('select jobname, schedule, command, database, username, active from cron.job',
    'select * from jobs_in_public', 'every job kept: name, schedule, command, database, user, active flag');
select is((select count(*)::int from cron.job where not active and username = 'supabase_auth_admin'), 1,
    'a paused job stays paused, under its user');
select is(
    (select string_agg(concat_ws('|', j.jobname, d.status, d.return_message, d.start_time), ',')
     from cron.job_run_details as d join cron.job as j using (jobid)),
    'refresh-dashboard-kpis|failed|ERROR: probe|2026-11-30 10:00:00+00',
'the run history is kept, under the job''s new id');
select is((select count(*)::int from pg_catalog.pg_namespace where nspname = 'cron'), 1, 'one cron schema');

select * from finish();
rollback;
