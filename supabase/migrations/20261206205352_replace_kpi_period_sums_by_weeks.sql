-- Purpose: a range of private.kpi_facts sums its whole months, whole weeks and remaining days (private.kpi_range_cover), every map in one pass: O(months + weeks + edge days), not O(days).

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_range_cover(date, date), as supabase/schemas/43_kpi_period.sql defines it
create or replace function private.kpi_range_cover(from_day date, to_day date)
returns table (grain text, first_day date, last_day date)
language plpgsql
immutable
rows 7
security invoker
set search_path = ''
as $$
begin
    return query
    with m as (
        select case when extract(day from from_day) = 1 then from_day
                else (date_trunc('month', from_day) + interval '1 month')::date end as months_from,
            case when extract(day from to_day + 1) = 1 then to_day + 1
                else date_trunc('month', to_day)::date end as months_to
    ),
    parts as (
        -- plan m: the whole months inside, the rest before and after them in weeks and days; plan w: weeks and days
        select 'm' as plan, 'month' as part, m.months_from as a, m.months_to - 1 as b
        from m where m.months_from < m.months_to
        union all
        select 'm', 'rest', from_day, case when m.months_from < m.months_to then m.months_from - 1 else to_day end
        from m
        union all
        select 'm', 'rest', m.months_to, to_day from m where m.months_from < m.months_to
        union all
        select 'w', 'rest', from_day, to_day
    ),
    w as (
        -- the first Monday on or after a and the last Sunday on or before b
        select p.plan, p.part, p.a, p.b, p.a + (8 - extract(isodow from p.a)::integer) % 7 as wf,
            p.b - extract(isodow from p.b)::integer % 7 as wl
        from parts as p
        where p.a <= p.b
    ),
    segments as (
        select w.plan, 'month' as grain, w.a as first_day, w.b as last_day,
            (extract(year from w.b) * 12 + extract(month from w.b)
                - extract(year from w.a) * 12 - extract(month from w.a))::integer + 1 as n
        from w where w.part = 'month'
        union all
        select w.plan, 'week', w.wf, w.wl - 6, (w.wl - w.wf + 1) / 7 from w where w.part = 'rest' and w.wf + 6 <= w.wl
        union all
        select w.plan, 'day', w.a, w.wf - 1, w.wf - w.a from w where w.part = 'rest' and w.wf + 6 <= w.wl and w.a < w.wf
        union all
        select w.plan, 'day', w.wl + 1, w.b, w.b - w.wl from w where w.part = 'rest' and w.wf + 6 <= w.wl and w.wl < w.b
        union all
        select w.plan, 'day', w.a, w.b, w.b - w.a + 1 from w where w.part = 'rest' and w.wf + 6 > w.wl
    )
    select s.grain, s.first_day, s.last_day
    from segments as s
    where s.plan = (select x.plan from segments as x group by x.plan order by sum(x.n), x.plan limit 1);
end;
$$;

comment on function private.kpi_range_cover(date, date) is
    'The rows of private.kpi_facts that hold the local days from_day to to_day (inclusive) exactly once, as (grain, first_day, last_day) ranges of the rows'' day: either the whole months inside plus, before and after them, whole ISO weeks and the remaining days, or whole weeks and the remaining days, whichever has fewer rows (months on a tie). At most 7 ranges: the whole months, up to 2 runs of whole weeks and up to 4 runs of at most 6 days each, whatever the history (a 45-day range: at most 15 rows, 11 on average, where day rows took up to 45).';

revoke execute on function private.kpi_range_cover(date, date) from public;

-- function private.kpi_period_sums(uuid, text, date, date), as supabase/schemas/43_kpi_period.sql defines it
create or replace function private.kpi_period_sums(target_coach uuid, window_grain text, from_day date, to_day date)
returns private.kpi_facts
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    result private.kpi_facts;
begin
    select k.* into result
    from private.kpi_facts as k
    where k.coach_id = target_coach and k.grain = window_grain and k.end_day = to_day
        and (k.day = from_day or window_grain = 'all');
    if found then
        return result;
    end if;
    with r as materialized (
        select k.*
        from private.kpi_range_cover(from_day, to_day) as c
        join private.kpi_facts as k
            on k.coach_id = target_coach and k.grain = c.grain and k.day between c.first_day and c.last_day
    ),
    typed as (
        -- the counts that have a typed column, summed as columns (named as their key in counts)
        select coalesce(sum(r.new_leads), 0) as new_leads, coalesce(sum(r.cohort_messages), 0) as cohort_messages,
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
        from r
    ),
    typed_json as (
        select to_jsonb(t) as sums, array(select jsonb_object_keys(to_jsonb(t))) as keys from typed as t
    ),
    entries as (
        -- every map of every row in one pass, (map, key) summed; of counts only the keys without a typed column
        select e.map, e.key, sum(e.value::numeric) as n
        from r
        cross join typed_json as j
        cross join lateral (
            select 'counts' as map, x.key, x.value from jsonb_each(r.counts - j.keys) as x
            union all
            select 'sources', x.key, x.value from jsonb_each(r.sources) as x
            union all
            select 'professions', x.key, x.value from jsonb_each(r.professions) as x
            union all
            select 'lost_reasons', x.key, x.value from jsonb_each(r.lost_reasons) as x
            union all
            select 'conversions', x.key, x.value from jsonb_each(r.conversions) as x
            union all
            select 'speed', x.key, x.value from jsonb_each(r.speed) as x
        ) as e
        group by e.map, e.key
        having sum(e.value::numeric) <> 0
    ),
    maps as (
        select coalesce(jsonb_object_agg(e.key, e.n) filter (where e.map = 'counts'), '{}'::jsonb)
                || coalesce((select jsonb_object_agg(x.key, x.value) from typed_json as j
                    cross join lateral jsonb_each(j.sums) as x where x.value <> '0'::jsonb), '{}'::jsonb) as counts,
            coalesce(jsonb_object_agg(e.key, e.n) filter (where e.map = 'sources'), '{}'::jsonb) as sources,
            coalesce(jsonb_object_agg(e.key, e.n) filter (where e.map = 'professions'), '{}'::jsonb) as professions,
            coalesce(jsonb_object_agg(e.key, e.n) filter (where e.map = 'lost_reasons'), '{}'::jsonb) as lost_reasons,
            coalesce(jsonb_object_agg(e.key, e.n) filter (where e.map = 'conversions'), '{}'::jsonb) as conversions,
            coalesce(jsonb_object_agg(e.key, e.n) filter (where e.map = 'speed'), '{}'::jsonb) as speed
        from entries as e
    )
    select target_coach, 'range', from_day, to_day, m.counts, m.sources, m.professions, m.lost_reasons,
        m.conversions, m.speed, now(),
        t.new_leads, t.cohort_messages, t.tta_sum, t.tta_count, t.emails, t.men, t.women, t.other_gender,
        t.unknown_gender, t.age_sum, t.age_count, t.messages_sent, t.messages_received, t.inbound_answered,
        t.dm1_sent, t.dm1_replied, t.dm2_sent, t.dm2_replied, t.dm3_sent, t.dm3_replied, t.dm4_sent, t.dm4_replied,
        t.cohort_qualified, t.cohort_proposed, t.cohort_booked, t.cohort_won, t.cohort_lost,
        t.qualified, t.calls_proposed, t.calls_booked, t.deals_won, t.revenue, t.won_valued, t.lost,
        t.lead_magnets, t.call_outcomes, t.no_shows
    into result
    from maps as m
    cross join typed as t;
    return result;
end;
$$;

comment on function private.kpi_period_sums(uuid, text, date, date) is
    'The coach''s facts over the local days from_day to to_day (inclusive) as a private.kpi_facts value: the window row window_grain when it holds exactly that range (all: any start), else the rows of private.kpi_range_cover (whole months, whole weeks, the other days) summed: each typed column, and each map merged key by key in one pass (counts: the typed columns'' sums and the metrics without a typed column, such as revenue_setter; zero entries removed).';

revoke execute on function private.kpi_period_sums(uuid, text, date, date) from public;
