-- Purpose: health() tells anyone only what a load balancer needs (database ok, age of the data) and runs as security invoker.

set lock_timeout = '3s';
set statement_timeout = '30s';

-- health() was security definer in public (splinter: anon_ and authenticated_security_definer_function_executable)
-- and showed anyone the pg_cron job names, schedules and last runs. Now it is security invoker; the one privileged
-- read, the refresh time of the materialized view, is a security definer function in private that returns that
-- timestamp and nothing else. pg_cron's state is read in SQL by operators (docs/troubleshooting.md).
-- health() has a SQL-standard body, bound when it is created: calling it needs EXECUTE on the private function but
-- no USAGE on schema private, which the API roles keep not having.

create or replace function private.dashboard_kpis_refreshed_at()
returns timestamptz
language sql
stable
security definer
set search_path = ''
as $$
    select max(k.refreshed_at) from private.coach_dashboard_kpis as k;
$$;

comment on function private.dashboard_kpis_refreshed_at() is
    'When private.coach_dashboard_kpis was last refreshed (null while it holds no row). Security definer so that health() can tell anyone the age of the data without any right on the view; returns one timestamp, nothing per coach, hence no caller check.';

revoke all on function private.dashboard_kpis_refreshed_at() from public;
grant execute on function private.dashboard_kpis_refreshed_at() to anon, authenticated, service_role;

create or replace function public.health()
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select pg_catalog.jsonb_build_object(
        'database', 'ok',
        'checked_at', pg_catalog.clock_timestamp(),
        'dashboard_kpis_refreshed_at', r.refreshed_at,
        'dashboard_kpis_age_seconds', pg_catalog.round(extract(epoch from pg_catalog.clock_timestamp() - r.refreshed_at))
    )
    from (select private.dashboard_kpis_refreshed_at() as refreshed_at) as r;
end;

comment on function public.health() is
    'Health check for anyone (anon included): {database: "ok", checked_at, dashboard_kpis_refreshed_at and dashboard_kpis_age_seconds (null while the materialized view holds no row)}. Nothing per coach, no pg_cron detail. Security invoker.';

revoke execute on function public.health() from public;
grant execute on function public.health() to anon, authenticated, service_role;
