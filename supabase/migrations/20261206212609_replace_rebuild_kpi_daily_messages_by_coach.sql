-- Purpose: rebuild_kpi_daily reads each coach's messages of the window by range on (coach_id, created_at), not by a scan of every message (its cost grew with the history).

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function public.rebuild_kpi_daily(date, date), as supabase/schemas/16_kpi_daily.sql defines it
create or replace function public.rebuild_kpi_daily(from_date date, to_date date)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
set jit = off
as $$
declare
    written integer;
    -- coarse UTC window covering the local days of every time zone (UTC-12 .. UTC+14)
    window_start timestamptz := (from_date::timestamp at time zone 'UTC') - interval '1 day';
    window_end timestamptz := ((to_date + 1)::timestamp at time zone 'UTC') + interval '1 day';
begin
    if from_date is null or to_date is null or from_date > to_date then
        raise exception 'rebuild_kpi_daily: from_date must be on or before to_date'
            using errcode = '22023';
    end if;

    with days as (
        select c.id as coach_id, g.day::date as date
        from public.coachs as c
        cross join generate_series(from_date, to_date, interval '1 day') as g (day)
    ),
    -- each coach's messages, leads and status events of the window by range on its (coach_id, time) index (offset 0:
    -- planned per coach, not flattened into a scan of the whole table, whose cost grows with the history)
    msg as (
        select
            c.id as coach_id,
            (m.created_at at time zone c.timezone)::date as date,
            count(*) filter (where m.direction = 'out')::integer as sent,
            count(*) filter (where m.direction = 'in')::integer as received
        from public.coachs as c
        cross join lateral (
            select x.created_at, x.direction
            from public.messages as x
            where x.coach_id = c.id and x.created_at >= window_start and x.created_at < window_end
            offset 0
        ) as m
        group by 1, 2
    ),
    created as (
        select c.id as coach_id, (l.created_at at time zone c.timezone)::date as date, count(*)::integer as n
        from public.coachs as c
        cross join lateral (
            select x.created_at
            from public.leads as x
            where x.coach_id = c.id and x.created_at >= window_start and x.created_at < window_end
            offset 0
        ) as l
        group by 1, 2
    ),
    -- first time each lead reached a stage, for the leads with an event in the window
    firsts as (
        select
            e.coach_id,
            e.lead_id,
            min(e.changed_at) filter (where public.lead_status_rank(e.to_status) >= 3) as qualified_at,
            min(e.changed_at) filter (where public.lead_status_rank(e.to_status) >= 4) as proposed_at,
            min(e.changed_at) filter (where public.lead_status_rank(e.to_status) >= 5) as booked_at,
            min(e.changed_at) filter (where e.to_status = 'won') as won_at,
            min(e.changed_at) filter (where e.to_status = 'lost') as lost_at
        from (
            select distinct w.lead_id
            from public.coachs as c
            cross join lateral (
                select x.lead_id
                from public.lead_status_events as x
                where x.coach_id = c.id and x.changed_at >= window_start and x.changed_at < window_end
                offset 0
            ) as w
        ) as t
        -- the whole status history of those leads only, by lead (lead_status_events_lead_id_coach_id_idx)
        cross join lateral (
            select x.coach_id, x.lead_id, x.changed_at, x.to_status
            from public.lead_status_events as x
            where x.lead_id = t.lead_id
            offset 0
        ) as e
        group by e.coach_id, e.lead_id
    ),
    stages as (
        select f.coach_id, s.date, s.stage, count(*)::integer as n, coalesce(sum(l.deal_value), 0) as value
        from firsts as f
        join public.coachs as c on c.id = f.coach_id
        join public.leads as l on l.id = f.lead_id
        cross join lateral (
            values
                ('qualified', (f.qualified_at at time zone c.timezone)::date),
                ('proposed', (f.proposed_at at time zone c.timezone)::date),
                ('booked', (f.booked_at at time zone c.timezone)::date),
                ('won', (f.won_at at time zone c.timezone)::date),
                ('lost', (f.lost_at at time zone c.timezone)::date)
        ) as s (stage, date)
        where s.date is not null
        group by 1, 2, 3
    ),
    -- one row per coach and day: a sub-select per column read every stage row for each coach and day (6 x coaches x
    -- days scans of the stages)
    stage_days as (
        select s.coach_id, s.date,
            coalesce(sum(s.n) filter (where s.stage = 'qualified'), 0)::integer as qualified,
            coalesce(sum(s.n) filter (where s.stage = 'proposed'), 0)::integer as proposed,
            coalesce(sum(s.n) filter (where s.stage = 'booked'), 0)::integer as booked,
            coalesce(sum(s.n) filter (where s.stage = 'won'), 0)::integer as won,
            coalesce(sum(s.n) filter (where s.stage = 'lost'), 0)::integer as lost,
            coalesce(sum(s.value) filter (where s.stage = 'won'), 0) as revenue
        from stages as s
        group by 1, 2
    ),
    computed as (
        select
            d.coach_id,
            d.date,
            coalesce(msg.sent, 0) as total_dms,
            coalesce(msg.received, 0) as messages_received,
            coalesce(created.n, 0) as new_leads,
            coalesce(sd.qualified, 0) as qualified_leads,
            coalesce(sd.proposed, 0) as calls_proposed,
            coalesce(sd.booked, 0) as calls_booked,
            coalesce(sd.won, 0) as won_deals,
            coalesce(sd.lost, 0) as lost_leads,
            coalesce(sd.revenue, 0) as revenue
        from days as d
        left join msg on msg.coach_id = d.coach_id and msg.date = d.date
        left join created on created.coach_id = d.coach_id and created.date = d.date
        left join stage_days as sd on sd.coach_id = d.coach_id and sd.date = d.date
    )
    insert into public.kpi_daily as k (
        coach_id, date, total_dms, messages_received, new_leads, qualified_leads, calls_proposed, calls_booked,
        won_deals, lost_leads, revenue
    )
    select
        x.coach_id, x.date, x.total_dms, x.messages_received, x.new_leads, x.qualified_leads, x.calls_proposed,
        x.calls_booked, x.won_deals, x.lost_leads, x.revenue
    from computed as x
    on conflict (coach_id, date) do update
    set total_dms = excluded.total_dms,
        messages_received = excluded.messages_received,
        new_leads = excluded.new_leads,
        qualified_leads = excluded.qualified_leads,
        calls_proposed = excluded.calls_proposed,
        calls_booked = excluded.calls_booked,
        won_deals = excluded.won_deals,
        lost_leads = excluded.lost_leads,
        revenue = excluded.revenue
    where (k.total_dms, k.messages_received, k.new_leads, k.qualified_leads, k.calls_proposed, k.calls_booked,
           k.won_deals, k.lost_leads, k.revenue)
        is distinct from
          (excluded.total_dms, excluded.messages_received, excluded.new_leads, excluded.qualified_leads,
           excluded.calls_proposed, excluded.calls_booked, excluded.won_deals, excluded.lost_leads, excluded.revenue);
    get diagnostics written = row_count;
    return written;
end;
$$;

comment on function public.rebuild_kpi_daily(date, date) is
    'Recomputes public.kpi_daily for every coach and every day from from_date to to_date (days in each coach''s time zone) from messages, leads and lead_status_events, and upserts one row per coach per day. Idempotent: a second run changes nothing and returns 0. Returns the rows inserted or changed. Stage counts are first times (a lead counts once, the day it first reached the stage). Run nightly by pg_cron (job rebuild-kpi-daily) and for the last 15 days by every dashboard refresh.';

revoke execute on function public.rebuild_kpi_daily(date, date) from public, anon, authenticated;
grant execute on function public.rebuild_kpi_daily(date, date) to service_role;
