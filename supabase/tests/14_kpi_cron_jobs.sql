-- The pg_cron jobs exist once each, with the right schedules and commands; scheduling again replaces, never duplicates.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(6);

select is((select count(*)::int from cron.job where jobname = 'refresh-dashboard-kpis'), 1, 'one refresh job');
select is((select schedule from cron.job where jobname = 'refresh-dashboard-kpis'), '*/5 * * * *', 'refresh every 5 minutes');
select is((select command from cron.job where jobname = 'refresh-dashboard-kpis'), 'select private.refresh_dashboard_kpis()',
    'the refresh job refreshes the dashboard KPIs');
select is((select count(*)::int from cron.job where jobname = 'rebuild-kpi-daily'), 1, 'one nightly kpi_daily job');
select is((select schedule from cron.job where jobname = 'rebuild-kpi-daily'), '30 2 * * *', 'kpi_daily rebuilt nightly at 02:30');
-- re-applying the migration's statement (idempotence)
select private.schedule_job('refresh-dashboard-kpis', '*/5 * * * *', 'select private.refresh_dashboard_kpis()');
select is((select count(*)::int from cron.job where jobname = 'refresh-dashboard-kpis'), 1,
    'scheduling the job again does not duplicate it');

select * from finish();
rollback;
