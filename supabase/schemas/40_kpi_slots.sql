-- KPI engine: the fixed-key maps of private.kpi_facts (conversions by weekday-hour, speed by wait bucket) packed in
-- one whole number per row, so a range adds numbers instead of merging maps key by key.

create or replace function private.kpi_conversion_slot_keys()
returns text[]
language sql
immutable
security invoker
set search_path = ''
as $$
    select array(select s::text from generate_series(0, 167) as s);
$$;

comment on function private.kpi_conversion_slot_keys() is
    'The keys of the conversions map of private.kpi_facts in slot order: ''0'' to ''167'', the local weekday-hour slots ((ISO weekday - 1) * 24 + hour). Slot i (from 1) of private.kpi_facts.conversion_slots holds key i.';

revoke execute on function private.kpi_conversion_slot_keys() from public;

create or replace function private.kpi_speed_slot_keys()
returns text[]
language sql
immutable
security invoker
set search_path = ''
as $$
    select array['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '12', '15', '20', '25', '30', '40', '50', '60', '75',
        '90', '120', '150', '180', '240', '300', '360', '480', '600', '720', '960', '1200', '1440', '2160', '2880', '4320',
        '5760', '7200', '10080', '20160', '43200'];
$$;

comment on function private.kpi_speed_slot_keys() is
    'The keys of the speed map of private.kpi_facts that have a slot in private.kpi_facts.speed_slots, in slot order: the 40 fixed bounds of private.kpi_speed_bucket (1 to 10, then 12 to 43200 minutes). The buckets beyond 30 days (whole days past 43200) have no slot and stay in the speed map only. pgTAP 77 checks the list against private.kpi_speed_bucket.';

revoke execute on function private.kpi_speed_slot_keys() from public;

create or replace function private.kpi_pack_slots(map jsonb, slot_keys text[])
returns numeric
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    packed numeric;
    valid boolean;
begin
    select coalesce(sum(x.n * ('1e' || 10 * (u.slot - 1))::numeric), 0),
        coalesce(bool_and(abs(x.n) < 1e10 and x.n = trunc(x.n)), true)
    into packed, valid
    from jsonb_each(map) as e
    join unnest(slot_keys) with ordinality as u (key, slot) on u.key = e.key
    cross join lateral (select e.value::numeric as n) as x;
    if not valid then
        raise exception 'private.kpi_pack_slots: a count of % is not a whole number of at most 10 digits', map
            using errcode = '22003';
    end if;
    return packed;
end;
$$;

comment on function private.kpi_pack_slots(jsonb, text[]) is
    'The counts of map under slot_keys as one whole number: the sum of count(slot_keys[i]) * 10^(10 * (i - 1)), ten decimal digits per slot (slot i in the digits 10 * (i - 1) to 10 * i - 1 counted from the right). Packing is linear: the sum of packed maps is the packing of their sum as long as every slot of the sum stays from 0 to 9,999,999,999, so a range adds its rows'' numbers (private.kpi_range_sums) instead of merging their maps key by key. Keys not in slot_keys are left out. A difference packs too (the upkeep''s contributions are signed: the row proposed by an upsert before it adds to the stored one); a count that is not a whole number of at most 10 digits raises 22003.';

revoke execute on function private.kpi_pack_slots(jsonb, text[]) from public;

create or replace function private.kpi_slot_counts(packed numeric, n integer)
returns numeric[]
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    last_first numeric[];
begin
    if packed is null then
        return null;
    end if;
    if packed < 0 or packed <> trunc(packed) or packed >= ('1e' || 10 * n)::numeric then
        raise exception 'private.kpi_slot_counts: the number is not a packing of % slots of 10 digits (negative, fractional or longer)', n
            using errcode = '22003';
    end if;
    -- the number written with a comma between slots (to_char pads with zeros), the last slot first: read backwards by
    -- position (no sort)
    last_first := string_to_array(to_char(packed, 'FM' || repeat('0000000000,', n - 1) || '0000000000'), ',')::numeric[];
    return array(select last_first[i] from generate_series(n, 1, -1) as i);
end;
$$;

comment on function private.kpi_slot_counts(numeric, integer) is
    'The counts of the n slots of a number packed by private.kpi_pack_slots, in slot order (element i = slot i, zeros included); null for null. The one decoder of packed slots (private.kpi_unpack_slots, private.kpi_best_moment_slots, private.kpi_speed_slots): read through to_char''s fixed-width digits (one pass), not by dividing. Raises 22003 for a number that is no such packing (negative, fractional, or more digits than n slots hold).';

revoke execute on function private.kpi_slot_counts(numeric, integer) from public;

create or replace function private.kpi_unpack_slots(packed numeric, slot_keys text[])
returns jsonb
language plpgsql
immutable
security invoker
set search_path = ''
as $$
begin
    if packed is null then
        return null;
    end if;
    return (
        select coalesce(jsonb_object_agg(x.key, x.count), '{}'::jsonb)
        from unnest(slot_keys, private.kpi_slot_counts(packed, cardinality(slot_keys))) as x (key, count)
        where x.count <> 0
    );
end;
$$;

comment on function private.kpi_unpack_slots(numeric, text[]) is
    'The map {key: count} of a number packed by private.kpi_pack_slots under slot_keys (decoded by private.kpi_slot_counts), zero slots left out (as a sum of maps drops its zero keys); null for null. Raises 22003 for a number that is no such packing (private.kpi_slot_counts).';

revoke execute on function private.kpi_unpack_slots(numeric, text[]) from public;

create or replace function private.kpi_facts_pack_slots()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
    -- an update packs again only the map that changed (the upkeep changes speed far more often than conversions)
    if tg_op = 'INSERT' or new.conversions is distinct from old.conversions then
        new.conversion_slots := private.kpi_pack_slots(new.conversions, private.kpi_conversion_slot_keys());
    end if;
    if tg_op = 'INSERT' or new.speed is distinct from old.speed then
        new.speed_slots := private.kpi_pack_slots(new.speed, private.kpi_speed_slot_keys());
    end if;
    return new;
end;
$$;

comment on function private.kpi_facts_pack_slots() is
    'Trigger function of private.kpi_facts (before an insert with conversions or speed, and before an update that changes either): sets conversion_slots and speed_slots from the row''s conversions and speed maps (private.kpi_pack_slots; an update only the one whose map changed), so every writer of the maps (the upkeep''s private.kpi_add_contributions, private.kpi_refresh_windows, a rebuild) keeps them.';

revoke execute on function private.kpi_facts_pack_slots() from public;

create trigger kpi_facts_pack_slots_insert
    before insert on private.kpi_facts
    for each row
    when (new.conversions <> '{}'::jsonb or new.speed <> '{}'::jsonb)
    execute function private.kpi_facts_pack_slots();

create trigger kpi_facts_pack_slots_update
    before update on private.kpi_facts
    for each row
    when (new.conversions is distinct from old.conversions or new.speed is distinct from old.speed)
    execute function private.kpi_facts_pack_slots();
