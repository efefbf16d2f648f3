-- Purpose: the per-coach KPI query (private view) and its materialized view private.coach_dashboard_kpis with a unique index.

-- One row per coach; every aggregate is a lateral subquery filtered on the coach, so the same view serves the
-- materialized view (all coaches) and a single coach (the predicate on c.id is pushed into each subquery).
create view private.coach_dashboard_kpis_live as
select
    c.id as coach_id,
    clock_timestamp() as refreshed_at,
    m.messages_sent,
    m.messages_received,
    m.inbound_answered,
    m.messages_sent_30d,
    l.total_leads,
    l.leads_messaged,
    l.lead_magnets_sent,
    l.emails_captured,
    l.avg_time_to_action_minutes,
    l.new_leads,
    l.engaged_leads,
    l.won_leads,
    l.lost_leads,
    l.relance_leads,
    l.open_leads,
    l.male_leads,
    l.female_leads,
    l.other_leads,
    l.unknown_gender,
    l.average_age,
    l.revenue,
    l.won_leads as deals_closed,
    l.average_deal_value,
    l.no_shows,
    l.call_outcomes,
    l.first_lead_at,
    r.qualified_leads,
    r.calls_proposed,
    r.calls_booked,
    r.won_ever,
    q.msg1_sent, q.msg1_replied,
    q.msg2_sent, q.msg2_replied,
    q.msg3_sent, q.msg3_replied,
    q.msg4_sent, q.msg4_replied,
    st.speed_median_minutes,
    st.speed_p90_minutes,
    st.speed_sample,
    coalesce(src.sources, '[]'::jsonb) as sources,
    coalesce(pro.professions, '[]'::jsonb) as professions,
    coalesce(lr.lost_reasons, '[]'::jsonb) as lost_reasons,
    bm.best_conversion_moment,
    coalesce(lq.lead_quality_by_source, '[]'::jsonb) as lead_quality_by_source
from public.coachs as c
cross join lateral (
    select
        count(*) filter (where x.direction = 'out')::integer as messages_sent,
        count(*) filter (where x.direction = 'in')::integer as messages_received,
        count(*) filter (where x.direction = 'in' and x.created_at < x.last_out_at)::integer as inbound_answered,
        count(*) filter (where x.direction = 'out' and x.created_at > now() - interval '30 days')::integer
            as messages_sent_30d
    from (
        select
            mm.direction,
            mm.created_at,
            max(mm.created_at) filter (where mm.direction = 'out') over (partition by mm.lead_id) as last_out_at
        from public.messages as mm
        where mm.coach_id = c.id
    ) as x
) as m
cross join lateral (
    select
        count(*)::integer as total_leads,
        count(*) filter (where ld.total_messages_sent > 0)::integer as leads_messaged,
        count(*) filter (where ld.lead_magnet_sent_at is not null)::integer as lead_magnets_sent,
        count(*) filter (where ld.email is not null)::integer as emails_captured,
        round(avg(ld.time_to_action_minutes))::integer as avg_time_to_action_minutes,
        count(*) filter (where ld.status = 'new')::integer as new_leads,
        count(*) filter (where ld.status = 'engaged')::integer as engaged_leads,
        count(*) filter (where ld.status = 'won')::integer as won_leads,
        count(*) filter (where ld.status = 'lost')::integer as lost_leads,
        count(*) filter (where ld.status = 'relance')::integer as relance_leads,
        count(*) filter (where ld.status not in ('won', 'lost'))::integer as open_leads,
        count(*) filter (where ld.gender = 'male')::integer as male_leads,
        count(*) filter (where ld.gender = 'female')::integer as female_leads,
        count(*) filter (where ld.gender = 'other')::integer as other_leads,
        count(*) filter (where ld.gender is null)::integer as unknown_gender,
        round(avg(ld.age), 1) as average_age,
        coalesce(sum(ld.deal_value) filter (where ld.status = 'won'), 0) as revenue,
        round(avg(ld.deal_value) filter (where ld.status = 'won'), 2) as average_deal_value,
        count(*) filter (where ld.call_showed is false)::integer as no_shows,
        count(*) filter (where ld.call_showed is not null)::integer as call_outcomes,
        min(ld.created_at) as first_lead_at
    from public.leads as ld
    where ld.coach_id = c.id
) as l
cross join lateral (
    select
        count(*) filter (where y.max_rank >= 3)::integer as qualified_leads,
        count(*) filter (where y.max_rank >= 4)::integer as calls_proposed,
        count(*) filter (where y.max_rank >= 5)::integer as calls_booked,
        count(*) filter (where y.max_rank >= 6)::integer as won_ever
    from (
        select max(public.lead_status_rank(e.to_status)) as max_rank
        from public.lead_status_events as e
        where e.coach_id = c.id
        group by e.lead_id
    ) as y
) as r
cross join lateral (
    select
        count(s.msg1_sent_at)::integer as msg1_sent,
        count(*) filter (where s.msg1_sent_at is not null and s.msg1_replied)::integer as msg1_replied,
        count(s.msg2_sent_at)::integer as msg2_sent,
        count(*) filter (where s.msg2_sent_at is not null and s.msg2_replied)::integer as msg2_replied,
        count(s.msg3_sent_at)::integer as msg3_sent,
        count(*) filter (where s.msg3_sent_at is not null and s.msg3_replied)::integer as msg3_replied,
        count(s.msg4_sent_at)::integer as msg4_sent,
        count(*) filter (where s.msg4_sent_at is not null and s.msg4_replied)::integer as msg4_replied
    from public.message_sequences as s
    where s.coach_id = c.id
) as q
cross join lateral (
    -- a lead's turn starts with its first message after an outbound one; the wait is until the next outbound
    select
        round((percentile_cont(0.5) within group (order by t.wait_minutes))::numeric, 1) as speed_median_minutes,
        round((percentile_cont(0.9) within group (order by t.wait_minutes))::numeric, 1) as speed_p90_minutes,
        count(*)::integer as speed_sample
    from (
        select extract(epoch from z.next_out_at - z.created_at) / 60.0 as wait_minutes
        from (
            select
                mm.direction,
                mm.created_at,
                lag(mm.direction) over w as previous_direction,
                min(mm.created_at) filter (where mm.direction = 'out')
                    over (w rows between 1 following and unbounded following) as next_out_at
            from public.messages as mm
            where mm.coach_id = c.id
                -- only leads with an answer in the last 30 days can have a counted turn; their whole conversation
                -- stays in the window, so lag() sees the message before the first counted one (same result)
                and mm.lead_id in (
                    select r.lead_id
                    from public.messages as r
                    where r.coach_id = c.id and r.direction = 'in' and r.created_at > now() - interval '30 days'
                )
            window w as (partition by mm.lead_id order by mm.created_at, mm.id)
        ) as z
        where z.direction = 'in'
            and z.previous_direction is distinct from 'in'
            and z.next_out_at is not null
            and z.created_at > now() - interval '30 days'
    ) as t
) as st
cross join lateral (
    select jsonb_agg(
            jsonb_build_object('label', g.label, 'lead_count', g.n,
                'percentage', round(g.n * 100.0 / nullif(l.total_leads, 0), 1))
            order by g.n desc, g.label) as sources
    from (
        select ld.source as label, count(*)::integer as n
        from public.leads as ld
        where ld.coach_id = c.id and ld.source is not null
        group by ld.source
    ) as g
) as src
cross join lateral (
    select jsonb_agg(
            jsonb_build_object('label', g.label, 'lead_count', g.n,
                'percentage', round(g.n * 100.0 / g.total, 1))
            order by g.n desc, g.label) as professions
    from (
        select lower(btrim(ld.job_title)) as label, count(*)::integer as n, sum(count(*)) over () as total
        from public.leads as ld
        where ld.coach_id = c.id and nullif(btrim(ld.job_title), '') is not null
        group by lower(btrim(ld.job_title))
    ) as g
) as pro
cross join lateral (
    select jsonb_agg(
            jsonb_build_object('label', g.label, 'lead_count', g.n,
                'percentage', round(g.n * 100.0 / g.total, 1))
            order by g.n desc, g.label) as lost_reasons
    from (
        select ld.lost_reason as label, count(*)::integer as n, sum(count(*)) over () as total
        from public.leads as ld
        where ld.coach_id = c.id and ld.status = 'lost' and ld.lost_reason is not null
        group by ld.lost_reason
    ) as g
) as lr
left join lateral (
    -- first time each lead reached call_booked, and first time it was won, in the coach's time zone
    select jsonb_build_object('weekday', b.weekday, 'hour', b.hour, 'count', b.n) as best_conversion_moment
    from (
        select
            extract(isodow from v.at at time zone c.timezone)::integer as weekday,
            extract(hour from v.at at time zone c.timezone)::integer as hour,
            count(*)::integer as n
        from (
            select min(e.changed_at) as at
            from public.lead_status_events as e
            where e.coach_id = c.id and e.to_status in ('call_booked', 'won')
            group by e.lead_id, e.to_status
        ) as v
        group by 1, 2
        order by n desc, weekday, hour
        limit 1
    ) as b
) as bm on true
cross join lateral (
    select jsonb_agg(
            jsonb_build_object(
                'source', g.source,
                'leads', g.leads,
                'qualified', g.qualified,
                'calls_booked', g.calls_booked,
                'won', g.won,
                'revenue', g.revenue,
                'qualification_rate', private.kpi_rate(g.qualified, g.leads),
                'booking_rate', private.kpi_rate(g.calls_booked, g.qualified),
                'win_rate', private.kpi_rate(g.won, g.calls_booked))
            order by g.leads desc, g.source) as lead_quality_by_source
    from (
        select
            ld.source,
            count(*)::integer as leads,
            count(*) filter (where k.max_rank >= 3)::integer as qualified,
            count(*) filter (where k.max_rank >= 5)::integer as calls_booked,
            count(*) filter (where k.max_rank >= 6)::integer as won,
            coalesce(sum(ld.deal_value) filter (where ld.status = 'won'), 0) as revenue
        from public.leads as ld
        left join lateral (
            select max(public.lead_status_rank(e.to_status)) as max_rank
            from public.lead_status_events as e
            where e.lead_id = ld.id and e.coach_id = ld.coach_id
        ) as k on true
        where ld.coach_id = c.id and ld.source is not null
        group by ld.source
    ) as g
) as lq;

comment on view private.coach_dashboard_kpis_live is
    'Every KPI of the dashboard that does not depend on the time of the call, computed now, one row per coach. Source of the materialized view private.coach_dashboard_kpis; read directly only for a coach created after the last refresh.';

create materialized view private.coach_dashboard_kpis as
select * from private.coach_dashboard_kpis_live
with data;

create unique index coach_dashboard_kpis_coach_id_key on private.coach_dashboard_kpis (coach_id);

comment on materialized view private.coach_dashboard_kpis is
    'Pre-computed KPIs, one row per coach, refreshed concurrently every 5 minutes by pg_cron (job refresh-dashboard-kpis); refreshed_at is last_updated. No RLS on a materialized view: not granted to anon or authenticated, read only through the security definer dashboard functions, which check the caller.';

revoke all on private.coach_dashboard_kpis_live from public, anon, authenticated;
revoke all on private.coach_dashboard_kpis from public, anon, authenticated;

-- The dashboard row of one coach: the materialized view's, or computed now for a coach it does not hold yet.
create or replace function private.dashboard_row(target_coach_id uuid)
returns setof private.coach_dashboard_kpis
language sql
stable
security invoker
set search_path = ''
as $$
    select k.* from private.coach_dashboard_kpis as k where k.coach_id = target_coach_id
    union all
    select v.* from private.coach_dashboard_kpis_live as v
    where v.coach_id = target_coach_id
        and not exists (select 1 from private.coach_dashboard_kpis as k where k.coach_id = target_coach_id);
$$;

comment on function private.dashboard_row(uuid) is
    'The KPI row of one coach from the materialized view, or from the live view when the coach is newer than the last refresh.';

revoke all on function private.dashboard_row(uuid) from public;
