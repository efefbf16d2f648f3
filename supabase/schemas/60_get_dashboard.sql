-- get_dashboard: the dashboard document of a coach.

create or replace function private.dashboard(coach_id uuid, period text, period_start date, period_end date)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
    if period is null and period_start is null and period_end is null then
        return private.kpi_legacy_document(dashboard.coach_id);
    end if;
    return private.kpi_period_dashboard(dashboard.coach_id, period, period_start, period_end);
end;
$$;

comment on function private.dashboard(uuid, text, date, date) is
    'get_dashboard''s entry point in the private schema: private.kpi_legacy_document without a period or dates, else private.kpi_period_dashboard; each checks the caller.';

revoke execute on function private.dashboard(uuid, text, date, date) from public;
grant execute on function private.dashboard(uuid, text, date, date) to authenticated, service_role;

create or replace function public.get_dashboard(
    coach_id uuid default auth.uid(),
    period text default null,
    period_start date default null,
    period_end date default null
)
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select private.dashboard(get_dashboard.coach_id, get_dashboard.period, get_dashboard.period_start,
        get_dashboard.period_end);
end;

comment on function public.get_dashboard(uuid, text, date, date) is
    'The dashboard of a coach (default: the caller) as one JSON document. With a period (today, 7d, 30d, 90d, all; or range / no period with period_start and period_end, whole local days): the period document PeriodDashboard of web/src/dashboard-types.ts, from the incremental KPI facts (last_updated = last upkeep pass). Without any: exactly the legacy document Dashboard. The glossary of period documents is get_kpi_definitions(). Errors (PostgREST 400/403/404): 22023 a bad period or range (the message names the parameter), 42501 another coach''s id (admins may ask for any coach), 22004 no coach id, PT404 unknown coach (404).';

revoke execute on function public.get_dashboard(uuid, text, date, date) from public, anon;
grant execute on function public.get_dashboard(uuid, text, date, date) to authenticated, service_role;
