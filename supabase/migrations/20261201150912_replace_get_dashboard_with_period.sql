-- Purpose: get_dashboard(coach_id, period, period_start, period_end): with a period, the period document of the KPI engine v2 (PeriodDashboard); without, exactly the legacy document. The public function is security invoker; the two documents are built by private security definer functions that check the caller.

set local lock_timeout = '3s';
set local statement_timeout = '30s';

-- The API functions below are security invoker with a SQL-standard body: it is bound when the function is created,
-- so calling it needs EXECUTE on the private security definer function it calls, not USAGE on the private schema,
-- which the API roles do not have (as update_coach_settings, 20261201134824).

-- The legacy document (Dashboard of web/src/dashboard-types.ts), unchanged: the body of get_dashboard of
-- 20261126100300, moved here as a security definer function of the private schema. It reads the materialized view
-- private.coach_dashboard_kpis; it goes away with that view once the page reads period documents.
create or replace function private.dashboard_legacy(coach_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
declare
    target uuid := private.check_coach_access(dashboard_legacy.coach_id);
    k private.coach_dashboard_kpis;
    c public.coachs;
    s public.coach_settings;
    today date;
    week_start timestamptz;
    tomorrow_start timestamptz;
    leads_today integer;
    leads_week integer;
    sent_week integer;
    previous_leads integer;
    previous_sent integer;
    follow_up jsonb;
    follow_up_count integer;
    setter_cost numeric;
    minutes numeric;
    no_show jsonb;
begin
    select * into k from private.dashboard_row(target);
    select * into c from public.coachs as x where x.id = target;
    select * into s from public.coach_settings as x where x.coach_id = target;

    -- Live (computed at call time, in the coach's time zone): today, the last 7 days, the follow-up list.
    today := (now() at time zone c.timezone)::date;
    week_start := (today - 6)::timestamp at time zone c.timezone;
    tomorrow_start := (today + 1)::timestamp at time zone c.timezone;

    select
        count(*) filter (where l.created_at >= today::timestamp at time zone c.timezone),
        count(*)
    into leads_today, leads_week
    from public.leads as l
    where l.coach_id = target and l.created_at >= week_start and l.created_at < tomorrow_start;

    select count(*) into sent_week
    from public.messages as m
    where m.coach_id = target and m.direction = 'out' and m.created_at >= week_start and m.created_at < tomorrow_start;

    -- The week before comes from kpi_daily (rebuilt from events by every refresh and nightly).
    select coalesce(sum(d.new_leads), 0), coalesce(sum(d.total_dms), 0)
    into previous_leads, previous_sent
    from public.kpi_daily as d
    where d.coach_id = target and d.date between today - 13 and today - 7;

    -- The document carries the most urgent leads only (private.kpi_follow_up_preview()); the count is of all of
    -- them, and get_leads_to_followup() returns the whole list. The rule is inlined here, so only the rows kept are
    -- sorted (top-N) and the count comes from the same pass.
    select
        coalesce(jsonb_agg(jsonb_build_object(
            'lead_id', f.lead_id,
            'instagram_username', f.instagram_username,
            'first_name', f.first_name,
            'status', f.status,
            'days_without_contact', f.days_without_contact,
            'priority', f.priority)
            order by f.priority_rank, f.days_without_contact desc, f.instagram_username nulls last, f.lead_id), '[]'::jsonb),
        coalesce(max(f.total), 0)
    into follow_up, follow_up_count
    from (
        select x.*, count(*) over () as total
        from private.follow_up_candidates(target) as x
        order by x.priority_rank, x.days_without_contact desc, x.instagram_username nulls last, x.lead_id
        limit private.kpi_follow_up_preview()
    ) as f;

    -- Settings are read live, so a changed setting shows at once.
    setter_cost := coalesce(s.setter_monthly_cost, 0)
        * greatest(1, ceil(extract(epoch from now() - k.first_lead_at) / (30 * 86400.0)));
    minutes := coalesce(s.minutes_per_manual_message, 0);

    no_show := case
        when k.call_outcomes > 0 then private.kpi_rate(k.no_shows, k.call_outcomes) || '{"estimated": false}'
        else private.kpi_rate(0, 0)
            || jsonb_build_object('value', round(coalesce(s.default_no_show_rate, 0) * 100, 1), 'estimated', true)
    end;

    return jsonb_build_object(
        'coach', jsonb_build_object(
            'id', c.id, 'name', c.name, 'timezone', c.timezone, 'currency', coalesce(s.currency, 'EUR')),
        'last_updated', k.refreshed_at,
        'min_sample', private.kpi_min_sample(),
        'has_leads', k.total_leads > 0,
        'activity', jsonb_build_object(
            'messages_sent', k.messages_sent,
            'messages_received', k.messages_received,
            'total_leads', k.total_leads,
            'leads_today', leads_today,
            'leads_week', leads_week,
            'leads_change', private.kpi_change(leads_week, previous_leads),
            'messages_sent_change', private.kpi_change(sent_week, previous_sent),
            'avg_messages_per_lead',
                round((k.messages_sent + k.messages_received)::numeric / nullif(k.total_leads, 0), 1),
            'top_sources', coalesce(jsonb_path_query_array(k.sources, '$[0 to 2]'), '[]'::jsonb),
            'avg_time_to_action_minutes', k.avg_time_to_action_minutes
        ),
        'reply_rates', jsonb_build_array(
            jsonb_build_object('message_number', 1, 'rate', private.kpi_rate(k.msg1_replied, k.msg1_sent),
                'rating', private.kpi_rating((private.kpi_rate(k.msg1_replied, k.msg1_sent) ->> 'value')::numeric)),
            jsonb_build_object('message_number', 2, 'rate', private.kpi_rate(k.msg2_replied, k.msg2_sent),
                'rating', private.kpi_rating((private.kpi_rate(k.msg2_replied, k.msg2_sent) ->> 'value')::numeric)),
            jsonb_build_object('message_number', 3, 'rate', private.kpi_rate(k.msg3_replied, k.msg3_sent),
                'rating', private.kpi_rating((private.kpi_rate(k.msg3_replied, k.msg3_sent) ->> 'value')::numeric)),
            jsonb_build_object('message_number', 4, 'rate', private.kpi_rate(k.msg4_replied, k.msg4_sent),
                'rating', private.kpi_rating((private.kpi_rate(k.msg4_replied, k.msg4_sent) ->> 'value')::numeric))
        ),
        'qualification', jsonb_build_object(
            'qualified_leads', k.qualified_leads,
            'qualification_rate', private.kpi_rate(k.qualified_leads, k.total_leads),
            'lead_magnets_sent', k.lead_magnets_sent,
            'emails_captured', k.emails_captured,
            'calls_proposed', k.calls_proposed,
            'calls_booked', k.calls_booked,
            'funnel', jsonb_build_array(
                jsonb_build_object('step', 'messages_sent', 'count', k.leads_messaged, 'rate_from_previous', null),
                jsonb_build_object('step', 'qualified', 'count', k.qualified_leads,
                    'rate_from_previous', private.kpi_rate(k.qualified_leads, k.leads_messaged)),
                jsonb_build_object('step', 'calls_proposed', 'count', k.calls_proposed,
                    'rate_from_previous', private.kpi_rate(k.calls_proposed, k.qualified_leads)),
                jsonb_build_object('step', 'calls_booked', 'count', k.calls_booked,
                    'rate_from_previous', private.kpi_rate(k.calls_booked, k.calls_proposed))
            ),
            'call_booking_rate', private.kpi_rate(k.calls_booked, k.calls_proposed),
            'call_conversion_rate', private.kpi_rate(k.won_ever, k.calls_booked),
            'no_show_rate', no_show
        ),
        'demographics', jsonb_build_object(
            'men', private.kpi_rate(k.male_leads, k.male_leads + k.female_leads + k.other_leads),
            'women', private.kpi_rate(k.female_leads, k.male_leads + k.female_leads + k.other_leads),
            'other', private.kpi_rate(k.other_leads, k.male_leads + k.female_leads + k.other_leads),
            'unknown_gender', k.unknown_gender,
            'average_age', k.average_age,
            'top_professions', coalesce(jsonb_path_query_array(k.professions, '$[0 to 4]'), '[]'::jsonb)
        ),
        'pipeline', jsonb_build_object(
            'new_leads', k.new_leads,
            'engaged_leads', k.engaged_leads,
            'won_leads', k.won_leads,
            'lost_leads', k.lost_leads,
            'lost_rate', private.kpi_rate(k.lost_leads, k.total_leads),
            'relance_leads', k.relance_leads,
            'leads_to_follow_up', follow_up_count,
            'follow_up_rate', private.kpi_rate(follow_up_count, k.open_leads),
            'follow_up', follow_up,
            'lost_reasons', coalesce(jsonb_path_query_array(k.lost_reasons, '$[0 to 4]'), '[]'::jsonb)
        ),
        'performance', jsonb_build_object(
            'revenue', k.revenue,
            'deals_closed', k.deals_closed,
            'average_deal_value', k.average_deal_value,
            'setter_cost', setter_cost,
            'acquisition_cost', round(setter_cost / nullif(k.deals_closed, 0), 2),
            'roi', private.kpi_rate(k.revenue - setter_cost, setter_cost, false),
            'ai_efficiency', private.kpi_rate(k.inbound_answered, k.messages_received),
            'time_saved', jsonb_build_object(
                'hours', round(k.messages_sent_30d * minutes / 60.0, 1),
                'messages', k.messages_sent_30d,
                'minutes_per_message', minutes,
                'estimated', true),
            'best_conversion_moment', k.best_conversion_moment,
            'lead_quality_by_source', k.lead_quality_by_source,
            'speed_to_lead', jsonb_build_object(
                'median_minutes', k.speed_median_minutes,
                'p90_minutes', k.speed_p90_minutes,
                'sample', k.speed_sample)
        ),
        'definitions', (
            select coalesce(jsonb_object_agg(d.key, jsonb_build_object(
                'label', d.label, 'formula', d.formula, 'denominator', d.denominator)), '{}'::jsonb)
            from private.kpi_definitions as d
        )
    );
end;
$$;

comment on function private.dashboard_legacy(uuid) is
    'The legacy dashboard document (Dashboard of web/src/dashboard-types.ts) of a coach, exactly as get_dashboard(coach_id) returned it before periods: most KPIs from private.coach_dashboard_kpis (last_updated = its refresh time), leads today/this week, the week-over-week changes, the follow-up list and the settings at call time. Security definer: checks the caller (private.check_coach_access). Errors: 42501 another coach''s id (admins may ask for any coach), 22004 no coach id, P0002 unknown coach.';

revoke all on function private.dashboard_legacy(uuid) from public, anon;
grant execute on function private.dashboard_legacy(uuid) to authenticated, service_role;

create or replace function private.kpi_period_json(p private.kpi_period)
returns jsonb
language sql
stable
security invoker
as $$
    select jsonb_build_object(
        'key', p.key,
        'start', to_char(p.start_day, 'YYYY-MM-DD'),
        'end', to_char(p.end_day, 'YYYY-MM-DD'),
        'days', p.days,
        'previous', case when p.previous_start is not null then jsonb_build_object(
            'start', to_char(p.previous_start, 'YYYY-MM-DD'), 'end', to_char(p.previous_end, 'YYYY-MM-DD')) end,
        'bucket', p.bucket,
        'timezone', p.timezone
    );
$$;

comment on function private.kpi_period_json(private.kpi_period) is
    'The period object of a period document (Period of web/src/dashboard-types.ts). Inlinable (no SET clause, reads no table).';

revoke all on function private.kpi_period_json(private.kpi_period) from public;

-- The period document of a coach for a resolved period: a thin composition of the section functions over the
-- period's and the previous period's summed facts. No caller check here: its callers check (get_dashboard's
-- private.kpi_period_dashboard) or are the upkeep (private.kpi_refresh_documents).
create or replace function private.kpi_period_document(target_coach uuid, p private.kpi_period)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    has_previous boolean := p.previous_start is not null;
    cur private.kpi_facts := private.kpi_period_sums(target_coach, nullif(p.key, 'range'), p.start_day, p.end_day);
    prev private.kpi_facts;
    c public.coachs;
    s public.coach_settings;
begin
    if has_previous then
        prev := private.kpi_period_sums(target_coach, 'previous_' || p.key, p.previous_start, p.previous_end);
    end if;
    select * into c from public.coachs as x where x.id = target_coach;
    select * into s from public.coach_settings as x where x.coach_id = target_coach;
    return jsonb_build_object(
        'version', 2,
        'coach', jsonb_build_object('id', c.id, 'name', c.name, 'timezone', c.timezone, 'currency', coalesce(s.currency, 'EUR')),
        'last_updated', (select u.last_pass_at from private.kpi_upkeep_state as u),
        'min_sample', private.kpi_min_sample(),
        'has_leads', exists (select 1 from private.kpi_coach_now as n where n.coach_id = target_coach and n.leads > 0),
        'period', private.kpi_period_json(p),
        'activity', private.kpi_section_activity(cur, prev, has_previous),
        'reply_rates', private.kpi_section_reply_rates(cur, prev, has_previous),
        'qualification', private.kpi_section_qualification(cur, prev, has_previous, s.default_no_show_rate),
        'demographics', private.kpi_section_demographics(cur, prev, has_previous),
        'pipeline', private.kpi_section_pipeline(target_coach, p.today, cur, prev, has_previous),
        'performance', private.kpi_section_performance(target_coach, p, cur, prev, s),
        'trend', private.kpi_section_trend(target_coach, p)
    );
end;
$$;

comment on function private.kpi_period_document(uuid, private.kpi_period) is
    'The period document (PeriodDashboard of web/src/dashboard-types.ts) of a coach for a resolved period: the facts of the period and of the previous one (private.kpi_period_sums), then one function per section. No caller check: called by private.kpi_period_dashboard after it, and by the upkeep.';

revoke all on function private.kpi_period_document(uuid, private.kpi_period) from public;

-- get_dashboard with a period: the caller check, the period, then the document the upkeep computed for that preset
-- period today (one row), or the document computed now (a range, or a coach whose day just changed).
create or replace function private.kpi_period_dashboard(coach_id uuid, period text, period_start date, period_end date)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
set plan_cache_mode = force_generic_plan
as $$
declare
    target uuid := private.check_coach_access(kpi_period_dashboard.coach_id);
    p private.kpi_period := private.kpi_resolve_period(target, period, period_start, period_end);
    cached jsonb;
begin
    select d.document || jsonb_build_object('last_updated', (select u.last_pass_at from private.kpi_upkeep_state as u))
    into cached
    from private.kpi_documents as d
    where d.coach_id = target and d.period = p.key and d.day = p.today;
    return coalesce(cached, private.kpi_period_document(target, p));
end;
$$;

comment on function private.kpi_period_dashboard(uuid, text, date, date) is
    'get_dashboard with a period: checks the caller (private.check_coach_access), resolves the period, returns the document of that preset period the upkeep computed for the coach''s today (private.kpi_documents; last_updated = the last upkeep pass), else computes it (private.kpi_period_document). Security definer: reads the private facts tables after the check. Generic plans for every statement (left to choose, PL/pgSQL re-planned the follow-up list on every call: 0.7 ms of planning for 0.3 ms of work).';

revoke all on function private.kpi_period_dashboard(uuid, text, date, date) from public, anon;
grant execute on function private.kpi_period_dashboard(uuid, text, date, date) to authenticated, service_role;

-- The documents of the preset periods of a coach, computed now for its local today.
create or replace function private.kpi_refresh_documents(target_coach uuid)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
    written integer;
begin
    insert into private.kpi_documents as d (coach_id, period, day, document, computed_at)
    select target_coach, x.key, p.today, private.kpi_period_document(target_coach, p), now()
    from unnest(array['today', '7d', '30d', '90d', 'all']) as x (key)
    cross join lateral private.kpi_resolve_period(target_coach, x.key, null, null) as p
    on conflict (coach_id, period) do update
    set day = excluded.day, document = excluded.document, computed_at = excluded.computed_at;
    get diagnostics written = row_count;
    return written;
end;
$$;

comment on function private.kpi_refresh_documents(uuid) is
    'Computes the period documents of the preset periods (today, 7d, 30d, 90d, all) of a coach for its local today into private.kpi_documents. Run by the upkeep for the coaches whose facts changed and when a coach''s day changes.';

revoke all on function private.kpi_refresh_documents(uuid) from public;


drop function public.get_dashboard(uuid);

-- The API's entry point: the legacy document without a period, else the period document.
create or replace function private.dashboard(coach_id uuid, period text, period_start date, period_end date)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
    if period is null and period_start is null and period_end is null then
        return private.dashboard_legacy(dashboard.coach_id);
    end if;
    return private.kpi_period_dashboard(dashboard.coach_id, period, period_start, period_end);
end;
$$;

comment on function private.dashboard(uuid, text, date, date) is
    'get_dashboard''s entry point in the private schema: private.dashboard_legacy without a period or dates, else private.kpi_period_dashboard; each checks the caller.';

revoke all on function private.dashboard(uuid, text, date, date) from public, anon;
grant execute on function private.dashboard(uuid, text, date, date) to authenticated, service_role;

create function public.get_dashboard(
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
    'The dashboard of a coach (default: the caller) as one JSON document. With a period (today, 7d, 30d, 90d, all; or range / no period with period_start and period_end, whole local days): the period document PeriodDashboard of web/src/dashboard-types.ts, from the incremental KPI facts (last_updated = last upkeep pass). Without any: exactly the legacy document Dashboard. The glossary of period documents is get_kpi_definitions(). Errors (PostgREST 400/403/404): 22023 a bad period or range (the message names the parameter), 42501 another coach''s id (admins may ask for any coach), 22004 no coach id, P0002 unknown coach.';

revoke execute on function public.get_dashboard(uuid, text, date, date) from public, anon;
grant execute on function public.get_dashboard(uuid, text, date, date) to authenticated, service_role;
