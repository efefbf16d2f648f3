-- private.kpi_facts keeps its conversions and speed maps packed in one number each (conversion_slots, speed_slots: ten
-- digits per slot, private.kpi_pack_slots) so that a range adds numbers instead of merging maps. Hand values of the
-- packing, its errors, the slot keys against private.kpi_speed_bucket, the sections' readers of the packed numbers
-- (private.kpi_best_moment_slots, private.kpi_speed_slots) and their one decoder (private.kpi_slot_counts), the trigger
-- on direct writes, and the upkeep paths (a new conversion, a deleted lead, a rebuild) on the hand-made fixture of
-- helpers/kpi_fixture.psql (read it first).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(36);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

-- 1. The packing by hand: slot i (from 1) is the digits 10 * (i - 1) .. 10 * i - 1 counted from the right.
-- conversions key '0' = slot 1 (x 1), key '2' = slot 3 (x 10^20)
select is(private.kpi_pack_slots('{"0": 3, "2": 1}', private.kpi_conversion_slot_keys()),
    100000000000000000003::numeric, 'conversions {"0": 3, "2": 1} packed: 1 * 10^20 + 3');
select is(private.kpi_unpack_slots(100000000000000000003::numeric, private.kpi_conversion_slot_keys()),
    '{"0": 3, "2": 1}'::jsonb, 'and unpacked: the same map, the zero slots left out');
-- speed key '1' = slot 1, '12' = slot 11 (x 10^100); 44640 (31 days) has no slot
select is(private.kpi_pack_slots('{"1": 2, "12": 5, "44640": 1}', private.kpi_speed_slot_keys()),
    ('5e100')::numeric + 2, 'speed {"1": 2, "12": 5, "44640": 1} packed: 5 * 10^100 + 2, the bucket beyond 30 days left out');
select is(private.kpi_unpack_slots(0, private.kpi_speed_slot_keys()), '{}'::jsonb, '0 unpacks to the empty map');
-- linear: {"0": 3, "2": 1} + {"2": 4, "167": 7} = {"0": 3, "2": 5, "167": 7}
select is(private.kpi_pack_slots('{"0": 3, "2": 1}', private.kpi_conversion_slot_keys())
        + private.kpi_pack_slots('{"2": 4, "167": 7}', private.kpi_conversion_slot_keys()),
    ('7e1670')::numeric + ('5e20')::numeric + 3, 'the sum of two packed maps is the packing of their sum');
select is(private.kpi_unpack_slots(('7e1670')::numeric + ('5e20')::numeric + 3, private.kpi_conversion_slot_keys()),
    '{"0": 3, "2": 5, "167": 7}'::jsonb, 'the last slot (key 167) unpacks too');

-- 2. What does not fit is refused, not wrapped into the next slot.
select is(private.kpi_pack_slots('{"0": -1, "1": 2}', private.kpi_conversion_slot_keys()), ('2e10')::numeric - 1,
    'a difference packs as signed terms (an upsert''s proposed row holds the upkeep''s signed contributions)');
select throws_ok($$select private.kpi_pack_slots('{"0": 1.5}', private.kpi_conversion_slot_keys())$$, '22003',
    'private.kpi_pack_slots: a count of {"0": 1.5} is not a whole number of at most 10 digits', 'a fractional count');
select throws_ok($$select private.kpi_pack_slots('{"0": 10000000000}', private.kpi_conversion_slot_keys())$$, '22003',
    'private.kpi_pack_slots: a count of {"0": 10000000000} is not a whole number of at most 10 digits',
    'a count of eleven digits');
select throws_ok($$select private.kpi_unpack_slots(-1, private.kpi_speed_slot_keys())$$, '22003',
    'private.kpi_slot_counts: the number is not a packing of 40 slots of 10 digits (negative, fractional or longer)',
    'a negative number is no packing of counts');
select throws_ok($$select private.kpi_unpack_slots(('1e400')::numeric, private.kpi_speed_slot_keys())$$, '22003',
    'private.kpi_slot_counts: the number is not a packing of 40 slots of 10 digits (negative, fractional or longer)',
    'a number longer than 40 slots of 10 digits is no packing of the speed slots');

-- 2b. The one decoder: the counts in slot order, zeros included (slot 1 = the last ten digits).
select is(private.kpi_slot_counts(100000000000000000003::numeric, 3), array[3, 0, 1]::numeric[],
    '1 * 10^20 + 3 in 3 slots: 3, 0, 1');
select is(private.kpi_slot_counts(9999999999::numeric, 1), array[9999999999]::numeric[], 'one full slot of ten nines');
select is(private.kpi_slot_counts(null, 4), null::numeric[], 'null decodes to null');
select throws_ok($$select private.kpi_slot_counts(10.5, 2)$$, '22003',
    'private.kpi_slot_counts: the number is not a packing of 2 slots of 10 digits (negative, fractional or longer)',
    'a fractional number is no packing');
select throws_ok($$select private.kpi_slot_counts(('1e20')::numeric, 2)$$, '22003',
    'private.kpi_slot_counts: the number is not a packing of 2 slots of 10 digits (negative, fractional or longer)',
    '10^20 needs a third slot');

-- 3. The speed slots are exactly the fixed buckets of private.kpi_speed_bucket.
select is((select count(*) from unnest(private.kpi_speed_slot_keys()) as k
           where private.kpi_speed_bucket(k::numeric)::text <> k), 0::bigint,
    'each of the 40 speed slot keys is its own bucket');
select is((select count(*) from generate_series(1, 43200) as w
           where not private.kpi_speed_bucket(w - 0.5)::text = any (private.kpi_speed_slot_keys())),
    0::bigint, 'every wait up to 30 days lands in a bucket that has a slot');

-- 3b. The sections read the packed numbers directly (min sample 5).
-- conversions: key 0 twice, keys 30 and 100 five times each: the earliest of the two (key 30 = Tuesday 06:00) wins
select is(private.kpi_best_moment_slots(private.kpi_pack_slots('{"0": 2, "30": 5, "100": 5}', private.kpi_conversion_slot_keys())),
    '{"weekday": 2, "hour": 6, "count": 5, "low_sample": false}'::jsonb,
    'best conversion moment from the slots: 5 conversions on Tuesday 06:00 (key 30) before Friday 04:00 (key 100)');
select is(private.kpi_best_moment_slots(private.kpi_pack_slots('{"167": 1}', private.kpi_conversion_slot_keys())),
    '{"weekday": 7, "hour": 23, "count": 1, "low_sample": true}'::jsonb, 'the last slot: Sunday 23:00, under the min sample');
select is(private.kpi_best_moment_slots(0), null, 'no conversion: no best moment');
-- speed: 1 turn of 5 min and 2 of 60 min in the slots, 1 turn of 31 days in the map (its "60" is ignored: the slots
-- hold that bucket): 4 turns, the 2nd (median) in bucket 60, the 4th (p90 = 3.6th) in bucket 44640
select is(private.kpi_speed_slots(private.kpi_pack_slots('{"5": 1, "60": 2}', private.kpi_speed_slot_keys()),
        '{"60": 99, "44640": 1}'),
    '{"median_minutes": 60, "p90_minutes": 44640, "sample": 4, "low_sample": true}'::jsonb,
    'speed to lead from the slots and the buckets beyond 30 days of the map');
select is(private.kpi_speed_slots(0, '{}'),
    '{"median_minutes": null, "p90_minutes": null, "sample": 0, "low_sample": true}'::jsonb, 'no turn: sample 0');
select throws_ok($$select private.kpi_best_moment_slots(-1)$$, '22003',
    'private.kpi_slot_counts: the number is not a packing of 168 slots of 10 digits (negative, fractional or longer)',
    'a negative number');
select throws_ok($$select private.kpi_speed_slots(('1e400')::numeric, '{}')$$, '22003',
    'private.kpi_slot_counts: the number is not a packing of 40 slots of 10 digits (negative, fractional or longer)',
    'a number longer than 40 slots');

-- 4. The trigger on direct writes.
select tests.create_coach('kpi-slots@example.com') as coach \gset
insert into private.kpi_facts (coach_id, grain, day, end_day, conversions, speed)
values (:'coach', 'day', date '2020-01-06', date '2020-01-06', '{"0": 2, "167": 1}', '{"5": 3, "44640": 1}');
select is((select jsonb_build_array(k.conversion_slots, k.speed_slots) from private.kpi_facts as k
           where k.coach_id = :'coach' and k.grain = 'day' and k.day = date '2020-01-06'),
    jsonb_build_array(('1e1670')::numeric + 2, ('3e40')::numeric),
    'an insert packs its maps: conversions 10^1670 + 2, speed 3 * 10^40 (the 31-day bucket has no slot)');
update private.kpi_facts as k set counts = '{"new_leads": 1}', conversions = '{"1": 4}'
where k.coach_id = :'coach' and k.grain = 'day' and k.day = date '2020-01-06';
select is((select jsonb_build_array(k.conversion_slots, k.speed_slots) from private.kpi_facts as k
           where k.coach_id = :'coach' and k.grain = 'day' and k.day = date '2020-01-06'),
    jsonb_build_array(('4e10')::numeric, ('3e40')::numeric), 'an update of the maps packs them again: conversions {"1": 4} = 4 * 10^10');
delete from private.kpi_facts as k where k.coach_id = :'coach';

-- 5. The upkeep keeps them (fixture: l3's call booked d-9 09:00; turns l3 d-10 12:30 -> 13:30 = bucket 60, slot 18,
-- and l5 d-8 10:05 -> 10:46 = bucket 50, slot 17).
select tests.kpi_fixture(:'coach');
select private.kpi_upkeep() is not null as upkeep;
select (now() at time zone 'Europe/Paris')::date as today \gset
create temporary table consistent as
select count(*) filter (where k.conversion_slots <> private.kpi_pack_slots(k.conversions, private.kpi_conversion_slot_keys())
        or k.speed_slots <> private.kpi_pack_slots(k.speed, private.kpi_speed_slot_keys())) as differ,
    count(*) filter (where k.conversion_slots > 0) as with_conversions, count(distinct k.grain) as grains
from private.kpi_facts as k where k.coach_id = :'coach';
select is((select jsonb_build_array(c.differ, c.with_conversions > 0, c.grains) from consistent as c),
    '[0, true, 12]'::jsonb, 'after the upkeep every row of the 12 grains holds the packing of its maps');
select is((select k.conversion_slots from private.kpi_facts as k
           where k.coach_id = :'coach' and k.grain = 'day' and k.day = :'today'::date - 9),
    ('1e' || 10 * ((extract(isodow from :'today'::date - 9)::integer - 1) * 24 + 9))::numeric,
    'day d-9: l3''s booking in slot (weekday - 1) * 24 + 9, count 1');
select is((select jsonb_build_array(k.speed, k.speed_slots) from private.kpi_facts as k
           where k.coach_id = :'coach' and k.grain = 'day' and k.day = :'today'::date - 10),
    jsonb_build_array('{"60": 1}'::jsonb, ('1e170')::numeric), 'day d-10: one turn of 60 min, slot 18 = 10^170');
-- the section reads those slots: one turn, in the 60-minute bucket
select is((select private.kpi_speed_slots(k.speed_slots, k.speed) from private.kpi_facts as k
           where k.coach_id = :'coach' and k.grain = 'day' and k.day = :'today'::date - 10),
    '{"median_minutes": 60, "p90_minutes": 60, "sample": 1, "low_sample": true}'::jsonb,
    'speed to lead of day d-10 from its slots: median and p90 60 minutes, 1 turn');

-- l4 (qualified d-9) gets a call proposed and booked on d-8 at 11:00: a new conversion in that slot
select tests.kpi_move(:'coach', 'l4', 'call_proposed', tests.paris(8, '10:00'));
select tests.kpi_move(:'coach', 'l4', 'call_booked', tests.paris(8, '11:00'));
select private.kpi_upkeep() is not null as upkeep;
select is((select k.conversion_slots from private.kpi_facts as k
           where k.coach_id = :'coach' and k.grain = 'day' and k.day = :'today'::date - 8),
    ('1e' || 10 * ((extract(isodow from :'today'::date - 8)::integer - 1) * 24 + 11))::numeric,
    'the upkeep packs the new booking of day d-8 (slot (weekday - 1) * 24 + 11)');
select is((select private.kpi_best_moment_slots(k.conversion_slots) from private.kpi_facts as k
           where k.coach_id = :'coach' and k.grain = 'day' and k.day = :'today'::date - 8),
    jsonb_build_object('weekday', extract(isodow from :'today'::date - 8)::integer, 'hour', 11, 'count', 1, 'low_sample', true),
    'best conversion moment of day d-8 from its slots: its weekday at 11:00, 1 conversion');
-- l3 deleted: its booking leaves day d-9
delete from public.leads where id = tests.kpi_lead(:'coach', 'l3');
select private.kpi_upkeep() is not null as upkeep;
select is((select k.conversion_slots from private.kpi_facts as k
           where k.coach_id = :'coach' and k.grain = 'day' and k.day = :'today'::date - 9),
    0::numeric, 'a deleted lead: day d-9 has no conversion left, its slots are 0');
select is((select count(*) from private.kpi_facts as k where k.coach_id = :'coach'
           and (k.conversion_slots <> private.kpi_pack_slots(k.conversions, private.kpi_conversion_slot_keys())
               or k.speed_slots <> private.kpi_pack_slots(k.speed, private.kpi_speed_slot_keys()))),
    0::bigint, 'after these passes every row still holds the packing of its maps');


-- a rebuild writes the same rows
create temporary table before_rebuild as
select k.grain, k.day, k.conversion_slots, k.speed_slots from private.kpi_facts as k where k.coach_id = :'coach';
select private.kpi_rebuild(:'coach') is not null as rebuilt;
select is((select count(*) from (
               select k.grain, k.day, k.conversion_slots, k.speed_slots from private.kpi_facts as k
               where k.coach_id = :'coach'
               except select * from before_rebuild) as x),
    0::bigint, 'a rebuild gives every row the same packed slots as the upkeep');

select * from finish();
rollback;
