-- Purpose: private.kpi_period_sums writes a range's packed conversions and speed buckets out into its maps itself (private.kpi_unpack_slots), before private.kpi_range_sums stops doing it for the period documents.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

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
