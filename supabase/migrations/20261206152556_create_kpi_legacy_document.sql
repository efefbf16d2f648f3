-- Purpose: get_dashboard() without a period (the legacy document, same keys and meaning) becomes a small projection of the incremental facts: the view's row (private.kpi_legacy_row), the preset windows for today and the week-over-week changes, the follow-up list of period documents and the one glossary; private.dashboard calls it instead of private.dashboard_legacy.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- The legacy glossary entries of the keys period documents do not have (the other keys read
-- private.kpi_period_definitions, the one glossary).
create or replace function private.kpi_legacy_definitions()
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
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
        'performance.best_conversion_moment', 'performance.lead_quality_by_source', 'performance.speed_to_lead');
$$;

comment on function private.kpi_legacy_definitions() is
    'definitions of the legacy document: label, formula and denominator of each of its KPI keys from the one glossary (private.kpi_period_definitions), and of the five keys only the legacy document has (total leads, leads today and this week, the two week-over-week changes).';

revoke all on function private.kpi_legacy_definitions() from public;

-- The legacy document (Dashboard of web/src/dashboard-types.ts) of a coach.
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

revoke all on function private.kpi_legacy_document(uuid) from public, anon;
grant execute on function private.kpi_legacy_document(uuid) to authenticated, service_role;

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
        return private.kpi_legacy_document(dashboard.coach_id);
    end if;
    return private.kpi_period_dashboard(dashboard.coach_id, period, period_start, period_end);
end;
$$;

comment on function private.dashboard(uuid, text, date, date) is
    'get_dashboard''s entry point in the private schema: private.kpi_legacy_document without a period or dates, else private.kpi_period_dashboard; each checks the caller.';
