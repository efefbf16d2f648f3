-- get_leads_to_followup: the whole follow-up list of a period.

create or replace function private.kpi_leads_to_followup(coach_id uuid, period text, period_start date, period_end date)
returns table (
    lead_id uuid,
    instagram_username text,
    first_name text,
    status text,
    days_without_contact integer,
    priority text
)
language plpgsql
stable
security definer
set search_path = ''
set jit = off
set plan_cache_mode = force_generic_plan
as $$
declare
    target uuid := private.check_coach_access(kpi_leads_to_followup.coach_id);
begin
    if period is not null or period_start is not null or period_end is not null then
        perform private.kpi_resolve_period(target, period, period_start, period_end);
    end if;
    return query select f.* from private.leads_to_followup(target) as f;
end;
$$;

comment on function private.kpi_leads_to_followup(uuid, text, date, date) is
    'get_leads_to_followup for a coach after the caller check: the whole follow-up list (private.leads_to_followup: the rule of private.kpi_follow_up_rules over the lead facts, as of the last upkeep pass, as pipeline.follow_up of period documents); a period is checked like get_dashboard''s and does not filter the list (a snapshot).';

revoke execute on function private.kpi_leads_to_followup(uuid, text, date, date) from public;
grant execute on function private.kpi_leads_to_followup(uuid, text, date, date) to authenticated, service_role;

create or replace function public.get_leads_to_followup(
    coach_id uuid default auth.uid(),
    period text default null,
    period_start date default null,
    period_end date default null
)
returns table (
    lead_id uuid,
    instagram_username text,
    first_name text,
    status text,
    days_without_contact integer,
    priority text
)
language sql
stable
security invoker
set search_path = ''
begin atomic
    select * from private.kpi_leads_to_followup(get_leads_to_followup.coach_id, get_leads_to_followup.period,
        get_leads_to_followup.period_start, get_leads_to_followup.period_end);
end;

comment on function public.get_leads_to_followup(uuid, text, date, date) is
    'Leads to follow up for a coach (default: the caller): high = qualified/call_proposed silent 1-14 days or relance silent >= 3 days; medium = engaged silent 2-14 days or qualified/call_proposed silent > 14 days; low = new silent >= 3 days or engaged silent > 14 days. Sorted by priority then days without contact, longest first. A snapshot: without a period computed at call time; with a period (checked as get_dashboard''s, it does not filter the list) from the lead facts as of the last upkeep pass, the list of period documents. Errors: 42501 another coach''s id (admins may), 22004 no coach id, PT404 unknown coach (404), 22023 a bad period.';

revoke execute on function public.get_leads_to_followup(uuid, text, date, date) from public, anon;
grant execute on function public.get_leads_to_followup(uuid, text, date, date) to authenticated, service_role;
