-- Purpose: the pg_cron job send-telegram calls the send-telegram edge function every minute through pg_net (URL and service role key from Vault), which drains the Telegram outbox.

set lock_timeout = '500ms';

select private.schedule_job(
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
