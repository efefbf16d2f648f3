-- Purpose: the materialized view private.coach_dashboard_kpis (refreshed every 5 minutes by pg_cron) reads the incremental KPI facts instead of every lead, message and status event, so its refresh no longer grows with history; the live twin view goes, private.kpi_legacy_row is its one definition.

set local lock_timeout = '500ms';
set local statement_timeout = '60s';

-- Every entry of a labelled map ranked, as the legacy document's RankedItem[] ({label, lead_count, percentage}).
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

-- Same columns, names and types as before (20261125100500), one row per coach, each from the facts the upkeep keeps:
-- the all-time window (kpi_facts grain all: every day row summed), the 30-day window, the current pipeline
-- (kpi_coach_now: statuses, and the revenue, lost reasons and call outcomes by current status) and the lead facts'
-- first creation time. Two differences with the old query, both on time (pgTAP 55 names them):
--   - messages_sent_30d (time saved) and the speed to lead cover the coach's last 30 local days (the 30d window)
--     instead of the last 30 x 24 hours;
--   - the speed to lead's median and p90 are read from the wait buckets (private.kpi_speed: exact to the minute below
--     10 minutes, then the bucket's upper bound) instead of percentile_cont, as in period documents.
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
        (select min(f.created_at) from private.lead_facts as f where f.coach_id = c.id),
        a.qualified, a.calls_proposed, a.calls_booked, a.deals_won,
        a.dm1_sent, a.dm1_replied, a.dm2_sent, a.dm2_replied, a.dm3_sent, a.dm3_replied, a.dm4_sent, a.dm4_replied,
        (s.speed ->> 'median_minutes')::numeric, (s.speed ->> 'p90_minutes')::numeric, (s.speed ->> 'sample')::integer,
        private.kpi_legacy_ranked(a.sources, 'leads:', coalesce(n.leads, 0)),
        private.kpi_legacy_ranked(a.professions, '', null),
        private.kpi_legacy_ranked(coalesce(n.lost_reasons, '{}'::jsonb), '', null),
        private.kpi_best_moment(a.conversions) - 'low_sample',
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
    cross join lateral (select private.kpi_speed(w.speed) as speed) as s
    where c.id = target_coach;
$$;

comment on function private.kpi_legacy_row(uuid) is
    'The KPI row of the legacy document of a coach (the columns of private.coach_dashboard_kpis), from the incremental facts: the all-time and 30-day windows, the current pipeline (private.kpi_coach_now) and the first lead. Its cost does not depend on the history (one window row or a few month rows each). See the migration for the differences of meaning with the query it replaces.';

revoke all on function private.kpi_legacy_ranked(jsonb, text, numeric) from public;
revoke all on function private.kpi_legacy_row(uuid) from public;

-- The view is rebuilt from that function; its readers go through private.dashboard_row, rebuilt too.
drop function private.dashboard_row(uuid);
drop materialized view private.coach_dashboard_kpis;
drop view private.coach_dashboard_kpis_live;

create materialized view private.coach_dashboard_kpis as
select r.*
from public.coachs as c
cross join lateral private.kpi_legacy_row(c.id) as r
with data;

-- squawk-ignore require-concurrent-index-creation -- the view was created just above, in this transaction: nobody writes it
create unique index coach_dashboard_kpis_coach_id_key on private.coach_dashboard_kpis (coach_id);

comment on materialized view private.coach_dashboard_kpis is
    'The legacy document''s KPIs, one row per coach (private.kpi_legacy_row over the incremental facts), refreshed concurrently every 5 minutes by pg_cron (job refresh-dashboard-kpis); refreshed_at is last_updated. No RLS on a materialized view: not granted to anon or authenticated, read only through the security definer dashboard functions, which check the caller.';

revoke all on private.coach_dashboard_kpis from public, anon, authenticated;

-- The dashboard row of one coach: the materialized view's, or computed now for a coach it does not hold yet.
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

revoke all on function private.dashboard_row(uuid) from public;

-- The refresh no longer rebuilds kpi_daily (nothing the documents show reads it now; the nightly rebuild-kpi-daily
-- job keeps it): it only refreshes the view, whose cost follows the number of coaches, not the history.
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

comment on function public.refresh_dashboard_kpis() is
    'Refreshes the dashboard KPIs now (the materialized view, from the incremental facts) and returns the new last_updated. Admin (app_metadata.role) or service_role only (42501 otherwise); pg_cron runs it every 5 minutes. Security invoker.';
