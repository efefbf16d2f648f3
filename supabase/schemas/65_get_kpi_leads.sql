-- get_kpi_leads: the leads behind a KPI (drill-down).

create or replace function private.kpi_lead_event(f private.lead_facts, kpi text, label text, from_day date, to_day date)
returns timestamp with time zone
language sql
stable
security invoker
as $$
    select case
        when kpi in ('activity.new_leads', 'activity.top_sources', 'performance.lead_quality_by_source',
                'qualification.emails_captured', 'demographics.unknown_gender', 'demographics.top_professions')
            then case when f.created_day between from_day and to_day
                and case kpi
                    when 'activity.top_sources' then f.source = label
                    when 'performance.lead_quality_by_source' then f.source = label
                    when 'qualification.emails_captured' then f.has_email
                    when 'demographics.unknown_gender' then f.gender is null
                    when 'demographics.top_professions' then f.profession = label
                    else true end
                then f.created_at end
        when kpi = 'qualification.funnel'
            then case when f.dm1_day between from_day and to_day
                and case label
                    when 'leads_contacted' then true when 'qualified' then f.qualified_at is not null
                    when 'calls_proposed' then f.proposed_at is not null when 'calls_booked' then f.booked_at is not null
                    else false end
                then f.dm1_at end
        when kpi = 'reply_rates.1' then case when f.dm1_day between from_day and to_day then f.dm1_at end
        when kpi = 'reply_rates.2' then case when f.dm2_day between from_day and to_day then f.dm2_at end
        when kpi = 'reply_rates.3' then case when f.dm3_day between from_day and to_day then f.dm3_at end
        when kpi = 'reply_rates.4' then case when f.dm4_day between from_day and to_day then f.dm4_at end
        when kpi = 'qualification.qualified_leads' then case when f.qualified_day between from_day and to_day then f.qualified_at end
        when kpi = 'qualification.calls_proposed' then case when f.proposed_day between from_day and to_day then f.proposed_at end
        when kpi = 'qualification.calls_booked' then case when f.booked_day between from_day and to_day then f.booked_at end
        when kpi = 'qualification.lead_magnets_sent'
            then case when f.lead_magnet_day between from_day and to_day then f.lead_magnet_at end
        when kpi = 'performance.deals_closed' then case when f.won_day between from_day and to_day then f.won_at end
        when kpi in ('pipeline.lost_in_period', 'pipeline.lost_reasons')
            then case when f.lost_day between from_day and to_day
                and (kpi = 'pipeline.lost_in_period' or f.lost_reason = label) then f.lost_at end
    end;
$$;

comment on function private.kpi_lead_event(private.lead_facts, text, text, date, date) is
    'The time of the event that puts a lead in the count kpi of a period (local days from_day to to_day), null when it is not in it: the drill-down filter of each count (docs/kpis.md "Drill-down"). Inlinable (no SET clause, reads no table).';

revoke execute on function private.kpi_lead_event(private.lead_facts, text, text, date, date) from public;

create or replace function private.kpi_leads(coach_id uuid, kpi text, period text, period_start date, period_end date, after text, page_size integer)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
declare
    target uuid := private.check_coach_access(kpi_leads.coach_id);
    p private.kpi_period := private.kpi_resolve_period(target, period, period_start, period_end);
    base text := split_part(kpi, ':', 1);
    label text := case when strpos(kpi, ':') > 0 then substr(kpi, strpos(kpi, ':') + 1) end;
    labelled constant text[] := array['activity.top_sources', 'performance.lead_quality_by_source',
        'demographics.top_professions', 'qualification.funnel', 'pipeline.lost_reasons'];
    plain constant text[] := array['activity.new_leads', 'qualification.emails_captured', 'demographics.unknown_gender',
        'qualification.qualified_leads', 'qualification.calls_proposed', 'qualification.calls_booked',
        'qualification.lead_magnets_sent', 'performance.deals_closed', 'pipeline.lost_in_period',
        'reply_rates.1', 'reply_rates.2', 'reply_rates.3', 'reply_rates.4'];
    after_at timestamptz;
    after_id uuid;
    result jsonb;
begin
    if kpi is null or not ((base = any (plain) and label is null) or (base = any (labelled) and nullif(label, '') is not null)) then
        raise exception using errcode = '22023',
            message = format('invalid parameter "kpi": "%s" is not a count with leads behind it', kpi),
            hint = 'One of ' || array_to_string(plain, ', ') || ', or ' || array_to_string(labelled, ':<label>, ') || ':<label>.';
    end if;
    if page_size is null or page_size not between 1 and 500 then
        raise exception using errcode = '22023', message = 'invalid parameter "page_size": must be between 1 and 500';
    end if;
    if after is not null then
        begin
            after_at := split_part(after, '|', 1)::timestamptz;
            after_id := split_part(after, '|', 2)::uuid;
        exception when others then
            raise exception using errcode = '22023', message = 'invalid parameter "after": not a cursor this function returned';
        end;
    end if;
    with counted as materialized (
        select f.lead_id, f.instagram_username, f.first_name, f.status, f.source, f.deal_value,
            private.kpi_lead_event(f, base, label, p.start_day, p.end_day) as event_at
        from private.lead_facts as f
        where f.coach_id = target
    ),
    page as (
        select c.* from counted as c
        where c.event_at is not null and (after is null or (c.event_at, c.lead_id) < (after_at, after_id))
        order by c.event_at desc, c.lead_id desc
        limit page_size + 1
    ),
    shown as (select * from page order by event_at desc, lead_id desc limit page_size)
    select jsonb_build_object(
        'rows', coalesce((select jsonb_agg(jsonb_build_object('lead_id', s.lead_id, 'instagram_username', s.instagram_username,
                'first_name', s.first_name, 'status', s.status, 'source', s.source, 'event_at', s.event_at,
                'deal_value', s.deal_value) order by s.event_at desc, s.lead_id desc) from shown as s), '[]'::jsonb),
        'next', case when (select count(*) from page) > page_size then (
            select to_char(s.event_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '|' || s.lead_id
            from shown as s order by s.event_at, s.lead_id limit 1) end,
        'total', (select count(*) from counted as c where c.event_at is not null))
    into result;
    return result;
end;
$$;

comment on function private.kpi_leads(uuid, text, text, date, date, text, integer) is
    'get_kpi_leads after the caller check: the leads of the count kpi over the period, most recent event first (event time, then lead id, descending), page_size of them after the cursor after; {rows, next, total}. Errors 22023 for an unknown kpi, a page_size outside 1..500, a cursor it did not return, and the period errors of get_dashboard.';

revoke execute on function private.kpi_leads(uuid, text, text, date, date, text, integer) from public;
grant execute on function private.kpi_leads(uuid, text, text, date, date, text, integer) to authenticated, service_role;

create or replace function public.get_kpi_leads(
    kpi text,
    coach_id uuid default auth.uid(),
    period text default '30d',
    period_start date default null,
    period_end date default null,
    after text default null,
    page_size integer default 50
)
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select private.kpi_leads(get_kpi_leads.coach_id, get_kpi_leads.kpi, get_kpi_leads.period, get_kpi_leads.period_start,
        get_kpi_leads.period_end, get_kpi_leads.after, get_kpi_leads.page_size);
end;

comment on function public.get_kpi_leads(text, uuid, text, date, date, text, integer) is
    'The leads behind a count of a period document (drill-down) for a coach (default: the caller): kpi is the count''s path, e.g. activity.new_leads, qualification.calls_booked, reply_rates.1, or a path and a label, e.g. activity.top_sources:story, qualification.funnel:qualified, pipeline.lost_reasons:price; period as get_dashboard''s (default 30d). Returns {rows: [{lead_id, instagram_username, first_name, status, source, event_at, deal_value}], next: cursor for after, or null on the last page, total}, most recent event first; total equals the document''s count. Errors: 22023 a bad kpi, page_size (1..500), cursor or period; 42501 another coach''s id (admins may); 22004 no coach id; PT404 unknown coach (404).';

revoke execute on function public.get_kpi_leads(text, uuid, text, date, date, text, integer) from public, anon;
grant execute on function public.get_kpi_leads(text, uuid, text, date, date, text, integer) to authenticated, service_role;
