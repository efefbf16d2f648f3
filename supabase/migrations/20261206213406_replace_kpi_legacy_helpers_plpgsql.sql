-- Purpose: the legacy document's two helpers that were SQL functions with a SET clause (never inlined: parsed and planned again at every document), kpi_change and kpi_legacy_definitions, become PL/pgSQL (plans kept for the session).

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_change(numeric, numeric), as supabase/schemas/40_kpi_helpers.sql defines it
create or replace function private.kpi_change(current_value numeric, previous_value numeric)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return jsonb_build_object(
        'current', coalesce(current_value, 0),
        'previous', coalesce(previous_value, 0),
        'change_pct', case when coalesce(previous_value, 0) = 0 then null
            else round((coalesce(current_value, 0) - previous_value) * 100.0 / previous_value, 1) end
    );
end;
$$;

comment on function private.kpi_change(numeric, numeric) is
    'Period-over-period change: {current, previous, change_pct = (current - previous) / previous in % rounded to 1 decimal, null when previous = 0} (the legacy document''s week-over-week changes). PL/pgSQL: a SQL function with a SET clause is not inlined and was parsed and planned again at each call inside the legacy document''s expression; a PL/pgSQL one keeps its plan for the session.';

revoke execute on function private.kpi_change(numeric, numeric) from public;

-- function private.kpi_legacy_definitions(), as supabase/schemas/50_dashboard_legacy.sql defines it
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
