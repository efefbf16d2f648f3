-- Purpose: pg_cron, an idempotent job scheduler helper, and the nightly rebuild of kpi_daily.

-- pg_cron can only be created in the database named by cron.database_name (postgres, as on Supabase, where it lives
-- in pg_catalog with its jobs in schema cron). Another database (e.g. a restored copy) gets no jobs, said loudly.
do $$
begin
    if coalesce(current_setting('cron.database_name', true), current_database()) = current_database() then
        create extension if not exists pg_cron;
    else
        raise warning 'pg_cron runs in database %, not %: KPI jobs are not scheduled here',
            current_setting('cron.database_name', true), current_database();
    end if;
end;
$$;

create or replace function private.schedule_job(job_name text, job_schedule text, job_command text)
returns bigint
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    job_id bigint;
begin
    if to_regnamespace('cron') is null then
        raise warning 'pg_cron is not installed in database %: job % not scheduled', current_database(), job_name;
        return null;
    end if;
    -- Idempotent: re-applying a migration replaces the job of that name instead of adding a second one.
    perform cron.unschedule(j.jobid) from cron.job as j where j.jobname = job_name;
    select cron.schedule(job_name, job_schedule, job_command) into job_id;
    return job_id;
end;
$$;

comment on function private.schedule_job(text, text, text) is
    'Schedules a pg_cron job by name, replacing any job of the same name (idempotent). Returns the job id, or null with a warning where pg_cron is not installed.';

revoke all on function private.schedule_job(text, text, text) from public;

-- Every night at 02:30 UTC: the last 60 days, so late deliveries and status corrections land in their day.
select private.schedule_job(
    'rebuild-kpi-daily',
    '30 2 * * *',
    'select public.rebuild_kpi_daily(current_date - 60, current_date + 1)'
);
