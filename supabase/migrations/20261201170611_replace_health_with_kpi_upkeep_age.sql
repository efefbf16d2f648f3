-- Purpose: health() also tells anyone the age of the KPI upkeep's last pass, and ok = false when it is older than 60 s (the period numbers the page shows are late).

set lock_timeout = '500ms';

-- The upkeep's state (private.kpi_upkeep_state) has no grant to the API roles. As for the age of the materialized
-- view (20261201145443), the one privileged read is a security definer function of private that returns one
-- timestamp: nothing per coach, nothing else of the upkeep, so there is no caller to check beyond the grants. anon
-- keeps EXECUTE because health() is security invoker and anyone may call it; calling it needs no USAGE on private.
create or replace function private.kpi_upkeep_last_pass_at()
returns timestamptz
language sql
stable
security definer
set search_path = ''
as $$
    select s.last_pass_at from private.kpi_upkeep_state as s;
$$;

comment on function private.kpi_upkeep_last_pass_at() is
    'When the last KPI upkeep pass finished draining the queue (private.kpi_upkeep_state.last_pass_at; null before the first pass). Security definer so that health() can tell anyone the age of the period numbers without any right on the upkeep''s state; returns one timestamp, nothing per coach, hence no caller check.';

revoke all on function private.kpi_upkeep_last_pass_at() from public, anon;
grant execute on function private.kpi_upkeep_last_pass_at() to anon, authenticated, service_role;

-- Stale: the pg_cron job kpi-upkeep starts every minute and runs a pass every 5 s for 50 s, so the last pass is at
-- most about 15 s old when it runs (the bench's freshness target is 60 s). Older than 60 s, a whole minute's run is
-- missing or stuck: the period numbers the page shows are late. Never run (null) is stale too.
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
