-- Purpose: the legacy document's best conversion moment and speed to lead read the windows' packed slots (private.kpi_best_moment_slots, private.kpi_speed_slots) as period documents do, and the map readers private.kpi_best_moment(jsonb) and private.kpi_speed(jsonb), used by nothing else, go; the same values (pgTAP 55 and 77).

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_legacy_row(uuid), as supabase/schemas/50_dashboard_legacy.sql defines it (the materialized view
-- private.coach_dashboard_kpis calls it: its columns do not change)
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

drop function private.kpi_best_moment(jsonb);
drop function private.kpi_speed(jsonb);
