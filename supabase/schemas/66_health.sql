-- health: the database and KPI upkeep status for monitoring.

create or replace function public.health()
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select pg_catalog.jsonb_build_object(
        'ok', coalesce(pg_catalog.clock_timestamp() - u.last_pass_at <= interval '60 seconds', false),
        'database', 'ok',
        'checked_at', pg_catalog.clock_timestamp(),
        'dashboard_kpis_refreshed_at', r.refreshed_at,
        'dashboard_kpis_age_seconds', pg_catalog.round(extract(epoch from pg_catalog.clock_timestamp() - r.refreshed_at)),
        'kpi_upkeep_last_pass_at', u.last_pass_at,
        'kpi_upkeep_age_seconds', pg_catalog.round(extract(epoch from pg_catalog.clock_timestamp() - u.last_pass_at))
    )
    from (select private.dashboard_kpis_refreshed_at() as refreshed_at) as r
    cross join (select private.kpi_upkeep_last_pass_at() as last_pass_at) as u;
end;

comment on function public.health() is
    'Health check for anyone (anon included): {ok, database: "ok", checked_at, dashboard_kpis_refreshed_at, dashboard_kpis_age_seconds (null while the materialized view holds no row), kpi_upkeep_last_pass_at, kpi_upkeep_age_seconds (null before the first upkeep pass)}. ok is false when the last KPI upkeep pass is more than 60 seconds old or never ran (pg_cron job kpi-upkeep late or stopped: the period numbers are late). Nothing per coach, no pg_cron detail. Security invoker.';

revoke execute on function public.health() from public;
grant execute on function public.health() to anon, authenticated, service_role;
