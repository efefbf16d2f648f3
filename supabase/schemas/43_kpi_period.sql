-- KPI engine: resolving a period and summing its days.

create or replace function private.kpi_first_day(target_coach uuid, today date)
returns date
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return least(coalesce((
        select k.day
        from private.kpi_facts as k
        where k.coach_id = target_coach and k.grain = 'day'
            and (k.new_leads > 0 or k.messages_sent > 0 or k.messages_received > 0)
        order by k.day
        limit 1
    ), today), today);
end;
$$;

comment on function private.kpi_first_day(uuid, date) is
    'First local day on which the coach has a new lead or a message (from private.kpi_facts), capped at today; today when there is none. PL/pgSQL: as a SQL function with a SET clause it was never inlined and was planned again at every call.';

revoke execute on function private.kpi_first_day(uuid, date) from public;

create or replace function private.kpi_period_json(p private.kpi_period)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return jsonb_build_object(
        'key', p.key,
        'start', to_char(p.start_day, 'YYYY-MM-DD'),
        'end', to_char(p.end_day, 'YYYY-MM-DD'),
        'days', p.days,
        'previous', case when p.previous_start is not null then jsonb_build_object(
            'start', to_char(p.previous_start, 'YYYY-MM-DD'), 'end', to_char(p.previous_end, 'YYYY-MM-DD'),
            'until', to_char(p.previous_until at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) end,
        'bucket', p.bucket,
        'timezone', p.timezone
    );
end;
$$;

comment on function private.kpi_period_json(private.kpi_period) is
    'The period object of a period document (Period of web/src/dashboard-types.ts); previous.until is the cut of the previous period in UTC (ISO 8601, to the second), null when whole days are compared. PL/pgSQL: as a SQL function with a SET clause it was never inlined and was planned again at every call.';

revoke execute on function private.kpi_period_json(private.kpi_period) from public;

create or replace function private.kpi_range_cover(from_day date, to_day date)
returns table (grain text, first_day date, last_day date)
language plpgsql
immutable
rows 7
security invoker
set search_path = ''
as $$
declare
    -- the whole months inside [from_day, to_day]: [months_from, months_to - 1], none when months_from >= months_to
    months_from date := case when extract(day from from_day) = 1 then from_day
        else (date_trunc('month', from_day) + interval '1 month')::date end;
    months_to date := case when extract(day from to_day + 1) = 1 then to_day + 1
        else date_trunc('month', to_day)::date end;
    has_months boolean := months_from < months_to;
    -- the rests: 1 = the whole range (plan w: weeks and days); 2 and 3 = before and after the months (plan m)
    rest_a date[] := array[from_day, from_day, months_to];
    rest_b date[] := array[to_day, months_from - 1, to_day];
    rows_w integer := 0;
    rows_m integer := 0;
    use_months boolean;
    a date;
    b date;
    wf date;
    wl date;
    n integer;
begin
    -- the rows of each plan: in a rest [a, b], its whole ISO weeks (first Monday wf, last Sunday wl) one row each and
    -- the days around them one row each
    for i in 1..3 loop
        continue when i > 1 and not has_months;
        a := rest_a[i];
        b := rest_b[i];
        continue when a > b;
        wf := a + (8 - extract(isodow from a)::integer) % 7;
        wl := b - extract(isodow from b)::integer % 7;
        n := case when wf + 6 <= wl then (wl - wf + 1) / 7 + (wf - a) + (b - wl) else b - a + 1 end;
        if i = 1 then
            rows_w := n;
        else
            rows_m := rows_m + n;
        end if;
    end loop;
    -- plan m when it has whole months and no more rows than plan w (months on a tie)
    use_months := has_months and rows_m + (extract(year from months_to - 1)::integer * 12
        + extract(month from months_to - 1)::integer - extract(year from months_from)::integer * 12
        - extract(month from months_from)::integer + 1) <= rows_w;
    for i in 1..3 loop
        continue when (i = 1) = use_months;
        if i = 3 then
            grain := 'month';
            first_day := months_from;
            last_day := months_to - 1;
            return next;
        end if;
        a := rest_a[i];
        b := rest_b[i];
        continue when a > b;
        wf := a + (8 - extract(isodow from a)::integer) % 7;
        wl := b - extract(isodow from b)::integer % 7;
        if wf + 6 <= wl then
            if a < wf then
                grain := 'day';
                first_day := a;
                last_day := wf - 1;
                return next;
            end if;
            grain := 'week';
            first_day := wf;
            last_day := wl - 6;
            return next;
            if wl < b then
                grain := 'day';
                first_day := wl + 1;
                last_day := b;
                return next;
            end if;
        else
            grain := 'day';
            first_day := a;
            last_day := b;
            return next;
        end if;
    end loop;
end;
$$;

comment on function private.kpi_range_cover(date, date) is
    'The rows of private.kpi_facts that hold the local days from_day to to_day (inclusive) exactly once, as (grain, first_day, last_day) ranges of the rows'' day: either the whole months inside plus, before and after them, whole ISO weeks and the remaining days, or whole weeks and the remaining days, whichever has fewer rows (months on a tie). At most 7 ranges: the whole months, up to 2 runs of whole weeks and up to 4 runs of at most 6 days each, whatever the history (a 45-day range: at most 15 rows, 11 on average, where day rows took up to 45). Computed by date arithmetic, without a query (a quarter of the time of the former CTE version: the cover is computed twice per range document).';

revoke execute on function private.kpi_range_cover(date, date) from public;

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
    -- any other range: its covering rows summed (an empty previous period: nothing more is read), then the packed
    -- conversions and speed buckets written out into their maps
    result := (select x.cur from private.kpi_range_sums(target_coach, from_day, to_day, from_day, from_day - 1) as x);
    result.conversions := private.kpi_unpack_slots(result.conversion_slots, private.kpi_conversion_slot_keys());
    result.speed := private.kpi_unpack_slots(result.speed_slots, private.kpi_speed_slot_keys()) || result.speed;
    return result;
end;
$$;

comment on function private.kpi_period_sums(uuid, text, date, date) is
    'The coach''s facts over the local days from_day to to_day (inclusive) as a private.kpi_facts value: the window row window_grain when it holds exactly that range (all: any start), else the current period of private.kpi_range_sums over that range with an empty previous period (the rows of private.kpi_range_cover summed: each typed column, each map merged key by key; counts: the typed columns'' sums and the metrics without a typed column, such as revenue_setter; zero entries removed), its packed conversions and speed buckets unpacked into the maps (private.kpi_unpack_slots): every map whole, as in a window row.';

revoke execute on function private.kpi_period_sums(uuid, text, date, date) from public;

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

revoke execute on function private.kpi_range_sums(uuid, date, date, date, date) from public;

create or replace function private.kpi_range_margin_days()
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
    select 90;
$$;

comment on function private.kpi_range_margin_days() is
    'How many days before the coach''s first data (private.kpi_first_day) a custom range may start: 90.';

revoke execute on function private.kpi_range_margin_days() from public;

create or replace function private.kpi_range_max_days()
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
    select 1096;
$$;

comment on function private.kpi_range_max_days() is
    'The longest custom range in days: 1096 (three years and a day).';

revoke execute on function private.kpi_range_max_days() from public;

create or replace function private.kpi_check_range_bounds(target_coach uuid, period_start date, period_end date, today date)
returns void
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    first_day date := private.kpi_first_day(target_coach, today);
    earliest date := first_day - private.kpi_range_margin_days();
    days integer := period_end - period_start + 1;
begin
    if period_start < earliest then
        raise exception using errcode = '22023',
            message = format('invalid parameter "period_start": %s is before the earliest allowed start %s (the coach''s first data %s minus %s days)',
                period_start, earliest, first_day, private.kpi_range_margin_days());
    elsif days > private.kpi_range_max_days() then
        raise exception using errcode = '22023',
            message = format('invalid parameter "period_start": the range has %s days, more than the maximum length of %s days',
                days, private.kpi_range_max_days());
    end if;
end;
$$;

comment on function private.kpi_check_range_bounds(uuid, date, date, date) is
    'Checks a custom range [period_start, period_end] of a coach against its bounds: 22023 "invalid parameter \"period_start\": ... before the earliest allowed start ..." when it starts more than kpi_range_margin_days() days before the coach''s first data (private.kpi_first_day), 22023 "... more than the maximum length of ... days" when it is longer than kpi_range_max_days().';

revoke execute on function private.kpi_check_range_bounds(uuid, date, date, date) from public;

create or replace function private.kpi_resolve_period(
    target_coach uuid,
    period text,
    period_start date,
    period_end date,
    as_of timestamptz
)
returns private.kpi_period
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    p private.kpi_period;
begin
    p.key := coalesce(period, 'range');
    select c.timezone into p.timezone from public.coachs as c where c.id = target_coach;
    p.today := (as_of at time zone p.timezone)::date;
    if p.key not in ('today', '7d', '30d', '90d', 'all', 'range') then
        raise exception using errcode = '22023',
            message = format('invalid parameter "period": "%s" is not one of today, 7d, 30d, 90d, all, range', period);
    elsif p.key <> 'range' and (period_start is not null or period_end is not null) then
        raise exception using errcode = '22023',
            message = format('invalid parameter "period_start": dates go with period "range" (or no period), not with "%s"', period);
    elsif p.key = 'range' and (period_start is null or period_end is null) then
        raise exception using errcode = '22023',
            message = format('invalid parameter "%s": a range needs both period_start and period_end',
                case when period_start is null then 'period_start' else 'period_end' end);
    elsif period_start > period_end then
        raise exception using errcode = '22023',
            message = format('invalid parameter "period_start": %s is after period_end %s', period_start, period_end);
    elsif period_end > p.today then
        raise exception using errcode = '22023',
            message = format('invalid parameter "period_end": %s is after today (%s in %s)', period_end, p.today, p.timezone);
    elsif p.key = 'range' then
        perform private.kpi_check_range_bounds(target_coach, period_start, period_end, p.today);
    end if;
    p.end_day := coalesce(period_end, p.today);
    p.start_day := case p.key
        when 'range' then period_start when 'today' then p.today when '7d' then p.today - 6
        when '30d' then p.today - 29 when '90d' then p.today - 89
        else private.kpi_first_day(target_coach, p.today) end;
    p.days := p.end_day - p.start_day + 1;
    if p.key <> 'all' then
        p.previous_start := p.start_day - p.days;
        p.previous_end := p.start_day - 1;
        if p.end_day = p.today then
            p.previous_until := (p.previous_end + date_trunc('second', (as_of at time zone p.timezone)::time)::time)
                at time zone p.timezone;
        end if;
    end if;
    p.bucket := private.kpi_trend_bucket(p.days);
    return p;
end;
$$;

comment on function private.kpi_resolve_period(uuid, text, date, date, timestamptz) is
    'Resolves the period of a dashboard call at the instant as_of in the coach''s time zone: today [today, today], 7d [today - 6, today], 30d, 90d, all [first day with a lead or message, today], range (or no period) [period_start, period_end] within its bounds (private.kpi_check_range_bounds). The previous period has the same number of days and ends the day before the start (none for all), cut at as_of''s local time of day (to the second) when the period ends today (previous_until); bucket is week beyond 90 days, month beyond 366 (private.kpi_trend_bucket). Raises 22023 naming the parameter for an unknown period, dates with a preset, a range without both dates, a start after the end, an end after today, a range beyond its bounds.';

revoke execute on function private.kpi_resolve_period(uuid, text, date, date, timestamptz) from public;

create or replace function private.kpi_resolve_period(target_coach uuid, period text, period_start date, period_end date)
returns private.kpi_period
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return private.kpi_resolve_period(target_coach, period, period_start, period_end, now());
end;
$$;

comment on function private.kpi_resolve_period(uuid, text, date, date) is
    'private.kpi_resolve_period at now(): the period of a dashboard call (see the five-argument version). PL/pgSQL: as a SQL function with a SET clause it was never inlined and was planned again at every call.';

revoke execute on function private.kpi_resolve_period(uuid, text, date, date) from public;

create or replace function private.kpi_after_cut(target_coach uuid, cut_day date, cut timestamptz)
returns table (metric text, n numeric)
language plpgsql
stable
security invoker
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
    day_end timestamptz := (cut_day + 1)::timestamp at time zone (
        select c.timezone from public.coachs as c where c.id = target_coach);
    ids uuid[];
    late_ids uuid[];
    late_sent bigint[];
    late_received bigint[];
    late_answered bigint[];
begin
    -- the events of the cut day at or after the cut, by range on each table's (coach_id, time) index: these two
    -- statements are planned for their bounds (dynamic); a generic plan expects thousands of rows there and reads the
    -- coach's whole history (and every coach's lead facts) for the few dozen leads of a part of a day
    execute $q$
        select array_agg(m.lead_id order by m.lead_id), array_agg(m.sent order by m.lead_id),
            array_agg(m.received order by m.lead_id), array_agg(m.answered order by m.lead_id)
        from (
            select m.lead_id,
                count(*) filter (where m.direction = 'out') as sent,
                count(*) filter (where m.direction = 'in') as received,
                count(*) filter (where m.direction = 'in' and m.created_at < (
                    select max(o.created_at) from public.messages as o
                    where o.lead_id = m.lead_id and o.coach_id = $1 and o.direction = 'out')) as answered
            from public.messages as m
            where m.coach_id = $1 and m.created_at >= $2 and m.created_at < $3
            group by m.lead_id
        ) as m
    $q$ into late_ids, late_sent, late_received, late_answered using target_coach, cut, day_end;
    execute $q$
        select array(
            select l.id from public.leads as l where l.coach_id = $1 and l.created_at >= $2 and l.created_at < $3
            union
            select e.lead_id from public.lead_status_events as e
            where e.coach_id = $1 and e.changed_at >= $2 and e.changed_at < $3
            union
            select f.lead_id from private.lead_facts as f
            where f.coach_id = $1 and f.lead_magnet_day = $4 and f.lead_magnet_at >= $2
            union
            select x.id from unnest($5::uuid[]) as x (id))
    $q$ into ids using target_coach, cut, day_end, cut_day, late_ids;
    if cardinality(ids) = 0 then
        return;
    end if;
    -- the candidates' facts by primary key, and their contributions to the cut day before and after truncation
    return query
    with late_messages as (
            select x.lead_id, x.sent, x.received, x.answered
            from unnest(late_ids, late_sent, late_received, late_answered) as x (lead_id, sent, received, answered)
        ),
        truncated as (
            select f, jsonb_populate_record(f, coalesce((
                    -- every "<event>_day" whose "<event>_at" is at or after the cut is cleared (DMs, stages, lead
                    -- magnet, whatever facts a later migration adds under that naming); the row as JSON once a lead
                    select jsonb_object_agg(left(e.key, -3) || '_day', null)
                    from jsonb_each(j.fact_json) as e
                    where e.key like '%\_at' and e.key not in ('created_at', 'computed_at')
                        and j.fact_json ? (left(e.key, -3) || '_day') and (e.value #>> '{}')::timestamptz >= cut), '{}'::jsonb)
                || jsonb_build_object(
                    'activity', case when m.lead_id is null or not f.activity ? to_char(cut_day, 'YYYY-MM-DD') then f.activity
                        else jsonb_set(f.activity, array[to_char(cut_day, 'YYYY-MM-DD')], jsonb_build_array(
                            (f.activity -> to_char(cut_day, 'YYYY-MM-DD') ->> 0)::integer - m.sent,
                            (f.activity -> to_char(cut_day, 'YYYY-MM-DD') ->> 1)::integer - m.received,
                            (f.activity -> to_char(cut_day, 'YYYY-MM-DD') ->> 2)::integer - m.answered)) end)) as t,
                f.created_at >= cut as created_after
            from private.lead_facts as f
            cross join lateral (select to_jsonb(f) as fact_json offset 0) as j
            left join late_messages as m on m.lead_id = f.lead_id
            where f.lead_id = any (ids)
        )
        select x.metric, sum(x.n)
        from (
            select c.metric, c.n
            from truncated as u cross join lateral private.kpi_lead_contributions(u.f) as c
            where c.day = cut_day
            union all
            select c.metric, -c.n
            from truncated as u cross join lateral private.kpi_lead_contributions(u.t) as c
            where c.day = cut_day and not u.created_after
        ) as x
        group by x.metric
        having sum(x.n) <> 0;
end;
$$;

comment on function private.kpi_after_cut(uuid, date, timestamptz) is
    'The contributions to the local day cut_day of a coach that happened at or after the instant cut, as (metric, n) in the terms of private.kpi_lead_contributions: for each lead with an event that day at or after the cut (created, a message, a status event, a lead magnet), its contributions to that day minus those of its facts truncated at the cut (a lead created after the cut has none; every <event>_day whose <event>_at is at or after it cleared; the day''s messages counted before it). Conversions and speed turns are not cut. Cost: the events of that part of the day and their leads, whatever the history (the two range reads are planned for their bounds, the rest is a generic plan over the leads found, kept for the session: planning it is about 80 ms). Each candidate''s row is turned into JSON once to find the fields to clear; pgTAP 52 checks the cut values.';

revoke execute on function private.kpi_after_cut(uuid, date, timestamptz) from public;

create or replace function private.kpi_cut_next_event(target_coach uuid, cut_day date, cut timestamptz)
returns timestamptz
language sql
stable
security invoker
set search_path = ''
as $$
    select coalesce(least(
        (select min(l.created_at) from public.leads as l
         where l.coach_id = target_coach and l.created_at >= cut and l.created_at < b.day_end),
        (select min(m.created_at) from public.messages as m
         where m.coach_id = target_coach and m.created_at >= cut and m.created_at < b.day_end),
        (select min(e.changed_at) from public.lead_status_events as e
         where e.coach_id = target_coach and e.changed_at >= cut and e.changed_at < b.day_end),
        (select min(f.lead_magnet_at) from private.lead_facts as f
         where f.coach_id = target_coach and f.lead_magnet_day = cut_day and f.lead_magnet_at >= cut)), 'infinity')
    from (
        select (cut_day + 1)::timestamp at time zone c.timezone as day_end
        from public.coachs as c
        where c.id = target_coach
    ) as b;
$$;

comment on function private.kpi_cut_next_event(uuid, date, timestamptz) is
    'The first event of the local day cut_day of a coach at or after the instant cut, among those private.kpi_after_cut takes off (a lead created, a message, a status event, a lead magnet); infinity when there is none. private.kpi_after_cut gives the same result for any cut up to that instant. Four reads of one index entry each (min on the coach and time indexes).';

revoke execute on function private.kpi_cut_next_event(uuid, date, timestamptz) from public;

create or replace function private.kpi_cells_map(cells jsonb, map text, sign integer)
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
    select coalesce(jsonb_object_agg(substr(c.key, char_length(map) + 2), sign * c.value::numeric), '{}'::jsonb)
    from jsonb_each_text(cells) as c
    where left(c.key, char_length(map) + 1) = map || '.';
$$;

comment on function private.kpi_cells_map(jsonb, text, integer) is
    'The entries "<map>.<key>" of a set of contributions {"<metric>": n} as the map {"<key>": sign * n}.';

revoke execute on function private.kpi_cells_map(jsonb, text, integer) from public;

create or replace function private.kpi_facts_less(base private.kpi_facts, cells jsonb)
returns private.kpi_facts
language sql
stable
security invoker
set search_path = ''
as $$
    select jsonb_populate_record(base, coalesce((
        -- the row as JSON once (not once a cell: its maps make it a few kB)
        select jsonb_object_agg(c.key, (b.facts ->> c.key)::numeric - c.value::numeric)
        from (select to_jsonb(base) as facts offset 0) as b
        cross join jsonb_each_text(cells) as c
        where strpos(c.key, '.') = 0
    ), '{}'::jsonb) || jsonb_build_object(
        'counts', private.kpi_jsonb_add(base.counts, coalesce((
            select jsonb_object_agg(c.key, -c.value::numeric) from jsonb_each_text(cells) as c
            where strpos(c.key, '.') = 0), '{}'::jsonb)),
        'sources', private.kpi_jsonb_add(base.sources, private.kpi_cells_map(cells, 'sources', -1)),
        'professions', private.kpi_jsonb_add(base.professions, private.kpi_cells_map(cells, 'professions', -1)),
        'lost_reasons', private.kpi_jsonb_add(base.lost_reasons, private.kpi_cells_map(cells, 'lost_reasons', -1)),
        'conversions', private.kpi_jsonb_add(base.conversions, private.kpi_cells_map(cells, 'conversions', -1)),
        'speed', private.kpi_jsonb_add(base.speed, private.kpi_cells_map(cells, 'speed', -1))));
$$;

comment on function private.kpi_facts_less(private.kpi_facts, jsonb) is
    'A private.kpi_facts value with a set of contributions {"<metric>": n} (maps as "<map>.<key>") taken off: each typed column, counts and each labelled map.';

revoke execute on function private.kpi_facts_less(private.kpi_facts, jsonb) from public;

create or replace function private.kpi_previous_sums(target_coach uuid, p private.kpi_period)
returns private.kpi_facts
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    prev private.kpi_facts := private.kpi_period_sums(target_coach, 'previous_' || p.key, p.previous_start, p.previous_end);
begin
    if p.previous_until is null then
        return prev;
    end if;
    return private.kpi_facts_less(prev, (
        select coalesce(jsonb_object_agg(a.metric, a.n), '{}'::jsonb)
        from private.kpi_after_cut(target_coach, p.previous_end, p.previous_until) as a));
end;
$$;

comment on function private.kpi_previous_sums(uuid, private.kpi_period) is
    'The facts of the previous period of a resolved period (private.kpi_period_sums), cut at previous_until when the period ends today: the contributions of its last day at or after that instant (private.kpi_after_cut) taken off.';

revoke execute on function private.kpi_previous_sums(uuid, private.kpi_period) from public;
