-- Purpose: the pure KPI helpers (kpi_min_sample, kpi_rate, kpi_rating, kpi_change) become inlinable, and the period helpers (kpi_metric, kpi_period_rate) are written the same way.

set local lock_timeout = '3s';
set local statement_timeout = '30s';

-- PostgreSQL inlines a SQL function into the query that calls it only when it has no SET clause and, if declared
-- immutable, its body calls nothing less than immutable. These helpers had SET search_path = '' (and kpi_rate,
-- kpi_change call jsonb_build_object, which is stable): every call of get_dashboard ran 54 of them one by one. Their
-- bodies read no table and call only pg_catalog and schema-qualified private functions, so a search_path cannot
-- change what they do; without the SET clause, and stable where the body is, they are inlined. The linter's
-- function_search_path_mutable warning is accepted for them by name: the list and the reason are in docs/kpis.md
-- ("Inlined helpers").
alter function private.kpi_min_sample() reset search_path;
alter function private.kpi_rating(numeric) reset search_path;
alter function private.kpi_rate(numeric, numeric, boolean) stable;
alter function private.kpi_rate(numeric, numeric, boolean) reset search_path;
alter function private.kpi_change(numeric, numeric) stable;
alter function private.kpi_change(numeric, numeric) reset search_path;

comment on function private.kpi_rate(numeric, numeric, boolean) is
    'A rate as the dashboard returns it: {value: num/den in % rounded to 1 decimal (null when den = 0), num, den, low_sample: den < kpi_min_sample()}. sampled = false for a rate whose denominator is money, not a count (ROI): low_sample is then false. Inlinable: stable, no SET clause.';
comment on function private.kpi_change(numeric, numeric) is
    'Period-over-period change: {current, previous, change_pct = (current - previous) / previous in % rounded to 1 decimal, null when previous = 0}. Inlinable: stable, no SET clause.';

-- A count, amount or average over a period with its previous value: {value, previous, change_pct}.
create or replace function private.kpi_metric(value numeric, previous numeric, has_previous boolean)
returns jsonb
language sql
stable
security invoker
as $$
    select jsonb_build_object(
        'value', value,
        'previous', case when has_previous then previous end,
        'change_pct', case when has_previous and previous <> 0
            then round((value - previous) * 100.0 / previous, 1) end
    );
$$;

comment on function private.kpi_metric(numeric, numeric, boolean) is
    'A period KPI (Metric of web/src/dashboard-types.ts): {value, previous (null without a previous period), change_pct = (value - previous) / previous in % rounded to 1 decimal, null when previous is 0 or null}. Inlinable: stable, no SET clause.';

-- A rate over a period with the same rate over the previous period: Rate & {previous, change_points}.
create or replace function private.kpi_period_rate(
    num numeric,
    den numeric,
    previous_num numeric,
    previous_den numeric,
    has_previous boolean,
    sampled boolean default true
)
returns jsonb
language sql
stable
security invoker
as $$
    select private.kpi_rate(num, den, sampled) || jsonb_build_object(
        'previous', case when has_previous then private.kpi_rate(previous_num, previous_den, sampled) end,
        'change_points', case when has_previous and coalesce(den, 0) <> 0 and coalesce(previous_den, 0) <> 0
            then round(coalesce(num, 0) * 100.0 / den, 1) - round(coalesce(previous_num, 0) * 100.0 / previous_den, 1) end
    );
$$;

comment on function private.kpi_period_rate(numeric, numeric, numeric, numeric, boolean, boolean) is
    'A period rate (PeriodRate of web/src/dashboard-types.ts): kpi_rate(num, den) with previous = kpi_rate(previous_num, previous_den) (null without a previous period) and change_points = value - previous value in percentage points (null when either is null). Inlinable: stable, no SET clause.';

revoke all on function private.kpi_metric(numeric, numeric, boolean) from public;
revoke all on function private.kpi_period_rate(numeric, numeric, numeric, numeric, boolean, boolean) from public;
