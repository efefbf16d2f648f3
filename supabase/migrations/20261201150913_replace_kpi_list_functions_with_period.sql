-- Purpose: the brief's four list functions (get_response_rates, get_top_sources, get_top_professions, get_leads_to_followup) keep their arguments and results and gain the optional period of get_dashboard; security invoker (SQL-standard bodies) over private security definer functions that check the caller.

set local lock_timeout = '3s';
set local statement_timeout = '30s';

-- Without a period each returns what it returned before (from the materialized view, the follow-up list computed at
-- call time); with one, the same columns from the incremental facts of the period (private.kpi_period_sums), and
-- the follow-up list, a snapshot, from the lead facts (as of the last upkeep pass; the period does not filter it).

create or replace function private.kpi_response_rates(coach_id uuid, period text, period_start date, period_end date)
returns table (message_number integer, sent integer, replied integer, rate numeric, low_sample boolean, rating text)
language plpgsql
stable
security definer
set search_path = ''
set jit = off
set plan_cache_mode = force_generic_plan
as $$
declare
    target uuid := private.check_coach_access(kpi_response_rates.coach_id);
    p private.kpi_period;
    s private.kpi_facts;
begin
    if period is null and period_start is null and period_end is null then
        select k.msg1_sent, k.msg1_replied, k.msg2_sent, k.msg2_replied, k.msg3_sent, k.msg3_replied, k.msg4_sent,
            k.msg4_replied
        into s.dm1_sent, s.dm1_replied, s.dm2_sent, s.dm2_replied, s.dm3_sent, s.dm3_replied, s.dm4_sent, s.dm4_replied
        from private.dashboard_row(target) as k;
    else
        p := private.kpi_resolve_period(target, period, period_start, period_end);
        s := private.kpi_period_sums(target, nullif(p.key, 'range'), p.start_day, p.end_day);
    end if;
    return query
    select x.n, x.sent, x.replied,
        (private.kpi_rate(x.replied, x.sent) ->> 'value')::numeric,
        (private.kpi_rate(x.replied, x.sent) ->> 'low_sample')::boolean,
        private.kpi_rating((private.kpi_rate(x.replied, x.sent) ->> 'value')::numeric)
    from (values (1, s.dm1_sent, s.dm1_replied), (2, s.dm2_sent, s.dm2_replied),
                 (3, s.dm3_sent, s.dm3_replied), (4, s.dm4_sent, s.dm4_replied)) as x (n, sent, replied)
    order by x.n;
end;
$$;

comment on function private.kpi_response_rates(uuid, text, date, date) is
    'get_response_rates for a coach after the caller check: DM 1 to 4 sent and replied, all time from the materialized view without a period, else over the period (the leads whose DM N was sent in it).';

create or replace function private.kpi_top_labels(
    coach_id uuid,
    result_limit integer,
    what text,
    period text,
    period_start date,
    period_end date
)
returns table (label text, lead_count integer, percentage numeric)
language plpgsql
stable
security definer
set search_path = ''
set jit = off
set plan_cache_mode = force_generic_plan
as $$
declare
    target uuid := private.check_coach_access(kpi_top_labels.coach_id);
    p private.kpi_period;
    s private.kpi_facts;
    items jsonb;
begin
    if period is null and period_start is null and period_end is null then
        select case what when 'sources' then k.sources else k.professions end into items
        from private.dashboard_row(target) as k;
    else
        p := private.kpi_resolve_period(target, period, period_start, period_end);
        s := private.kpi_period_sums(target, nullif(p.key, 'range'), p.start_day, p.end_day);
        items := case what
            when 'sources' then private.kpi_ranked(s.sources, null, false, 'leads:', greatest(coalesce(result_limit, 3), 0), s.new_leads)
            else private.kpi_ranked(s.professions, null, false, '', greatest(coalesce(result_limit, 5), 0), null) end;
    end if;
    return query
    select e.item ->> 'label', (e.item ->> 'lead_count')::integer, (e.item ->> 'percentage')::numeric
    from jsonb_array_elements(items) with ordinality as e (item, position)
    where e.position <= greatest(coalesce(result_limit, case what when 'sources' then 3 else 5 end), 0)
    order by e.position;
end;
$$;

comment on function private.kpi_top_labels(uuid, integer, text, text, date, date) is
    'get_top_sources (what = sources) and get_top_professions (what = professions) for a coach after the caller check: the top result_limit labels with their lead count and percentage, all time from the materialized view without a period, else over the leads created in the period.';

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
    p private.kpi_period;
begin
    if period is null and period_start is null and period_end is null then
        return query select f.* from private.leads_to_followup(target) as f;
        return;
    end if;
    p := private.kpi_resolve_period(target, period, period_start, period_end);
    return query
    select l.lead_id, l.instagram_username, l.first_name, l.status, p.today - l.last_contact_day, r.priority
    from private.kpi_follow_up_rules(p.today) as r
    join private.lead_facts as l
        on l.coach_id = target and l.status = r.status and l.last_contact_day between r.from_day and r.to_day
    order by r.priority_rank, l.last_contact_day, l.instagram_username nulls last, l.lead_id;
end;
$$;

comment on function private.kpi_leads_to_followup(uuid, text, date, date) is
    'get_leads_to_followup for a coach after the caller check: the whole follow-up list, computed at call time without a period; with one (checked like get_dashboard''s, it does not filter the list: a snapshot), from the lead facts as of the last upkeep pass, as pipeline.follow_up of period documents.';

revoke all on function private.kpi_response_rates(uuid, text, date, date) from public, anon;
revoke all on function private.kpi_top_labels(uuid, integer, text, text, date, date) from public, anon;
revoke all on function private.kpi_leads_to_followup(uuid, text, date, date) from public, anon;
grant execute on function private.kpi_response_rates(uuid, text, date, date) to authenticated, service_role;
grant execute on function private.kpi_top_labels(uuid, integer, text, text, date, date) to authenticated, service_role;
grant execute on function private.kpi_leads_to_followup(uuid, text, date, date) to authenticated, service_role;

drop function public.get_response_rates(uuid);
drop function public.get_top_sources(uuid, integer);
drop function public.get_top_professions(uuid, integer);
drop function public.get_leads_to_followup(uuid);

create function public.get_response_rates(
    coach_id uuid default auth.uid(),
    period text default null,
    period_start date default null,
    period_end date default null
)
returns table (message_number integer, sent integer, replied integer, rate numeric, low_sample boolean, rating text)
language sql
stable
security invoker
set search_path = ''
begin atomic
    select * from private.kpi_response_rates(get_response_rates.coach_id, get_response_rates.period,
        get_response_rates.period_start, get_response_rates.period_end);
end;

comment on function public.get_response_rates(uuid, text, date, date) is
    'Reply rate of sequence DMs 1 to 4 for a coach (default: the caller): sent = leads that received DM N, replied = those who answered it, rate in % (null when sent = 0), low_sample when sent < 5, rating excellent >= 60, good >= 40, else to_improve. Without a period: all time, from the materialized view (up to 5 minutes old); with a period as get_dashboard''s (today, 7d, 30d, 90d, all, or range with period_start and period_end): the leads whose DM N was sent in the period. Errors as get_dashboard.';

create function public.get_top_sources(
    coach_id uuid default auth.uid(),
    result_limit integer default 3,
    period text default null,
    period_start date default null,
    period_end date default null
)
returns table (source_name text, lead_count integer, percentage numeric)
language sql
stable
security invoker
set search_path = ''
begin atomic
    select * from private.kpi_top_labels(get_top_sources.coach_id, get_top_sources.result_limit, 'sources',
        get_top_sources.period, get_top_sources.period_start, get_top_sources.period_end);
end;

comment on function public.get_top_sources(uuid, integer, text, date, date) is
    'Top N lead sources of a coach (default: the caller; N default 3) with their lead count and percentage of the coach''s leads, most leads first (ties by name). Without a period: all leads, from the materialized view; with a period as get_dashboard''s: the leads created in the period. Errors as get_dashboard.';

create function public.get_top_professions(
    coach_id uuid default auth.uid(),
    result_limit integer default 5,
    period text default null,
    period_start date default null,
    period_end date default null
)
returns table (profession text, lead_count integer, percentage numeric)
language sql
stable
security invoker
set search_path = ''
begin atomic
    select * from private.kpi_top_labels(get_top_professions.coach_id, get_top_professions.result_limit, 'professions',
        get_top_professions.period, get_top_professions.period_start, get_top_professions.period_end);
end;

comment on function public.get_top_professions(uuid, integer, text, date, date) is
    'Top N professions of a coach''s leads (default: the caller; N default 5), job titles trimmed and lower-cased, with count and percentage of the leads whose job title is known. Without a period: all leads, from the materialized view; with a period as get_dashboard''s: the leads created in the period. Errors as get_dashboard.';

create function public.get_leads_to_followup(
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
    'Leads to follow up for a coach (default: the caller): high = qualified/call_proposed silent 1-14 days or relance silent >= 3 days; medium = engaged silent 2-14 days or qualified/call_proposed silent > 14 days; low = new silent >= 3 days or engaged silent > 14 days. Sorted by priority then days without contact, longest first. A snapshot: without a period computed at call time; with a period (checked as get_dashboard''s, it does not filter the list) from the lead facts as of the last upkeep pass, the list of period documents. Errors: 42501 another coach''s id (admins may), 22004 no coach id, P0002 unknown coach, 22023 a bad period.';

revoke execute on function public.get_response_rates(uuid, text, date, date) from public, anon;
revoke execute on function public.get_top_sources(uuid, integer, text, date, date) from public, anon;
revoke execute on function public.get_top_professions(uuid, integer, text, date, date) from public, anon;
revoke execute on function public.get_leads_to_followup(uuid, text, date, date) from public, anon;
grant execute on function public.get_response_rates(uuid, text, date, date) to authenticated, service_role;
grant execute on function public.get_top_sources(uuid, integer, text, date, date) to authenticated, service_role;
grant execute on function public.get_top_professions(uuid, integer, text, date, date) to authenticated, service_role;
grant execute on function public.get_leads_to_followup(uuid, text, date, date) to authenticated, service_role;
