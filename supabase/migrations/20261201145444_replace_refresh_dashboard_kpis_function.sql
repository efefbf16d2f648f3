-- Purpose: public.refresh_dashboard_kpis() runs as security invoker; its caller check and the refresh move into a security definer function in private.

set lock_timeout = '3s';
set statement_timeout = '30s';

-- It was security definer in public (splinter: authenticated_security_definer_function_executable). The rights it
-- needs (refreshing a materialized view it does not let callers read) now come from
-- private.refresh_dashboard_kpis_if_allowed(), which checks the caller first, as before: an admin (app_metadata) or
-- the service role; pg_cron keeps running private.refresh_dashboard_kpis() directly. The public function has a
-- SQL-standard body, bound when it is created: calling it needs EXECUTE on the private one but no USAGE on schema
-- private, which the API roles keep not having.
create or replace function private.refresh_dashboard_kpis_if_allowed()
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

comment on function private.refresh_dashboard_kpis_if_allowed() is
    'Refreshes the dashboard KPIs (private.refresh_dashboard_kpis) when the caller is an admin (app_metadata.role) or a trusted role (service_role, the owner, pg_cron); a coach or anon gets 42501. Security definer: the entry point of public.refresh_dashboard_kpis().';

revoke all on function private.refresh_dashboard_kpis_if_allowed() from public, anon;
grant execute on function private.refresh_dashboard_kpis_if_allowed() to authenticated, service_role;

create or replace function public.refresh_dashboard_kpis()
returns timestamptz
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.refresh_dashboard_kpis_if_allowed();
end;

comment on function public.refresh_dashboard_kpis() is
    'Refreshes the dashboard KPIs now (kpi_daily of the last 15 days, then the materialized view) and returns the new last_updated. Admin (app_metadata.role) or service_role only (42501 otherwise); pg_cron runs it every 5 minutes. Security invoker.';

revoke execute on function public.refresh_dashboard_kpis() from public, anon;
grant execute on function public.refresh_dashboard_kpis() to authenticated, service_role;
