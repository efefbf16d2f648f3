-- Purpose: private.kpi_range_sums leaves the current period's conversions and speed packed (the sums of the rows' slots; the sections and private.kpi_period_sums read them so) instead of writing them out into maps at every range document.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_range_sums(uuid, date, date, date, date), as supabase/schemas/43_kpi_period.sql defines it
create or replace function private.kpi_range_sums(
    target_coach uuid,
    from_day date,
    to_day date,
    previous_from date,
    previous_to date
)
returns table (cur private.kpi_facts, prev private.kpi_facts)
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    speed_keys text[] := private.kpi_speed_slot_keys();
begin
    return query
    with pieces as (
        select true as is_current, c.grain, c.first_day, c.last_day from private.kpi_range_cover(from_day, to_day) as c
        union all
        select false, c.grain, c.first_day, c.last_day from private.kpi_range_cover(previous_from, previous_to) as c
    ),
    r as materialized (
        -- the covering rows of both periods: one scan, each row tagged with its period (the two are disjoint)
        select p.is_current, k.*
        from pieces as p
        join private.kpi_facts as k
            on k.coach_id = target_coach and k.grain = p.grain and k.day between p.first_day and p.last_day
    ),
    typed as (
        -- the counts that have a typed column, summed as columns (named as their key in counts), by period
        select s.is_current,
            coalesce(sum(r.new_leads), 0) as new_leads, coalesce(sum(r.cohort_messages), 0) as cohort_messages,
            coalesce(sum(r.tta_sum), 0) as tta_sum, coalesce(sum(r.tta_count), 0) as tta_count,
            coalesce(sum(r.emails), 0) as emails, coalesce(sum(r.men), 0) as men, coalesce(sum(r.women), 0) as women,
            coalesce(sum(r.other_gender), 0) as other_gender, coalesce(sum(r.unknown_gender), 0) as unknown_gender,
            coalesce(sum(r.age_sum), 0) as age_sum, coalesce(sum(r.age_count), 0) as age_count,
            coalesce(sum(r.messages_sent), 0) as messages_sent, coalesce(sum(r.messages_received), 0) as messages_received,
            coalesce(sum(r.inbound_answered), 0) as inbound_answered,
            coalesce(sum(r.dm1_sent), 0) as dm1_sent, coalesce(sum(r.dm1_replied), 0) as dm1_replied,
            coalesce(sum(r.dm2_sent), 0) as dm2_sent, coalesce(sum(r.dm2_replied), 0) as dm2_replied,
            coalesce(sum(r.dm3_sent), 0) as dm3_sent, coalesce(sum(r.dm3_replied), 0) as dm3_replied,
            coalesce(sum(r.dm4_sent), 0) as dm4_sent, coalesce(sum(r.dm4_replied), 0) as dm4_replied,
            coalesce(sum(r.cohort_qualified), 0) as cohort_qualified, coalesce(sum(r.cohort_proposed), 0) as cohort_proposed,
            coalesce(sum(r.cohort_booked), 0) as cohort_booked, coalesce(sum(r.cohort_won), 0) as cohort_won,
            coalesce(sum(r.cohort_lost), 0) as cohort_lost, coalesce(sum(r.qualified), 0) as qualified,
            coalesce(sum(r.calls_proposed), 0) as calls_proposed, coalesce(sum(r.calls_booked), 0) as calls_booked,
            coalesce(sum(r.deals_won), 0) as deals_won, coalesce(sum(r.revenue), 0) as revenue,
            coalesce(sum(r.won_valued), 0) as won_valued, coalesce(sum(r.lost), 0) as lost,
            coalesce(sum(r.lead_magnets), 0) as lead_magnets, coalesce(sum(r.call_outcomes), 0) as call_outcomes,
            coalesce(sum(r.no_shows), 0) as no_shows
        from (values (true), (false)) as s (is_current)
        left join r on r.is_current = s.is_current
        group by s.is_current
    ),
    typed_json as (
        select t.is_current, to_jsonb(t) - 'is_current' as sums from typed as t
    ),
    keys as (
        select array(select jsonb_object_keys(j.sums)) as typed_keys from typed_json as j limit 1
    ),
    entries as (
        -- the maps of the rows, (period, map, key) summed; of counts only the keys without a typed column; of the
        -- previous period only what a period document reads of it (new leads by source, professions, lost reasons);
        -- conversions and speed from their packed slots (slots below), here only the speed buckets without a slot
        select r.is_current, e.map, e.key, sum(e.value::numeric) as n
        from r
        cross join keys as j
        cross join lateral (
            select 'counts' as map, x.key, x.value from jsonb_each(r.counts - j.typed_keys) as x where r.is_current
            union all
            select 'sources', x.key, x.value from jsonb_each(r.sources) as x
            where r.is_current or left(x.key, 6) = 'leads:'
            union all
            select 'professions', x.key, x.value from jsonb_each(r.professions) as x
            union all
            select 'lost_reasons', x.key, x.value from jsonb_each(r.lost_reasons) as x
            union all
            select 'speed', x.key, x.value from jsonb_each(r.speed - speed_keys) as x where r.is_current
        ) as e
        group by r.is_current, e.map, e.key
        having sum(e.value::numeric) <> 0
    ),
    maps as (
        select e.is_current,
            coalesce(jsonb_object_agg(e.key, e.n) filter (where e.map = 'counts'), '{}'::jsonb) as counts,
            coalesce(jsonb_object_agg(e.key, e.n) filter (where e.map = 'sources'), '{}'::jsonb) as sources,
            coalesce(jsonb_object_agg(e.key, e.n) filter (where e.map = 'professions'), '{}'::jsonb) as professions,
            coalesce(jsonb_object_agg(e.key, e.n) filter (where e.map = 'lost_reasons'), '{}'::jsonb) as lost_reasons,
            coalesce(jsonb_object_agg(e.key, e.n) filter (where e.map = 'speed'), '{}'::jsonb) as speed
        from entries as e
        group by e.is_current
    ),
    slots as (
        -- the current period's conversions and speed buckets: one addition of packed numbers per row
        select coalesce(sum(r.conversion_slots), 0) as conversions, coalesce(sum(r.speed_slots), 0) as speed
        from r
        where r.is_current
    ),
    facts as (
        select t.is_current, row(target_coach, 'range',
                case when t.is_current then from_day else previous_from end,
                case when t.is_current then to_day else previous_to end,
                coalesce(m.counts, '{}'::jsonb) || coalesce((select jsonb_object_agg(x.key, x.value)
                    from typed_json as j cross join lateral jsonb_each(j.sums) as x
                    where j.is_current = t.is_current and x.value <> '0'::jsonb), '{}'::jsonb),
                coalesce(m.sources, '{}'::jsonb), coalesce(m.professions, '{}'::jsonb),
                coalesce(m.lost_reasons, '{}'::jsonb), '{}'::jsonb, coalesce(m.speed, '{}'::jsonb), now(),
                t.new_leads, t.cohort_messages, t.tta_sum, t.tta_count, t.emails, t.men, t.women, t.other_gender,
                t.unknown_gender, t.age_sum, t.age_count, t.messages_sent, t.messages_received, t.inbound_answered,
                t.dm1_sent, t.dm1_replied, t.dm2_sent, t.dm2_replied, t.dm3_sent, t.dm3_replied, t.dm4_sent,
                t.dm4_replied, t.cohort_qualified, t.cohort_proposed, t.cohort_booked, t.cohort_won, t.cohort_lost,
                t.qualified, t.calls_proposed, t.calls_booked, t.deals_won, t.revenue, t.won_valued, t.lost,
                t.lead_magnets, t.call_outcomes, t.no_shows,
                case when t.is_current then sl.conversions else 0 end,
                case when t.is_current then sl.speed else 0 end)::private.kpi_facts as f
        from typed as t
        cross join slots as sl
        left join maps as m on m.is_current = t.is_current
    )
    select (array_agg(x.f) filter (where x.is_current))[1], (array_agg(x.f) filter (where not x.is_current))[1]
    from facts as x;
end;
$$;

comment on function private.kpi_range_sums(uuid, date, date, date, date) is
    'The facts of a custom range [from_day, to_day] (cur) and of its previous period [previous_from, previous_to] (prev) in one pass: the rows of both covers (private.kpi_range_cover) read by one statement, each typed column and each map summed by period. The current period''s conversions and speed stay packed: conversion_slots and speed_slots are the sums of the rows'' packed numbers (one addition per row), its conversions map is empty and its speed map holds only the buckets without a slot (beyond 30 days); the sections read them so (private.kpi_best_moment_slots, private.kpi_speed_slots) and private.kpi_period_sums unpacks them into the maps. prev holds what a period document reads of a previous period: every typed column (and counts = their non-zero sums), the new leads by source (the "leads:" entries of sources), professions and lost reasons; its conversions and speed are empty and their slots 0 (no section reads them). The two ranges must not overlap; an empty previous period (previous_from > previous_to) sums nothing. pgTAP 99 checks it by hand and against sums of day rows.';

revoke execute on function private.kpi_range_sums(uuid, date, date, date, date) from public;
