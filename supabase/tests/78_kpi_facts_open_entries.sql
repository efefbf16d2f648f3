-- private.kpi_facts keeps the open entries of each day, week and month row (the counts without a typed column and the
-- maps of free-text or unbounded keys) as two arrays, open_keys and open_counts (private.kpi_open_entries, kept by the
-- triggers kpi_facts_open_entries_insert and _update), and private.kpi_range_sums sums them as array elements. Hand
-- values of the entries on direct writes and of a range summed from them, then the upkeep paths (a new lead, a lost
-- lead, a deleted lead, a rebuild) on the hand-made fixture of helpers/kpi_fixture.psql (read it first).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(17);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

-- 1. The typed count keys are exactly the generated columns of the table.
select is(
    (select array_agg(k order by k) from unnest(private.kpi_typed_count_keys()) as k),
    (select array_agg(a.attname::text order by a.attname::text) from pg_catalog.pg_attribute as a
     where a.attrelid = 'private.kpi_facts'::regclass and a.attnum > 0 and not a.attisdropped and a.attgenerated = 's'),
    'private.kpi_typed_count_keys() lists exactly the generated columns of private.kpi_facts');

-- 2. The trigger on direct writes (entries compared as one object: the arrays' order is theirs).
select tests.create_coach('kpi-open-entries@example.com') as coach \gset
insert into private.kpi_facts (coach_id, grain, day, end_day, counts, sources, professions, lost_reasons, speed)
values (:'coach', 'day', date '2020-01-06', date '2020-01-06',
    '{"new_leads": 2, "revenue": 150.5, "revenue_setter": 100, "revenue_coach": 50.5}',
    '{"leads:post": 2, "won:post": 1, "revenue:post": 150.5}', '{"coach": 1, "infirmière": 1}', '{"price": 1}',
    '{"5": 3, "44640": 1}');
select is(
    (select jsonb_build_object('entries', (select jsonb_object_agg(e.key, e.n) from unnest(k.open_keys, k.open_counts) as e (key, n)),
        'keys', cardinality(k.open_keys), 'counts', cardinality(k.open_counts))
     from private.kpi_facts as k where k.coach_id = :'coach' and k.grain = 'day' and k.day = date '2020-01-06'),
    '{"entries": {"c:revenue_setter": 100, "c:revenue_coach": 50.5, "s:leads:post": 2, "s:won:post": 1,
        "s:revenue:post": 150.5, "p:coach": 1, "p:infirmière": 1, "l:price": 1, "v:44640": 1},
      "keys": 9, "counts": 9}'::jsonb,
    'an insert lists its open entries: revenue by who gave it (not new_leads or revenue: typed), sources, professions, lost reasons, the 31-day speed bucket (not the 5-minute one: it has a slot)');
update private.kpi_facts as k set professions = '{"coach": 2}', lost_reasons = '{}'
where k.coach_id = :'coach' and k.grain = 'day' and k.day = date '2020-01-06';
select is(
    (select jsonb_object_agg(e.key, e.n) from private.kpi_facts as k
     cross join lateral unnest(k.open_keys, k.open_counts) as e (key, n)
     where k.coach_id = :'coach' and k.grain = 'day' and k.day = date '2020-01-06'),
    '{"c:revenue_setter": 100, "c:revenue_coach": 50.5, "s:leads:post": 2, "s:won:post": 1, "s:revenue:post": 150.5,
      "p:coach": 2, "v:44640": 1}'::jsonb,
    'an update of the maps lists them again: coach x2, no lost reason');
-- the triggers fire when an open entry can change, whatever else changes with it or not
update private.kpi_facts as k set counts = k.counts || '{"revenue_setter": 90, "messages_sent": 4}', speed = '{"5": 4, "44640": 2}'
where k.coach_id = :'coach' and k.grain = 'day' and k.day = date '2020-01-06';
select is(
    (select jsonb_object_agg(e.key, e.n) from private.kpi_facts as k
     cross join lateral unnest(k.open_keys, k.open_counts) as e (key, n)
     where k.coach_id = :'coach' and k.grain = 'day' and k.day = date '2020-01-06'),
    '{"c:revenue_setter": 90, "c:revenue_coach": 50.5, "s:leads:post": 2, "s:won:post": 1, "s:revenue:post": 150.5,
      "p:coach": 2, "v:44640": 2}'::jsonb,
    'an update of a count without a typed column and of a speed bucket beyond 30 days lists them again (setter 90, 31 days x2)');
update private.kpi_facts as k set counts = k.counts || '{"messages_sent": 7}', speed = '{"5": 9, "44640": 2}'
where k.coach_id = :'coach' and k.grain = 'day' and k.day = date '2020-01-06';
select is(
    (select (k.open_keys, k.open_counts) is not distinct from (select (x.keys, x.counts) from private.kpi_open_entries(k) as x)
     from private.kpi_facts as k where k.coach_id = :'coach' and k.grain = 'day' and k.day = date '2020-01-06'),
    true, 'an update of typed counts and slotted speed buckets only leaves the entries as they are, still those of the row');
insert into private.kpi_facts (coach_id, grain, day, end_day, counts, speed)
values (:'coach', 'week', date '2019-12-30', date '2020-01-05', '{"messages_sent": 3}', '{"5": 1}');
select is(
    (select jsonb_build_array(k.open_keys, k.open_counts) from private.kpi_facts as k
     where k.coach_id = :'coach' and k.grain = 'week'),
    '[[], []]'::jsonb, 'a row inserted without open entries keeps the empty arrays');
delete from private.kpi_facts as k where k.coach_id = :'coach' and k.grain = 'week';
insert into private.kpi_facts (coach_id, grain, day, end_day, counts, sources)
values (:'coach', '7d', date '2020-01-01', date '2020-01-07', '{"revenue_setter": 5}', '{"leads:post": 1}');
select is(
    (select jsonb_build_array(k.open_keys, k.open_counts) from private.kpi_facts as k
     where k.coach_id = :'coach' and k.grain = '7d'),
    '[[], []]'::jsonb, 'a window row keeps no open entries (a range reads day, week and month rows only)');

-- 3. A range summed from those entries, by hand. Current period: Monday 2020-01-06 (above) and Tuesday 2020-01-07;
-- previous period: Saturday 2020-01-04 and Sunday 2020-01-05.
insert into private.kpi_facts (coach_id, grain, day, end_day, counts, sources, professions, lost_reasons, speed)
values
    (:'coach', 'day', date '2020-01-07', date '2020-01-07', '{"new_leads": 1, "revenue": 20, "revenue_coach": 20}',
        '{"leads:story": 1, "revenue:post": -150.5, "won:post": -1}', '{"coach": -2, "comptable": 1}', '{"time": 1}',
        '{"44640": 1, "47520": 2}'),
    (:'coach', 'day', date '2020-01-04', date '2020-01-04', '{"new_leads": 3, "revenue": 7, "revenue_stripe": 7}',
        '{"leads:post": 3, "won:post": 1, "revenue:post": 7}', '{"coach": 3}', '{"price": 2}', '{"44640": 5}'),
    (:'coach', 'day', date '2020-01-05', date '2020-01-05', '{}', '{"leads:post": -3, "leads:story": 1}', '{}',
        '{"price": -2}', '{}');
select is(
    (select jsonb_build_object('counts', (s.cur).counts, 'sources', (s.cur).sources,
        'professions', (s.cur).professions, 'lost_reasons', (s.cur).lost_reasons, 'speed', (s.cur).speed,
        'open', jsonb_build_array((s.cur).open_keys, (s.cur).open_counts))
     from private.kpi_range_sums(:'coach', date '2020-01-06', date '2020-01-07', date '2020-01-04', date '2020-01-05') as s),
    '{"counts": {"new_leads": 3, "messages_sent": 7, "revenue": 170.5, "revenue_setter": 90, "revenue_coach": 70.5},
      "sources": {"leads:post": 2, "leads:story": 1},
      "professions": {"comptable": 1}, "lost_reasons": {"time": 1}, "speed": {"44640": 3, "47520": 2},
      "open": [[], []]}'::jsonb,
    'current period [01-06, 01-07]: revenue setter 90 and coach 50.5 + 20, the win of post taken back (its entries sum to 0 and are left out, coach too), time x1, the speed buckets beyond 30 days added (2 + 1, 2)');
select is(
    (select jsonb_build_object('counts', (s.prev).counts, 'sources', (s.prev).sources,
        'professions', (s.prev).professions, 'lost_reasons', (s.prev).lost_reasons, 'speed', (s.prev).speed)
     from private.kpi_range_sums(:'coach', date '2020-01-06', date '2020-01-07', date '2020-01-04', date '2020-01-05') as s),
    '{"counts": {"new_leads": 3, "revenue": 7}, "sources": {"leads:story": 1}, "professions": {"coach": 3},
      "lost_reasons": {}, "speed": {}}'::jsonb,
    'previous period [01-04, 01-05]: the typed counts only (no revenue by who gave it), the leads of sources only (post 3 - 3 left out), coach x3, price 2 - 2 left out, no speed');
delete from private.kpi_facts as k where k.coach_id = :'coach';

-- 4. The upkeep keeps them.
select tests.kpi_fixture(:'coach');
select private.kpi_upkeep() is not null as upkeep;
select (now() at time zone 'Europe/Paris')::date as today \gset
create temporary table consistent as
select count(*) filter (where k.grain in ('day', 'week', 'month') and (k.open_keys, k.open_counts)
            is distinct from (select (x.keys, x.counts) from private.kpi_open_entries(k) as x)) as differ,
    count(*) filter (where k.grain not in ('day', 'week', 'month') and cardinality(k.open_keys) > 0) as windows,
    count(*) filter (where cardinality(k.open_keys) > 0) as with_entries
from private.kpi_facts as k where k.coach_id = :'coach';
select is((select jsonb_build_array(c.differ, c.windows, c.with_entries > 0) from consistent as c),
    '[0, 0, true]'::jsonb, 'after the upkeep every day, week and month row holds the open entries of its maps, no window row any');
-- day d-15: l2 created (story, infirmière); l2 lost on d-11 (price)
select is(
    (select jsonb_object_agg(e.key, e.n) from private.kpi_facts as k
     cross join lateral unnest(k.open_keys, k.open_counts) as e (key, n)
     where k.coach_id = :'coach' and k.grain = 'day' and k.day = :'today'::date - 15),
    '{"s:leads:story": 1, "s:qualified:story": 1, "s:booked:story": 1, "p:infirmière": 1}'::jsonb,
    'day d-15: l2 created from story, qualified and booked since, an infirmière');
select is(
    (select jsonb_object_agg(e.key, e.n) from private.kpi_facts as k
     cross join lateral unnest(k.open_keys, k.open_counts) as e (key, n)
     where k.coach_id = :'coach' and k.grain = 'day' and k.day = :'today'::date - 11),
    '{"l:price": 1}'::jsonb, 'day d-11: l2 lost for price');

-- l5 (keyword, comptable, d-8) lost now for time; l3 deleted (post, comptable, d-10)
select tests.kpi_move(:'coach', 'l5', 'lost', now());
update public.leads set lost_reason = 'time' where id = tests.kpi_lead(:'coach', 'l5');
delete from public.leads where id = tests.kpi_lead(:'coach', 'l3');
select private.kpi_upkeep() is not null as upkeep;
select is(
    (select jsonb_object_agg(e.key, e.n) from private.kpi_facts as k
     cross join lateral unnest(k.open_keys, k.open_counts) as e (key, n)
     where k.coach_id = :'coach' and k.grain = 'day' and k.day = :'today'),
    '{"l:time": 1}'::jsonb, 'today: l5 lost for time');
select is(
    (select coalesce(jsonb_object_agg(e.key, e.n), '{}'::jsonb) from private.kpi_facts as k
     cross join lateral unnest(k.open_keys, k.open_counts) as e (key, n)
     where k.coach_id = :'coach' and k.grain = 'day' and k.day = :'today'::date - 10),
    '{}'::jsonb, 'day d-10: l3 deleted, no open entry left');
select is((select count(*) from private.kpi_facts as k where k.coach_id = :'coach' and k.grain in ('day', 'week', 'month')
           and (k.open_keys, k.open_counts) is distinct from (select (x.keys, x.counts) from private.kpi_open_entries(k) as x)),
    0::bigint, 'after these passes every row still holds the open entries of its maps');

-- a rebuild writes the same entries
create temporary table before_rebuild as
select k.grain, k.day, (select jsonb_object_agg(e.key, e.n) from unnest(k.open_keys, k.open_counts) as e (key, n)) as entries
from private.kpi_facts as k where k.coach_id = :'coach';
select private.kpi_rebuild(:'coach') is not null as rebuilt;
select is((select count(*) from (
               select k.grain, k.day, (select jsonb_object_agg(e.key, e.n) from unnest(k.open_keys, k.open_counts) as e (key, n))
               from private.kpi_facts as k where k.coach_id = :'coach'
               except select * from before_rebuild) as x),
    0::bigint, 'a rebuild gives every row the same open entries as the upkeep');
select is((select count(*) from before_rebuild), (select count(*) from private.kpi_facts as k where k.coach_id = :'coach'),
    'and the same rows');

select * from finish();
rollback;
