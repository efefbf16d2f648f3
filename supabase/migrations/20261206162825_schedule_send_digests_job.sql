-- Purpose: the pg_cron job send-digests calls the send-digests edge function every 15 minutes through pg_net, with the project's URL and service role key read from Vault (Supabase's way of scheduling an edge function).

set lock_timeout = '500ms';

-- The digest emails: every 15 minutes (a coach's Monday 8:00 comes at a quarter hour in every time zone), pg_net
-- calls the send-digests edge function with the project's URL and service role key read from Vault
-- (docs/deployment.md, "Digest emails"); locally local-supabase/platform.sql stands in for pg_net and Vault.
select private.schedule_job(
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
