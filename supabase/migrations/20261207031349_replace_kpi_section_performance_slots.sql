-- Purpose: the performance section reads the best conversion moment and the speed to lead from the packed slots of its period's facts (private.kpi_best_moment_slots, private.kpi_speed_slots): the same values without building and reading back the two maps.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_section_performance(uuid, private.kpi_period, private.kpi_facts, private.kpi_facts, public.coach_settings), as supabase/schemas/45_kpi_sections.sql defines it
create or replace function private.kpi_section_performance(
    target_coach uuid,
    p private.kpi_period,
    cur private.kpi_facts,
    prev private.kpi_facts,
    settings public.coach_settings
)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    has_previous boolean := p.previous_start is not null;
    monthly numeric := coalesce(settings.setter_monthly_cost, 0);
    minutes numeric := coalesce(settings.minutes_per_manual_message, 0);
    previous_cost numeric := round(monthly * p.days / 30.0, 2);
    cost numeric := case when p.key <> 'all' then previous_cost else monthly * greatest(1, ceil(extract(epoch from
        now() - (select f.created_at from private.lead_facts as f where f.coach_id = target_coach
                 order by f.created_day, f.created_at limit 1)) / (30 * 86400.0))) end;
    roi jsonb := private.kpi_period_rate(cur.revenue - cost, cost, prev.revenue - previous_cost, previous_cost, has_previous, false);
begin
    return jsonb_build_object(
        'revenue', private.kpi_metric(cur.revenue, prev.revenue, has_previous, cur.deals_won, prev.deals_won),
        'revenue_sources', jsonb_build_object(
            'stripe', coalesce((cur.counts ->> 'revenue_stripe')::numeric, 0),
            'coach', coalesce((cur.counts ->> 'revenue_coach')::numeric, 0),
            'setter', coalesce((cur.counts ->> 'revenue_setter')::numeric, 0)),
        'payments_connected', exists (select 1 from public.lead_payments as pay where pay.coach_id = target_coach),
        'deals_closed', private.kpi_metric(cur.deals_won, prev.deals_won, has_previous),
        'average_deal_value', private.kpi_metric(round(cur.revenue / nullif(cur.won_valued, 0), 2),
            round(prev.revenue / nullif(prev.won_valued, 0), 2), has_previous, cur.won_valued, prev.won_valued),
        'setter_cost', cost,
        'setter_cost_estimated', settings.setter_cost_confirmed_at is null,
        'acquisition_cost', private.kpi_metric(round(cost / nullif(cur.deals_won, 0), 2),
            round(previous_cost / nullif(prev.deals_won, 0), 2), has_previous, cur.deals_won, prev.deals_won),
        'roi', roi || jsonb_build_object('low_sample', cur.deals_won < private.kpi_min_sample(),
            'previous', case when has_previous then (roi -> 'previous')
                || jsonb_build_object('low_sample', prev.deals_won < private.kpi_min_sample()) end,
            'comparable', coalesce(has_previous and cur.deals_won >= private.kpi_min_sample()
                and prev.deals_won >= private.kpi_min_sample() and cost > 0, false)),
        'ai_efficiency', private.kpi_period_rate(cur.inbound_answered, cur.messages_received,
            prev.inbound_answered, prev.messages_received, has_previous),
        'time_saved', jsonb_build_object('hours', round(cur.messages_sent * minutes / 60.0, 1),
            'messages', cur.messages_sent, 'minutes_per_message', minutes, 'estimated', true),
        'best_conversion_moment', private.kpi_best_moment_slots(cur.conversion_slots),
        'lead_quality_by_source', private.kpi_source_quality(cur.sources),
        'speed_to_lead', private.kpi_speed_slots(cur.speed_slots, cur.speed)
    );
end;
$$;

comment on function private.kpi_section_performance(uuid, private.kpi_period, private.kpi_facts, private.kpi_facts, public.coach_settings) is
    'performance of a period document: revenue, deals and average deal of the wins dated in the period (revenue and acquisition cost comparable on the deals closed, the average on the deals with a value); revenue_sources: the revenue by who gave the deal values (stripe, coach, setter); payments_connected: the coach has Stripe payments (revenue and ROI are then no longer estimates); setter cost over the period (monthly cost x days / 30; for all, as the legacy document: x started 30-day periods since the first lead) and whether it is estimated (the coach never gave its own: coach_settings.setter_cost_confirmed_at); acquisition cost, ROI (low_sample and not comparable below min sample deals), AI efficiency of the inbound messages of the period, time saved, best conversion moment (from the packed conversions, private.kpi_best_moment_slots), lead quality by source of the new leads, speed to lead of the turns of the period (from the packed buckets, private.kpi_speed_slots).';

revoke execute on function private.kpi_section_performance(uuid, private.kpi_period, private.kpi_facts, private.kpi_facts, public.coach_settings) from public;
