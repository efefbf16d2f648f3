-- KPI engine: small formulas (rates, ratings, changes, buckets, jsonb sums).

create or replace function private.kpi_min_sample()
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
    select 5;
$$;

comment on function private.kpi_min_sample() is
    'Minimum denominator of a rate: below it the rate says low_sample = true and the page shows "pas assez de données".';

revoke execute on function private.kpi_min_sample() from public;

create or replace function private.kpi_rating(percentage numeric)
returns text
language plpgsql
immutable
security invoker
set search_path = ''
as $$
begin
    return case
        when percentage is null then null
        when percentage >= 60 then 'excellent'
        when percentage >= 40 then 'good'
        else 'to_improve'
    end;
end;
$$;

comment on function private.kpi_rating(numeric) is
    'Rating of a reply rate given as a percentage (the rounded value the coach sees): excellent >= 60, good 40 to < 60, to_improve < 40, null when there is no rate. PL/pgSQL: as a SQL function with a SET clause it was never inlined and was planned again at every call.';

revoke execute on function private.kpi_rating(numeric) from public;

create or replace function private.kpi_rate(num numeric, den numeric, sampled boolean default true)
returns jsonb
language sql
stable
security invoker
as $$
    select jsonb_build_object(
        'value', case when coalesce(den, 0) = 0 then null else round(coalesce(num, 0) * 100.0 / den, 1) end,
        'num', coalesce(num, 0),
        'den', coalesce(den, 0),
        'low_sample', sampled and coalesce(den, 0) < private.kpi_min_sample()
    );
$$;

comment on function private.kpi_rate(numeric, numeric, boolean) is
    'A rate as the dashboard returns it: {value: num/den in % rounded to 1 decimal (null when den = 0), num, den, low_sample: den < kpi_min_sample()}. sampled = false for a rate whose denominator is money, not a count (ROI): low_sample is then false. Inlinable: stable, no SET clause.';

revoke execute on function private.kpi_rate(numeric, numeric, boolean) from public;

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

create or replace function private.kpi_metric(
    value numeric,
    previous numeric,
    has_previous boolean,
    sample numeric,
    previous_sample numeric
)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return jsonb_build_object(
        'value', value,
        'previous', case when has_previous then previous end,
        'change_pct', case when has_previous and previous <> 0
            then round((value - previous) * 100.0 / previous, 1) end,
        'comparable', coalesce(has_previous and value is not null and previous is not null
            and sample >= private.kpi_min_sample() and previous_sample >= private.kpi_min_sample(), false)
    );
end;
$$;

comment on function private.kpi_metric(numeric, numeric, boolean, numeric, numeric) is
    'A period KPI (Metric of web/src/dashboard-types.ts) whose samples are given: {value, previous (null without a previous period), change_pct = (value - previous) / previous in % rounded to 1 decimal (null when previous is 0 or null), comparable = a previous period exists, both values are known and both samples are at least kpi_min_sample()}. Averages and amounts pass the number of items behind them. PL/pgSQL: a period document calls it about 30 times; inlined, each call was compiled again into its caller''s expression at every transaction (a range document about 0.1 ms more CPU with the four metric and rate helpers inlined).';

revoke execute on function private.kpi_metric(numeric, numeric, boolean, numeric, numeric) from public;

create or replace function private.kpi_metric(value numeric, previous numeric, has_previous boolean)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    -- the five-argument version with the count as the sample of each side, written out: one call, not two
    return jsonb_build_object(
        'value', value,
        'previous', case when has_previous then previous end,
        'change_pct', case when has_previous and previous <> 0
            then round((value - previous) * 100.0 / previous, 1) end,
        'comparable', coalesce(has_previous and value is not null and previous is not null
            and value >= private.kpi_min_sample() and previous >= private.kpi_min_sample(), false)
    );
end;
$$;

comment on function private.kpi_metric(numeric, numeric, boolean) is
    'A count over a period (Metric of web/src/dashboard-types.ts): private.kpi_metric with the count itself as the sample of each side, so comparable is false when either count is below kpi_min_sample(). PL/pgSQL, written out (not a call of the five-argument version): see that version.';

revoke execute on function private.kpi_metric(numeric, numeric, boolean) from public;

create or replace function private.kpi_period_rate(
    num numeric,
    den numeric,
    previous_num numeric,
    previous_den numeric,
    has_previous boolean,
    sampled boolean default true
)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return private.kpi_rate(num, den, sampled) || jsonb_build_object(
        'previous', case when has_previous then private.kpi_rate(previous_num, previous_den, sampled) end,
        'change_points', case when has_previous and coalesce(den, 0) <> 0 and coalesce(previous_den, 0) <> 0
            then round(coalesce(num, 0) * 100.0 / den, 1) - round(coalesce(previous_num, 0) * 100.0 / previous_den, 1) end,
        'comparable', has_previous and coalesce(den, 0) <> 0 and coalesce(previous_den, 0) <> 0
            and (not sampled or (den >= private.kpi_min_sample() and previous_den >= private.kpi_min_sample()))
    );
end;
$$;

comment on function private.kpi_period_rate(numeric, numeric, numeric, numeric, boolean, boolean) is
    'A period rate (PeriodRate of web/src/dashboard-types.ts): kpi_rate(num, den) with previous = kpi_rate(previous_num, previous_den) (null without a previous period), change_points = value - previous value in percentage points (null when either is null) and comparable = a previous period exists and neither side is low_sample (both denominators non-zero, and at least kpi_min_sample() when sampled). PL/pgSQL (kpi_rate inlined in it, compiled once per transaction): a period document calls it about 20 times; inlined, each call was compiled again into its caller''s expression at every transaction.';

revoke execute on function private.kpi_period_rate(numeric, numeric, numeric, numeric, boolean, boolean) from public;

create or replace function private.kpi_no_show_rate(
    no_shows numeric,
    outcomes numeric,
    previous_no_shows numeric,
    previous_outcomes numeric,
    has_previous boolean,
    default_rate numeric
)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return case when outcomes > 0 then private.kpi_rate(no_shows, outcomes)
            else private.kpi_rate(0, 0) || jsonb_build_object('value', round(coalesce(default_rate, 0) * 100, 1)) end
        || jsonb_build_object(
            'estimated', not outcomes > 0,
            'previous', case when not has_previous then null
                when previous_outcomes > 0 then private.kpi_rate(previous_no_shows, previous_outcomes)
                else private.kpi_rate(0, 0) || jsonb_build_object('value', round(coalesce(default_rate, 0) * 100, 1)) end,
            'change_points', case when has_previous and outcomes > 0 and previous_outcomes > 0
                then round(no_shows * 100.0 / outcomes, 1) - round(previous_no_shows * 100.0 / previous_outcomes, 1) end,
            'comparable', coalesce(has_previous and outcomes >= private.kpi_min_sample()
                and previous_outcomes >= private.kpi_min_sample(), false));
end;
$$;

comment on function private.kpi_no_show_rate(numeric, numeric, numeric, numeric, boolean, numeric) is
    'qualification.no_show_rate of a period document: no-shows / calls booked in the period with a known outcome, else the coach''s default rate (estimated = true, change_points null); comparable when both periods have at least kpi_min_sample() known outcomes. PL/pgSQL (kpi_rate inlined in it, compiled once per transaction), as private.kpi_period_rate.';

revoke execute on function private.kpi_no_show_rate(numeric, numeric, numeric, numeric, boolean, numeric) from public;

create or replace function private.kpi_reply_rate(message_number integer, replied numeric, sent numeric, previous_replied numeric, previous_sent numeric, has_previous boolean)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return jsonb_build_object(
        'message_number', message_number,
        'rate', private.kpi_period_rate(replied, sent, previous_replied, previous_sent, has_previous),
        'rating', private.kpi_rating(case when sent > 0 then round(coalesce(replied, 0) * 100.0 / sent, 1) end)
    );
end;
$$;

comment on function private.kpi_reply_rate(integer, numeric, numeric, numeric, numeric, boolean) is
    'One entry of reply_rates of a period document: {message_number, rate: PeriodRate replied / sent, rating of the rate}. PL/pgSQL: as a SQL function with a SET clause it was never inlined and was planned again at every call.';

revoke execute on function private.kpi_reply_rate(integer, numeric, numeric, numeric, numeric, boolean) from public;

create or replace function private.kpi_speed_bucket(wait_minutes numeric)
returns integer
language sql
immutable
security invoker
as $$
    select case
        when wait_minutes is null then null
        when wait_minutes > 43200 then (ceil(wait_minutes / 1440) * 1440)::integer
        when wait_minutes <= 10 then greatest(ceil(wait_minutes), 1)::integer
        when wait_minutes <= 12 then 12 when wait_minutes <= 15 then 15 when wait_minutes <= 20 then 20
        when wait_minutes <= 25 then 25 when wait_minutes <= 30 then 30 when wait_minutes <= 40 then 40
        when wait_minutes <= 50 then 50 when wait_minutes <= 60 then 60 when wait_minutes <= 75 then 75
        when wait_minutes <= 90 then 90 when wait_minutes <= 120 then 120 when wait_minutes <= 150 then 150
        when wait_minutes <= 180 then 180 when wait_minutes <= 240 then 240 when wait_minutes <= 300 then 300
        when wait_minutes <= 360 then 360 when wait_minutes <= 480 then 480 when wait_minutes <= 600 then 600
        when wait_minutes <= 720 then 720 when wait_minutes <= 960 then 960 when wait_minutes <= 1200 then 1200
        when wait_minutes <= 1440 then 1440 when wait_minutes <= 2160 then 2160 when wait_minutes <= 2880 then 2880
        when wait_minutes <= 4320 then 4320 when wait_minutes <= 5760 then 5760 when wait_minutes <= 7200 then 7200
        when wait_minutes <= 10080 then 10080 when wait_minutes <= 20160 then 20160
        else 43200
    end;
$$;

comment on function private.kpi_speed_bucket(numeric) is
    'Bucket of a speed-to-lead wait in minutes: the smallest of 1..10, 12, 15, 20, 25, 30, 40, 50, 60, 75, 90, 120, 150, 180, 240, 300, 360, 480, 600, 720, 960, 1200, 1440, 2160, 2880, 4320, 5760, 7200, 10080, 20160, 43200 that is >= the wait; beyond 30 days the next whole day. A CASE without sub-select: inlined (no SET clause, no object referenced).';

revoke execute on function private.kpi_speed_bucket(numeric) from public;

create or replace function private.kpi_jsonb_add(a jsonb, b jsonb)
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
    select case when b = '{}'::jsonb then a when a = '{}'::jsonb then b else (
    select coalesce(jsonb_object_agg(s.key, s.n), '{}'::jsonb)
    from (
        select e.key, sum(e.value::numeric) as n
        from (select * from jsonb_each(a) union all select * from jsonb_each(b)) as e
        group by e.key
        having sum(e.value::numeric) <> 0
    ) as s) end;
$$;

comment on function private.kpi_jsonb_add(jsonb, jsonb) is
    'Adds two JSON objects of numbers key by key; keys whose sum is 0 are dropped. Reads the numbers as JSON (jsonb_each, cast to numeric: exact), not through their text.';

revoke execute on function private.kpi_jsonb_add(jsonb, jsonb) from public;

create or replace function private.kpi_jsonb_sum(maps jsonb[])
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
    select coalesce(jsonb_object_agg(s.key, s.n), '{}'::jsonb)
    from (
        select e.key, sum(e.value::numeric) as n
        from unnest(maps) as m (map)
        cross join lateral jsonb_each(m.map) as e
        group by e.key
        having sum(e.value::numeric) <> 0
    ) as s;
$$;

comment on function private.kpi_jsonb_sum(jsonb[]) is
    'Adds JSON objects of numbers key by key; keys whose sum is 0 are dropped. Reads the numbers as JSON (jsonb_each, cast to numeric: exact), not through their text (about 25% faster on the 45 day rows of a range).';

revoke execute on function private.kpi_jsonb_sum(jsonb[]) from public;
