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

-- The digest emails: every 15 minutes (a coach's Monday 8:00 comes at a quarter hour in every time zone), pg_net
-- calls the send-digests edge function with the project's URL and service role key read from Vault
-- (docs/deployment.md, "Digest emails"); locally local-supabase/platform.sql stands in for pg_net and Vault.
select cron.schedule(
    'send-digests',
    '*/15 * * * *',
    $$select net.http_post(
        url := (select s.decrypted_secret from vault.decrypted_secrets as s where s.name = 'project_url') || '/functions/v1/send-digests',
        headers := jsonb_build_object('Content-Type', 'application/json',
            'Authorization', 'Bearer ' || (select s.decrypted_secret from vault.decrypted_secrets as s where s.name = 'service_role_key')),
        body := jsonb_build_object('scheduled_at', now()),
        timeout_milliseconds := 10000
    ) as request_id$$
);

-- Hot leads to Telegram: every minute, pg_net calls the send-telegram edge function the same way (project URL and
-- service role key from Vault); it drains private.telegram_outbox (docs/deployment.md, "Hot leads to Telegram").
select cron.schedule(
    'send-telegram',
    '* * * * *',
    $$select net.http_post(
        url := (select s.decrypted_secret from vault.decrypted_secrets as s where s.name = 'project_url') || '/functions/v1/send-telegram',
        headers := jsonb_build_object('Content-Type', 'application/json',
            'Authorization', 'Bearer ' || (select s.decrypted_secret from vault.decrypted_secrets as s where s.name = 'service_role_key')),
        body := jsonb_build_object('scheduled_at', now()),
        timeout_milliseconds := 10000
    ) as request_id$$
);
