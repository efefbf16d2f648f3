-- Purpose: refresh_dashboard_kpis() (admin or service_role) and the pg_cron job that runs it every 5 minutes.

create or replace function private.refresh_dashboard_kpis()
returns timestamptz
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
    -- the last 15 days of kpi_daily (days of every time zone) feed the week-over-week changes
    perform public.rebuild_kpi_daily(current_date - 15, current_date + 1);
    refresh materialized view concurrently private.coach_dashboard_kpis;
    return (select max(k.refreshed_at) from private.coach_dashboard_kpis as k);
end;
$$;

comment on function private.refresh_dashboard_kpis() is
    'Rebuilds the last 15 days of kpi_daily, then refreshes private.coach_dashboard_kpis concurrently (readers are never blocked). Returns the new last_updated. Run by pg_cron every 5 minutes.';

revoke all on function private.refresh_dashboard_kpis() from public;

create or replace function public.refresh_dashboard_kpis()
returns timestamptz
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    if coalesce(nullif(current_setting('role', true), ''), 'none') in ('anon', 'authenticated')
        and not public.is_admin() then
        raise exception 'permission denied: only an admin or the service role can refresh the dashboard'
            using errcode = '42501';
    end if;
    return private.refresh_dashboard_kpis();
end;
$$;

comment on function public.refresh_dashboard_kpis() is
    'Refreshes the dashboard KPIs now (kpi_daily of the last 15 days, then the materialized view) and returns the new last_updated. Admin (app_metadata.role) or service_role only; pg_cron runs it every 5 minutes.';

revoke execute on function public.refresh_dashboard_kpis() from public, anon;
grant execute on function public.refresh_dashboard_kpis() to authenticated, service_role;

select private.schedule_job(
    'refresh-dashboard-kpis',
    '*/5 * * * *',
    'select private.refresh_dashboard_kpis()'
);
