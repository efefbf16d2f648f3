-- Purpose: private.kpi_metric (both), private.kpi_period_rate and private.kpi_no_show_rate are PL/pgSQL (search_path set) instead of inlinable SQL: a period document calls them about 50 times, and inlined each call was compiled again into its caller's expression at every transaction (a range document about 0.1 ms less CPU); the same values. private.kpi_rate stays inlinable (set-based callers).

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- as supabase/schemas/40_kpi_helpers.sql defines them (create or replace keeps their privileges)
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
