-- Purpose: private.kpi_range_sums sums the open entries of its covering rows as array elements (open_keys, open_counts: one unnest per row) instead of expanding up to five maps per row with jsonb_each, and reads only the columns it sums; the same sums.

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
begin
    return query
    with r as materialized (
        -- the covering rows of both periods, one scan, each row tagged with its period (the two are disjoint), with
        -- only what is summed: the typed columns, the open entries and the packed slots
        select p.is_current,
            k.new_leads, k.cohort_messages, k.tta_sum, k.tta_count, k.emails, k.men, k.women, k.other_gender,
            k.unknown_gender, k.age_sum, k.age_count, k.messages_sent, k.messages_received, k.inbound_answered,
            k.dm1_sent, k.dm1_replied, k.dm2_sent, k.dm2_replied, k.dm3_sent, k.dm3_replied, k.dm4_sent,
            k.dm4_replied, k.cohort_qualified, k.cohort_proposed, k.cohort_booked, k.cohort_won, k.cohort_lost,
            k.qualified, k.calls_proposed, k.calls_booked, k.deals_won, k.revenue, k.won_valued, k.lost,
            k.lead_magnets, k.call_outcomes, k.no_shows,
            k.open_keys, k.open_counts, k.conversion_slots, k.speed_slots
        from (
            select true as is_current, c.grain, c.first_day, c.last_day from private.kpi_range_cover(from_day, to_day) as c
            union all
            select false, c.grain, c.first_day, c.last_day from private.kpi_range_cover(previous_from, previous_to) as c
        ) as p
        join private.kpi_facts as k
            on k.coach_id = target_coach and k.grain = p.grain and k.day between p.first_day and p.last_day
    ),
    typed as (
        -- the typed counts summed as columns by period, and the packed conversions and speed buckets (one addition of
        -- packed numbers per row; only the current period's are kept)
        select s.is_current,
            coalesce(sum(r.new_leads), 0) as new_leads, coalesce(sum(r.cohort_messages), 0) as cohort_messages,
            coalesce(sum(r.tta_sum), 0) as tta_sum, coalesce(sum(r.tta_count), 0) as tta_count,
            coalesce(sum(r.emails), 0) as emails, coalesce(sum(r.men), 0) as men,
            coalesce(sum(r.women), 0) as women, coalesce(sum(r.other_gender), 0) as other_gender,
            coalesce(sum(r.unknown_gender), 0) as unknown_gender, coalesce(sum(r.age_sum), 0) as age_sum,
            coalesce(sum(r.age_count), 0) as age_count, coalesce(sum(r.messages_sent), 0) as messages_sent,
            coalesce(sum(r.messages_received), 0) as messages_received,
            coalesce(sum(r.inbound_answered), 0) as inbound_answered, coalesce(sum(r.dm1_sent), 0) as dm1_sent,
            coalesce(sum(r.dm1_replied), 0) as dm1_replied, coalesce(sum(r.dm2_sent), 0) as dm2_sent,
            coalesce(sum(r.dm2_replied), 0) as dm2_replied, coalesce(sum(r.dm3_sent), 0) as dm3_sent,
            coalesce(sum(r.dm3_replied), 0) as dm3_replied, coalesce(sum(r.dm4_sent), 0) as dm4_sent,
            coalesce(sum(r.dm4_replied), 0) as dm4_replied,
            coalesce(sum(r.cohort_qualified), 0) as cohort_qualified,
            coalesce(sum(r.cohort_proposed), 0) as cohort_proposed,
            coalesce(sum(r.cohort_booked), 0) as cohort_booked, coalesce(sum(r.cohort_won), 0) as cohort_won,
            coalesce(sum(r.cohort_lost), 0) as cohort_lost, coalesce(sum(r.qualified), 0) as qualified,
            coalesce(sum(r.calls_proposed), 0) as calls_proposed, coalesce(sum(r.calls_booked), 0) as calls_booked,
            coalesce(sum(r.deals_won), 0) as deals_won, coalesce(sum(r.revenue), 0) as revenue,
            coalesce(sum(r.won_valued), 0) as won_valued, coalesce(sum(r.lost), 0) as lost,
            coalesce(sum(r.lead_magnets), 0) as lead_magnets, coalesce(sum(r.call_outcomes), 0) as call_outcomes,
            coalesce(sum(r.no_shows), 0) as no_shows,
            coalesce(sum(r.conversion_slots), 0) as conversion_slots, coalesce(sum(r.speed_slots), 0) as speed_slots
        from (values (true), (false)) as s (is_current)
        left join r on r.is_current = s.is_current
        group by s.is_current
    ),
    entries as (
        -- the open entries of the rows summed by (period, map-prefixed key); of the previous period only what a period
        -- document reads of it (new leads by source, professions, lost reasons)
        select r.is_current, e.key, sum(e.n) as n
        from r
        cross join lateral unnest(r.open_keys, r.open_counts) as e (key, n)
        where r.is_current or left(e.key, 8) = 's:leads:' or left(e.key, 2) in ('p:', 'l:')
        group by r.is_current, e.key
        having sum(e.n) <> 0
    ),
    maps as (
        select e.is_current,
            coalesce(jsonb_object_agg(substr(e.key, 3), e.n) filter (where left(e.key, 2) = 'c:'), '{}'::jsonb) as counts,
            coalesce(jsonb_object_agg(substr(e.key, 3), e.n) filter (where left(e.key, 2) = 's:'), '{}'::jsonb) as sources,
            coalesce(jsonb_object_agg(substr(e.key, 3), e.n) filter (where left(e.key, 2) = 'p:'), '{}'::jsonb) as professions,
            coalesce(jsonb_object_agg(substr(e.key, 3), e.n) filter (where left(e.key, 2) = 'l:'), '{}'::jsonb) as lost_reasons,
            coalesce(jsonb_object_agg(substr(e.key, 3), e.n) filter (where left(e.key, 2) = 'v:'), '{}'::jsonb) as speed
        from entries as e
        group by e.is_current
    ),
    facts as (
        -- counts: the counts without a typed column and the typed ones' non-zero sums (jsonb_strip_nulls drops the
        -- zeros made null)
        select t.is_current, row(target_coach, 'range',
                case when t.is_current then from_day else previous_from end,
                case when t.is_current then to_day else previous_to end,
                coalesce(m.counts, '{}'::jsonb) || jsonb_strip_nulls(jsonb_build_object(
                'new_leads', nullif(t.new_leads, 0), 'cohort_messages', nullif(t.cohort_messages, 0),
                'tta_sum', nullif(t.tta_sum, 0), 'tta_count', nullif(t.tta_count, 0),
                'emails', nullif(t.emails, 0), 'men', nullif(t.men, 0), 'women', nullif(t.women, 0),
                'other_gender', nullif(t.other_gender, 0), 'unknown_gender', nullif(t.unknown_gender, 0),
                'age_sum', nullif(t.age_sum, 0), 'age_count', nullif(t.age_count, 0),
                'messages_sent', nullif(t.messages_sent, 0), 'messages_received', nullif(t.messages_received, 0),
                'inbound_answered', nullif(t.inbound_answered, 0), 'dm1_sent', nullif(t.dm1_sent, 0),
                'dm1_replied', nullif(t.dm1_replied, 0), 'dm2_sent', nullif(t.dm2_sent, 0),
                'dm2_replied', nullif(t.dm2_replied, 0), 'dm3_sent', nullif(t.dm3_sent, 0),
                'dm3_replied', nullif(t.dm3_replied, 0), 'dm4_sent', nullif(t.dm4_sent, 0),
                'dm4_replied', nullif(t.dm4_replied, 0), 'cohort_qualified', nullif(t.cohort_qualified, 0),
                'cohort_proposed', nullif(t.cohort_proposed, 0), 'cohort_booked', nullif(t.cohort_booked, 0),
                'cohort_won', nullif(t.cohort_won, 0), 'cohort_lost', nullif(t.cohort_lost, 0),
                'qualified', nullif(t.qualified, 0), 'calls_proposed', nullif(t.calls_proposed, 0),
                'calls_booked', nullif(t.calls_booked, 0), 'deals_won', nullif(t.deals_won, 0),
                'revenue', nullif(t.revenue, 0), 'won_valued', nullif(t.won_valued, 0), 'lost', nullif(t.lost, 0),
                'lead_magnets', nullif(t.lead_magnets, 0), 'call_outcomes', nullif(t.call_outcomes, 0),
                'no_shows', nullif(t.no_shows, 0))),
                coalesce(m.sources, '{}'::jsonb), coalesce(m.professions, '{}'::jsonb),
                coalesce(m.lost_reasons, '{}'::jsonb), '{}'::jsonb, coalesce(m.speed, '{}'::jsonb), now(),
                t.new_leads, t.cohort_messages, t.tta_sum, t.tta_count, t.emails, t.men, t.women, t.other_gender,
                t.unknown_gender, t.age_sum, t.age_count, t.messages_sent, t.messages_received, t.inbound_answered,
                t.dm1_sent, t.dm1_replied, t.dm2_sent, t.dm2_replied, t.dm3_sent, t.dm3_replied, t.dm4_sent,
                t.dm4_replied, t.cohort_qualified, t.cohort_proposed, t.cohort_booked, t.cohort_won, t.cohort_lost,
                t.qualified, t.calls_proposed, t.calls_booked, t.deals_won, t.revenue, t.won_valued, t.lost,
                t.lead_magnets, t.call_outcomes, t.no_shows,
                case when t.is_current then t.conversion_slots else 0 end,
                case when t.is_current then t.speed_slots else 0 end,
                '{}'::text[], '{}'::numeric[])::private.kpi_facts as f
        from typed as t
        left join maps as m on m.is_current = t.is_current
    )
    select (array_agg(x.f) filter (where x.is_current))[1], (array_agg(x.f) filter (where not x.is_current))[1]
    from facts as x;
end;
$$;

comment on function private.kpi_range_sums(uuid, date, date, date, date) is
    'The facts of a custom range [from_day, to_day] (cur) and of its previous period [previous_from, previous_to] (prev) in one pass: the rows of both covers (private.kpi_range_cover) read by one statement, the typed columns summed as columns and the open entries (open_keys, open_counts: the counts without a typed column, sources, professions, lost reasons, the speed buckets beyond 30 days; private.kpi_open_entries) summed key by key as array elements, by period, zero sums left out. The current period''s conversions and speed stay packed: conversion_slots and speed_slots are the sums of the rows'' packed numbers (one addition per row), its conversions map is empty and its speed map holds only the buckets without a slot (beyond 30 days); the sections read them so (private.kpi_best_moment_slots, private.kpi_speed_slots) and private.kpi_period_sums unpacks them into the maps. prev holds what a period document reads of a previous period: every typed column (and counts = their non-zero sums), the new leads by source (the "leads:" entries of sources), professions and lost reasons; its conversions and speed are empty and their slots 0 (no section reads them). The result rows'' open_keys and open_counts are empty. The two ranges must not overlap; an empty previous period (previous_from > previous_to) sums nothing. pgTAP 99 checks it by hand and against sums of day rows, pgTAP 78 the open entries.';
