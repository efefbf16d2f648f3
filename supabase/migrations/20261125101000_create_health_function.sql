-- Purpose: health(): database ok, age of the dashboard materialized view, last run of each pg_cron job; callable by anyone.

create or replace function public.health()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    refreshed timestamptz;
    jobs jsonb := '[]'::jsonb;
begin
    select max(k.refreshed_at) into refreshed from private.coach_dashboard_kpis as k;
    if to_regclass('cron.job') is not null then
        execute $q$
            select coalesce(jsonb_agg(jsonb_build_object(
                    'job', j.jobname,
                    'schedule', j.schedule,
                    'active', j.active,
                    'last_status', r.status,
                    'last_start', r.start_time,
                    'last_end', r.end_time) order by j.jobname), '[]'::jsonb)
            from cron.job as j
            left join lateral (
                select d.status, d.start_time, d.end_time
                from cron.job_run_details as d
                where d.jobid = j.jobid
                order by d.start_time desc nulls last
                limit 1
            ) as r on true
        $q$ into jobs;
    end if;
    return jsonb_build_object(
        'database', 'ok',
        'checked_at', clock_timestamp(),
        'dashboard_kpis_refreshed_at', refreshed,
        'dashboard_kpis_age_seconds', round(extract(epoch from clock_timestamp() - refreshed)),
        'cron_jobs', jobs
    );
end;
$$;

comment on function public.health() is
    'Health check for anyone (anon included): {database: "ok", checked_at, dashboard_kpis_refreshed_at and dashboard_kpis_age_seconds (null while the materialized view holds no row), cron_jobs: [{job, schedule, active, last_status, last_start, last_end}]}. Nothing per coach.';

revoke execute on function public.health() from public;
grant execute on function public.health() to anon, authenticated, service_role;
