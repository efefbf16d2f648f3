-- Purpose: private.kpi_speed_bucket becomes a plain CASE (no sub-select), so PostgreSQL really inlines it into the upkeep's per-message query; the helpers whose inlining buys nothing measurable get their SET search_path back.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- The bucket of a speed-to-lead wait: the smallest of 1..10, 12, 15, 20, 25, 30, 40, 50, 60, 75, 90, 120, 150, 180,
-- 240, 300, 360, 480, 600, 720, 960, 1200, 1440, 2160, 2880, 4320, 5760, 7200, 10080, 20160, 43200 that is >= the wait,
-- beyond 30 days the next whole day: the same function as 20261201150900's. That one took the minimum of an unnest():
-- a body with a sub-select is never inlined (inline_function refuses subplans), so each turn of each recomputed lead
-- called it (issue 23's profile: 88,057 calls, 639 ms of one 2.97 s pass at 40,000 leads). A CASE is inlined and
-- evaluated in the query.
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

-- Called once or twice per document (the period object, the legacy document's two week-over-week changes) or four
-- times (the reply rates and their ratings), or immutable without arguments (the minimum sample: the planner folds it
-- to a constant whether inlined or not): inlining them bought nothing measurable (scripts/bench/inlining.mjs), so they
-- keep a SET search_path like every other function.
alter function private.kpi_period_json(private.kpi_period) set search_path = '';
alter function private.kpi_change(numeric, numeric) set search_path = '';
alter function private.kpi_rating(numeric) set search_path = '';
alter function private.kpi_reply_rate(integer, numeric, numeric, numeric, numeric, boolean) set search_path = '';
alter function private.kpi_min_sample() set search_path = '';

comment on function private.kpi_change(numeric, numeric) is
    'Period-over-period change: {current, previous, change_pct = (current - previous) / previous in % rounded to 1 decimal, null when previous = 0} (the legacy document''s week-over-week changes).';
comment on function private.kpi_period_json(private.kpi_period) is
    'The period object of a period document (Period of web/src/dashboard-types.ts); previous.until is the cut of the previous period in UTC (ISO 8601, to the second), null when whole days are compared.';
comment on function private.kpi_reply_rate(integer, numeric, numeric, numeric, numeric, boolean) is
    'One entry of reply_rates of a period document: {message_number, rate: PeriodRate replied / sent, rating of the rate}.';
