-- get_top_sources and get_top_professions for a period.

create or replace function private.kpi_top_labels(coach_id uuid, result_limit integer, what text, period text, period_start date, period_end date)
returns table(label text, lead_count integer, percentage numeric)
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

revoke execute on function private.kpi_top_labels(uuid, integer, text, text, date, date) from public;
grant execute on function private.kpi_top_labels(uuid, integer, text, text, date, date) to authenticated, service_role;

create or replace function public.get_top_sources(
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

revoke execute on function public.get_top_sources(uuid, integer, text, date, date) from public, anon;
grant execute on function public.get_top_sources(uuid, integer, text, date, date) to authenticated, service_role;

create or replace function public.get_top_professions(
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

revoke execute on function public.get_top_professions(uuid, integer, text, date, date) from public, anon;
grant execute on function public.get_top_professions(uuid, integer, text, date, date) to authenticated, service_role;
