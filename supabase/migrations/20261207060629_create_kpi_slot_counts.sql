-- Purpose: one decoder of packed slots, private.kpi_slot_counts(packed, n) (the counts in slot order, with the range check), used by private.kpi_unpack_slots, private.kpi_best_moment_slots and private.kpi_speed_slots instead of the same to_char decoding and check written three times; the same results, the error now names private.kpi_slot_counts.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_slot_counts(numeric, integer), as supabase/schemas/40_kpi_slots.sql defines it
create or replace function private.kpi_slot_counts(packed numeric, n integer)
returns numeric[]
language plpgsql
immutable
security invoker
set search_path = ''
as $$
begin
    if packed is null then
        return null;
    end if;
    if packed < 0 or packed <> trunc(packed) or packed >= ('1e' || 10 * n)::numeric then
        raise exception 'private.kpi_slot_counts: the number is not a packing of % slots of 10 digits (negative, fractional or longer)', n
            using errcode = '22003';
    end if;
    -- the number written with a comma between slots (to_char pads with zeros), the last slot first: read backwards
    return array(
        select d.count::numeric
        from unnest(string_to_array(to_char(packed, 'FM' || repeat('0000000000,', n - 1) || '0000000000'), ','))
            with ordinality as d (count, i)
        order by d.i desc);
end;
$$;

comment on function private.kpi_slot_counts(numeric, integer) is
    'The counts of the n slots of a number packed by private.kpi_pack_slots, in slot order (element i = slot i, zeros included); null for null. The one decoder of packed slots (private.kpi_unpack_slots, private.kpi_best_moment_slots, private.kpi_speed_slots): read through to_char''s fixed-width digits (one pass), not by dividing. Raises 22003 for a number that is no such packing (negative, fractional, or more digits than n slots hold).';

revoke execute on function private.kpi_slot_counts(numeric, integer) from public;

-- function private.kpi_unpack_slots(numeric, text[]), as supabase/schemas/40_kpi_slots.sql defines it
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

-- function private.kpi_best_moment_slots(numeric), as supabase/schemas/45_kpi_sections.sql defines it
create or replace function private.kpi_best_moment_slots(conversion_slots numeric)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    best numeric;
    best_slot bigint;
begin
    if conversion_slots is null or conversion_slots = 0 then
        return null;
    end if;
    -- the most conversions, and of the slots that have them the earliest of the week (slot i = key i - 1)
    select x.n, x.slot into best, best_slot
    from unnest(private.kpi_slot_counts(conversion_slots, 168)) with ordinality as x (n, slot)
    order by x.n desc, x.slot
    limit 1;
    return jsonb_build_object('weekday', (best_slot - 1) / 24 + 1, 'hour', (best_slot - 1) % 24,
        'count', best::integer, 'low_sample', best < private.kpi_min_sample());
end;
$$;

comment on function private.kpi_best_moment_slots(numeric) is
    'best_conversion_moment of a period document and of the legacy document from the packed conversions (private.kpi_facts.conversion_slots: 168 slots, key (ISO weekday - 1) * 24 + hour, decoded by private.kpi_slot_counts): the local ISO weekday and hour with the most conversions (ties: earliest in the week), its count and low_sample (count < min sample); null without any conversion. Raises 22003 for a number that is no packing of 168 slots.';

revoke execute on function private.kpi_best_moment_slots(numeric) from public;

-- function private.kpi_speed_slots(numeric, jsonb), as supabase/schemas/45_kpi_sections.sql defines it
create or replace function private.kpi_speed_slots(speed_slots numeric, speed jsonb)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    keys text[] := private.kpi_speed_slot_keys();
begin
    return (
        select jsonb_build_object(
            'median_minutes', min(x.bucket) filter (where x.cumulative >= 0.5 * x.total),
            'p90_minutes', min(x.bucket) filter (where x.cumulative >= 0.9 * x.total),
            'sample', coalesce(max(x.total), 0),
            'low_sample', coalesce(max(x.total), 0) < private.kpi_min_sample())
        from (
            select s.bucket, sum(s.n) over (order by s.bucket) as cumulative, sum(s.n) over () as total
            from (
                -- the fixed buckets from their slots, then those beyond 30 days from the map
                select d.key::integer as bucket, d.n
                from unnest(keys, private.kpi_slot_counts(coalesce(speed_slots, 0), cardinality(keys))) as d (key, n)
                where d.n <> 0
                union all
                select e.key::integer, e.value::numeric
                from jsonb_each_text(coalesce(speed, '{}'::jsonb) - keys) as e
            ) as s
        ) as x
    );
end;
$$;

comment on function private.kpi_speed_slots(numeric, jsonb) is
    'speed_to_lead of a period document and of the legacy document from the packed fixed wait buckets (private.kpi_facts.speed_slots, decoded by private.kpi_slot_counts) and the buckets of the speed map that have no slot (beyond 30 days; the map''s other keys are ignored: the slots hold them): median and p90 = bound in minutes of the bucket holding the 50th / 90th percentile turn (percentile_disc), sample = turns, low_sample = sample < min sample. Raises 22003 for a number that is no packing of the 40 speed slots.';

revoke execute on function private.kpi_speed_slots(numeric, jsonb) from public;
