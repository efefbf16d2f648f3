-- The legacy document of get_dashboard() without a period: a projection of the incremental facts (private.kpi_legacy_row,
-- materialized in private.coach_dashboard_kpis and refreshed every 5 minutes; private.kpi_legacy_document).

create or replace function private.kpi_legacy_ranked(items jsonb, prefix text, total numeric)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
    select coalesce(jsonb_agg(e.item - 'previous_count' order by e.position), '[]'::jsonb)
    from jsonb_array_elements(private.kpi_ranked(items, null, false, prefix, 2147483647, total))
        with ordinality as e (item, position);
$$;

comment on function private.kpi_legacy_ranked(jsonb, text, numeric) is
    'Every entry of a labelled map whose keys start with prefix, ranked as the legacy document''s RankedItem[] (private.kpi_ranked without previous_count): most first, ties by label, percentage of total (of the prefix''s own sum when total is null).';

revoke execute on function private.kpi_legacy_ranked(jsonb, text, numeric) from public;

create or replace function private.kpi_legacy_row(target_coach uuid)
returns table (
    coach_id uuid, refreshed_at timestamptz, messages_sent integer, messages_received integer,
    inbound_answered integer, messages_sent_30d integer, total_leads integer, leads_messaged integer,
    lead_magnets_sent integer, emails_captured integer, avg_time_to_action_minutes integer, new_leads integer,
    engaged_leads integer, won_leads integer, lost_leads integer, relance_leads integer, open_leads integer,
    male_leads integer, female_leads integer, other_leads integer, unknown_gender integer, average_age numeric,
    revenue numeric, deals_closed integer, average_deal_value numeric, no_shows integer, call_outcomes integer,
    first_lead_at timestamptz, qualified_leads integer, calls_proposed integer, calls_booked integer,
    won_ever integer, msg1_sent integer, msg1_replied integer, msg2_sent integer, msg2_replied integer,
    msg3_sent integer, msg3_replied integer, msg4_sent integer, msg4_replied integer,
    speed_median_minutes numeric, speed_p90_minutes numeric, speed_sample integer, sources jsonb,
    professions jsonb, lost_reasons jsonb, best_conversion_moment jsonb, lead_quality_by_source jsonb
)
language sql
stable
security invoker
set search_path = ''
as $$
    select c.id, clock_timestamp(), a.messages_sent, a.messages_received, a.inbound_answered, w.messages_sent,
        coalesce(n.leads, 0), a.dm1_sent, a.lead_magnets, a.emails,
        round(a.tta_sum::numeric / nullif(a.tta_count, 0))::integer,
        coalesce(n.new_leads, 0), coalesce(n.engaged_leads, 0), coalesce(n.won_leads, 0), coalesce(n.lost_leads, 0),
        coalesce(n.relance_leads, 0), coalesce(n.leads - n.won_leads - n.lost_leads, 0),
        a.men, a.women, a.other_gender, a.unknown_gender, round(a.age_sum::numeric / nullif(a.age_count, 0), 1),
        coalesce(n.won_revenue, 0), coalesce(n.won_leads, 0), round(n.won_revenue / nullif(n.won_valued, 0), 2),
        coalesce(n.no_shows, 0), coalesce(n.call_outcomes, 0),
        -- the first lead in (coach_id, created_day) index order: min(created_at) read all the coach's lead facts
        (select f.created_at from private.lead_facts as f where f.coach_id = c.id
         order by f.created_day, f.created_at limit 1),
        a.qualified, a.calls_proposed, a.calls_booked, a.deals_won,
        a.dm1_sent, a.dm1_replied, a.dm2_sent, a.dm2_replied, a.dm3_sent, a.dm3_replied, a.dm4_sent, a.dm4_replied,
        (s.speed ->> 'median_minutes')::numeric, (s.speed ->> 'p90_minutes')::numeric, (s.speed ->> 'sample')::integer,
        private.kpi_legacy_ranked(a.sources, 'leads:', coalesce(n.leads, 0)),
        private.kpi_legacy_ranked(a.professions, '', null),
        private.kpi_legacy_ranked(coalesce(n.lost_reasons, '{}'::jsonb), '', null),
        private.kpi_best_moment_slots(a.conversion_slots) - 'low_sample',
        -- by source: leads created and reached since (the all-time window), revenue of those now won
        private.kpi_source_quality(coalesce((select jsonb_object_agg(e.key, e.value) from jsonb_each(a.sources) as e
            where e.key not like 'revenue:%'), '{}'::jsonb)
            || coalesce((select jsonb_object_agg('revenue:' || e.key, e.value)
                from jsonb_each(n.won_revenue_by_source) as e), '{}'::jsonb))
    from public.coachs as c
    cross join lateral (select (now() at time zone c.timezone)::date as today offset 0) as t
    left join private.kpi_coach_now as n on n.coach_id = c.id
    cross join lateral private.kpi_period_sums(c.id, 'all', date '0001-01-01', t.today) as a
    cross join lateral private.kpi_period_sums(c.id, '30d', t.today - 29, t.today) as w
    cross join lateral (select private.kpi_speed_slots(w.speed_slots, w.speed) as speed) as s
    where c.id = target_coach;
$$;

comment on function private.kpi_legacy_row(uuid) is
    'The KPI row of the legacy document of a coach (the columns of private.coach_dashboard_kpis), from the incremental facts: the all-time and 30-day windows, the current pipeline (private.kpi_coach_now) and the first lead; the best conversion moment (all time) and the speed to lead (30 days) read from the windows'' packed slots (private.kpi_best_moment_slots, private.kpi_speed_slots), as period documents do. Its cost does not depend on the history (one window row or a few month rows each). See the migration for the differences of meaning with the query it replaces.';

revoke execute on function private.kpi_legacy_row(uuid) from public;

create materialized view private.coach_dashboard_kpis as
select r.*
from public.coachs as c
cross join lateral private.kpi_legacy_row(c.id) as r
with data;

comment on materialized view private.coach_dashboard_kpis is
    'The legacy document''s KPIs, one row per coach (private.kpi_legacy_row over the incremental facts), refreshed concurrently every 5 minutes by pg_cron (job refresh-dashboard-kpis); refreshed_at is last_updated. No RLS on a materialized view: not granted to anon or authenticated, read only through the security definer dashboard functions, which check the caller.';

create unique index coach_dashboard_kpis_coach_id_key on private.coach_dashboard_kpis (coach_id);

create or replace function private.dashboard_row(target_coach_id uuid)
returns setof private.coach_dashboard_kpis
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return query
    select k.* from private.coach_dashboard_kpis as k where k.coach_id = target_coach_id;
    if not found then
        return query
        select r.* from private.kpi_legacy_row(target_coach_id) as r;
    end if;
end;
$$;

comment on function private.dashboard_row(uuid) is
    'The KPI row of one coach from the materialized view, or computed now (private.kpi_legacy_row) when the coach is newer than the last refresh.';

revoke execute on function private.dashboard_row(uuid) from public;

create or replace function private.refresh_dashboard_kpis()
returns timestamptz
language plpgsql
volatile
security invoker
set search_path = ''
set jit = off
as $$
begin
    refresh materialized view concurrently private.coach_dashboard_kpis;
    return (select max(k.refreshed_at) from private.coach_dashboard_kpis as k);
end;
$$;

comment on function private.refresh_dashboard_kpis() is
    'Refreshes private.coach_dashboard_kpis concurrently (readers are never blocked) from the incremental facts (private.kpi_legacy_row per coach). Returns the new last_updated. Run by pg_cron every 5 minutes (job refresh-dashboard-kpis).';

revoke execute on function private.refresh_dashboard_kpis() from public;

create or replace function private.dashboard_kpis_refreshed_at()
returns timestamp with time zone
language sql
stable
security definer
set search_path = ''
as $$
    select max(k.refreshed_at) from private.coach_dashboard_kpis as k;
$$;

comment on function private.dashboard_kpis_refreshed_at() is
    'When private.coach_dashboard_kpis was last refreshed (null while it holds no row). Security definer so that health() can tell anyone the age of the data without any right on the view; returns one timestamp, nothing per coach, hence no caller check.';

revoke execute on function private.dashboard_kpis_refreshed_at() from public;
grant execute on function private.dashboard_kpis_refreshed_at() to anon, authenticated, service_role;

create or replace function private.refresh_dashboard_kpis_if_allowed()
returns timestamp with time zone
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

revoke execute on function private.refresh_dashboard_kpis_if_allowed() from public;
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
    'Refreshes the dashboard KPIs now (the materialized view, from the incremental facts) and returns the new last_updated. Admin (app_metadata.role) or service_role only (42501 otherwise); pg_cron runs it every 5 minutes. Security invoker.';

revoke execute on function public.refresh_dashboard_kpis() from public, anon;
grant execute on function public.refresh_dashboard_kpis() to authenticated, service_role;

create or replace function private.kpi_legacy_definitions()
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return (
        select coalesce(jsonb_object_agg(d.key, jsonb_build_object('label', d.label, 'formula', d.formula,
                'denominator', d.denominator)), '{}'::jsonb)
            || jsonb_build_object(
                'activity.total_leads', jsonb_build_object('label', 'Leads au total',
                    'formula', 'Nombre de leads du coach, depuis le début', 'denominator', null),
                'activity.leads_today', jsonb_build_object('label', 'Leads aujourd’hui',
                    'formula', 'Leads créés aujourd’hui (fuseau du coach)', 'denominator', null),
                'activity.leads_week', jsonb_build_object('label', 'Leads cette semaine',
                    'formula', 'Leads créés aujourd’hui et les 6 jours précédents (fuseau du coach)', 'denominator', null),
                'activity.leads_change', jsonb_build_object('label', 'Évolution des nouveaux leads',
                    'formula', 'Leads des 7 derniers jours comparés aux 7 jours d’avant, en %', 'denominator', null),
                'activity.messages_sent_change', jsonb_build_object('label', 'Évolution des messages envoyés',
                    'formula', 'Messages envoyés des 7 derniers jours comparés aux 7 jours d’avant, en %', 'denominator', null))
        from private.kpi_period_definitions as d
        where d.key in ('activity.messages_sent', 'activity.messages_received', 'activity.avg_messages_per_lead',
            'activity.top_sources', 'activity.avg_time_to_action_minutes', 'reply_rates',
            'qualification.qualified_leads', 'qualification.qualification_rate', 'qualification.lead_magnets_sent',
            'qualification.emails_captured', 'qualification.calls_proposed', 'qualification.calls_booked',
            'qualification.funnel', 'qualification.call_booking_rate', 'qualification.call_conversion_rate',
            'qualification.no_show_rate', 'demographics.men', 'demographics.women', 'demographics.other',
            'demographics.unknown_gender', 'demographics.average_age', 'demographics.top_professions',
            'pipeline.new_leads', 'pipeline.engaged_leads', 'pipeline.won_leads', 'pipeline.lost_leads',
            'pipeline.lost_rate', 'pipeline.relance_leads', 'pipeline.leads_to_follow_up', 'pipeline.follow_up_rate',
            'pipeline.follow_up', 'pipeline.lost_reasons', 'performance.revenue', 'performance.deals_closed',
            'performance.average_deal_value', 'performance.setter_cost', 'performance.acquisition_cost',
            'performance.roi', 'performance.ai_efficiency', 'performance.time_saved',
            'performance.best_conversion_moment', 'performance.lead_quality_by_source', 'performance.speed_to_lead')
    );
end;
$$;

comment on function private.kpi_legacy_definitions() is
    'definitions of the legacy document: label, formula and denominator of each of its KPI keys from the one glossary (private.kpi_period_definitions), and of the five keys only the legacy document has (total leads, leads today and this week, the two week-over-week changes). PL/pgSQL, so its query is planned once a session (as a SQL function with a SET clause it was planned again at every legacy document).';

revoke execute on function private.kpi_legacy_definitions() from public;

create or replace function private.kpi_legacy_document(coach_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
set plan_cache_mode = force_generic_plan
as $$
declare
    target uuid := private.check_coach_access(kpi_legacy_document.coach_id);
    k private.coach_dashboard_kpis;
    c public.coachs;
    s public.coach_settings;
    n private.kpi_coach_now;
    today date;
    day_sums private.kpi_facts;
    week private.kpi_facts;
    week_before private.kpi_facts;
    setter_cost numeric;
    minutes numeric;
begin
    select * into k from private.dashboard_row(target);
    select * into c from public.coachs as x where x.id = target;
    select * into s from public.coach_settings as x where x.coach_id = target;
    select * into n from private.kpi_coach_now as x where x.coach_id = target;
    today := (now() at time zone c.timezone)::date;
    -- today, this week and the week before: the preset windows (one row each), as of the last upkeep pass
    day_sums := private.kpi_period_sums(target, 'today', today, today);
    week := private.kpi_period_sums(target, '7d', today - 6, today);
    week_before := private.kpi_period_sums(target, 'previous_7d', today - 13, today - 7);
    setter_cost := coalesce(s.setter_monthly_cost, 0)
        * greatest(1, ceil(extract(epoch from now() - k.first_lead_at) / (30 * 86400.0)));
    minutes := coalesce(s.minutes_per_manual_message, 0);
    return jsonb_build_object(
        'coach', jsonb_build_object('id', c.id, 'name', c.name, 'timezone', c.timezone, 'currency', coalesce(s.currency, 'EUR')),
        'last_updated', k.refreshed_at,
        'min_sample', private.kpi_min_sample(),
        'has_leads', k.total_leads > 0,
        'activity', jsonb_build_object(
            'messages_sent', k.messages_sent,
            'messages_received', k.messages_received,
            'total_leads', k.total_leads,
            'leads_today', day_sums.new_leads,
            'leads_week', week.new_leads,
            'leads_change', private.kpi_change(week.new_leads, week_before.new_leads),
            'messages_sent_change', private.kpi_change(week.messages_sent, week_before.messages_sent),
            'avg_messages_per_lead', round((k.messages_sent + k.messages_received)::numeric / nullif(k.total_leads, 0), 1),
            'top_sources', coalesce(jsonb_path_query_array(k.sources, '$[0 to 2]'), '[]'::jsonb),
            'avg_time_to_action_minutes', k.avg_time_to_action_minutes),
        'reply_rates', (
            select jsonb_agg(jsonb_build_object('message_number', r.n, 'rate', private.kpi_rate(r.replied, r.sent),
                    'rating', private.kpi_rating((private.kpi_rate(r.replied, r.sent) ->> 'value')::numeric)) order by r.n)
            from (values (1, k.msg1_replied, k.msg1_sent), (2, k.msg2_replied, k.msg2_sent),
                (3, k.msg3_replied, k.msg3_sent), (4, k.msg4_replied, k.msg4_sent)) as r (n, replied, sent)),
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
                    'rate_from_previous', private.kpi_rate(k.calls_booked, k.calls_proposed))),
            'call_booking_rate', private.kpi_rate(k.calls_booked, k.calls_proposed),
            'call_conversion_rate', private.kpi_rate(k.won_ever, k.calls_booked),
            'no_show_rate', private.kpi_no_show_rate(k.no_shows, k.call_outcomes, null, null, false,
                s.default_no_show_rate) - 'previous' - 'change_points' - 'comparable'),
        'demographics', jsonb_build_object(
            'men', private.kpi_rate(k.male_leads, k.male_leads + k.female_leads + k.other_leads),
            'women', private.kpi_rate(k.female_leads, k.male_leads + k.female_leads + k.other_leads),
            'other', private.kpi_rate(k.other_leads, k.male_leads + k.female_leads + k.other_leads),
            'unknown_gender', k.unknown_gender,
            'average_age', k.average_age,
            'top_professions', coalesce(jsonb_path_query_array(k.professions, '$[0 to 4]'), '[]'::jsonb)),
        'pipeline', jsonb_build_object(
            'new_leads', k.new_leads,
            'engaged_leads', k.engaged_leads,
            'won_leads', k.won_leads,
            'lost_leads', k.lost_leads,
            'lost_rate', private.kpi_rate(k.lost_leads, k.total_leads),
            'relance_leads', k.relance_leads,
            'leads_to_follow_up', coalesce(n.follow_up_count, 0),
            'follow_up_rate', private.kpi_rate(coalesce(n.follow_up_count, 0), k.open_leads),
            'follow_up', coalesce(n.follow_up, '[]'::jsonb),
            'lost_reasons', coalesce(jsonb_path_query_array(k.lost_reasons, '$[0 to 4]'), '[]'::jsonb)),
        'performance', jsonb_build_object(
            'revenue', k.revenue,
            'deals_closed', k.deals_closed,
            'average_deal_value', k.average_deal_value,
            'setter_cost', setter_cost,
            'acquisition_cost', round(setter_cost / nullif(k.deals_closed, 0), 2),
            'roi', private.kpi_rate(k.revenue - setter_cost, setter_cost, false),
            'ai_efficiency', private.kpi_rate(k.inbound_answered, k.messages_received),
            'time_saved', jsonb_build_object('hours', round(k.messages_sent_30d * minutes / 60.0, 1),
                'messages', k.messages_sent_30d, 'minutes_per_message', minutes, 'estimated', true),
            'best_conversion_moment', k.best_conversion_moment,
            'lead_quality_by_source', k.lead_quality_by_source,
            'speed_to_lead', jsonb_build_object('median_minutes', k.speed_median_minutes,
                'p90_minutes', k.speed_p90_minutes, 'sample', k.speed_sample)),
        'definitions', private.kpi_legacy_definitions()
    );
end;
$$;

comment on function private.kpi_legacy_document(uuid) is
    'The legacy dashboard document (Dashboard of web/src/dashboard-types.ts) of a coach, a projection of the incremental facts: the row of private.coach_dashboard_kpis (last_updated = its refresh, every 5 minutes; computed now for a coach it does not hold yet), leads today and this week and the week-over-week changes from the preset windows, the follow-up list of period documents (private.kpi_coach_now), the settings at call time and the glossary (private.kpi_legacy_definitions). Security definer: checks the caller (private.check_coach_access). Errors: 42501 another coach''s id (admins may ask for any coach), 22004 no coach id, PT404 unknown coach.';

revoke execute on function private.kpi_legacy_document(uuid) from public, anon;
grant execute on function private.kpi_legacy_document(uuid) to authenticated, service_role;
