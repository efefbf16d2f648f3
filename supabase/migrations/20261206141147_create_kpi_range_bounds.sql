-- Purpose: bounds of a custom range of get_dashboard and the other period RPCs: its start no earlier than the coach's first data minus a margin, and a maximum length; a range beyond them is refused with 22023 and a message naming the bound.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- A range is [period_start, period_end], whole local days. Unbounded, one call asked for 0001-01-01 .. yesterday
-- (104,000 weekly trend buckets, 4.67 MB, 728 ms) and slowed every other coach. The bounds:
--   - margin: the start is at most private.kpi_range_margin_days() days before the coach's first data (the first
--     local day with a lead or a message, today when there is none), so a coach with no history may still ask a
--     range of that many days;
--   - length: at most private.kpi_range_max_days() days (a 3-year range has 157 weekly trend buckets).
-- Presets are not ranges: all starts at the first data and has no bound.

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

-- Raises 22023 when a range is beyond a bound; the message names the parameter and the bound.
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

revoke all on function private.kpi_range_margin_days() from public;
revoke all on function private.kpi_range_max_days() from public;
revoke all on function private.kpi_check_range_bounds(uuid, date, date, date) from public;
