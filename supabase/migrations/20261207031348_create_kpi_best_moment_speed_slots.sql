-- Purpose: private.kpi_best_moment_slots and private.kpi_speed_slots, the best conversion moment and the speed to lead of a period document read from the packed conversions and speed buckets (conversion_slots, speed_slots) instead of their maps.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- as supabase/schemas/45_kpi_sections.sql defines them
create or replace function private.kpi_best_moment_slots(conversion_slots numeric)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    counts numeric[];
    best numeric;
    last_position bigint;
begin
    if conversion_slots is null or conversion_slots = 0 then
        return null;
    end if;
    if conversion_slots < 0 or conversion_slots <> trunc(conversion_slots) or conversion_slots >= 1e1680 then
        raise exception 'private.kpi_best_moment_slots: the number is not a packing of 168 slots of 10 digits'
            using errcode = '22003';
    end if;
    -- the counts of the 168 weekday-hour slots (private.kpi_pack_slots), the last slot (key 167) first
    counts := string_to_array(to_char(conversion_slots, 'FM' || repeat('0000000000,', 167) || '0000000000'), ',')::numeric[];
    -- the most conversions, and of the slots that have them the earliest of the week: the last one in counts
    select x.n, x.i into best, last_position
    from unnest(counts) with ordinality as x (n, i)
    order by x.n desc, x.i desc
    limit 1;
    return jsonb_build_object('weekday', (168 - last_position) / 24 + 1, 'hour', (168 - last_position) % 24,
        'count', best::integer, 'low_sample', best < private.kpi_min_sample());
end;
$$;

comment on function private.kpi_best_moment_slots(numeric) is
    'best_conversion_moment of a period document from the packed conversions (private.kpi_facts.conversion_slots, private.kpi_pack_slots over private.kpi_conversion_slot_keys()): the local ISO weekday and hour with the most conversions (ties: earliest in the week), its count and low_sample (count < min sample); null without any conversion. The same as private.kpi_best_moment of the map, without building the map.';

revoke execute on function private.kpi_best_moment_slots(numeric) from public;

create or replace function private.kpi_speed_slots(speed_slots numeric, speed jsonb)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    keys text[] := private.kpi_speed_slot_keys();
    -- the keys the last slot first, as to_char writes the counts
    keys_last_first text[] := array(select k.key from unnest(keys) with ordinality as k (key, i) order by k.i desc);
begin
    if speed_slots < 0 or speed_slots <> trunc(speed_slots) or speed_slots >= 1e400 then
        raise exception 'private.kpi_speed_slots: the number is not a packing of 40 slots of 10 digits'
            using errcode = '22003';
    end if;
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
                from unnest(keys_last_first, string_to_array(to_char(coalesce(speed_slots, 0),
                    'FM' || repeat('0000000000,', 39) || '0000000000'), ',')::numeric[]) as d (key, n)
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
    'speed_to_lead of a period document from the packed fixed wait buckets (private.kpi_facts.speed_slots) and the buckets of the speed map that have no slot (beyond 30 days; the map''s other keys are ignored: the slots hold them): median and p90 = bound in minutes of the bucket holding the 50th / 90th percentile turn (percentile_disc), sample = turns, low_sample = sample < min sample. The same as private.kpi_speed of the whole map, without building it.';

revoke execute on function private.kpi_speed_slots(numeric, jsonb) from public;
