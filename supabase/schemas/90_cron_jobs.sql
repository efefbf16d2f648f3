-- The pg_cron jobs (schedule, command).

select cron.schedule(
    'rebuild-kpi-daily',
    '30 2 * * *',
    $$select public.rebuild_kpi_daily(current_date - 60, current_date + 1)$$
);

select cron.schedule(
    'refresh-dashboard-kpis',
    '*/5 * * * *',
    $$select private.refresh_dashboard_kpis()$$
);

select cron.schedule(
    'kpi-upkeep',
    '* * * * *',
    $$call private.kpi_upkeep_loop()$$
);

select cron.schedule(
    'reconcile-kpi-facts',
    '*/5 * * * *',
    $$select private.kpi_reconcile()$$
);

select cron.schedule(
    'purge-cron-run-details',
    '15 3 * * *',
    $$delete from cron.job_run_details where start_time < now() - interval '7 days'$$
);
