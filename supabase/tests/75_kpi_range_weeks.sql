-- A range no preset covers is summed from whole months, whole ISO weeks and the remaining days
-- (private.kpi_range_cover, private.kpi_period_sums): the cover of fixed ranges, computed by hand from the calendar
-- (2026-01-01 is a Thursday, so 2026-10-26 and 2026-11-02 are Mondays), and the week rows' maps and a range's sums on
-- the hand-made fixture of helpers/kpi_fixture.psql (read it first). Before 20261206205350 week rows held the typed
-- counts only: their maps were empty and a range read every day outside its whole months.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(12);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

-- 1. The cover of fixed ranges (no data needed).
-- Thu 2026-10-22 .. Sat 2026-12-05 (45 days). Weeks only: Thu 22 .. Sun 25 (4 days), the weeks of Mondays Oct 26,
-- Nov 2, 9, 16, 23 (5 rows, through Sun Nov 29), Mon Nov 30 .. Sat Dec 5 (6 days) = 15 rows. Months first: Oct 22 .. 31
-- holds no whole week (Mon Oct 26 .. Sun Nov 1 crosses into November) = 10 days, November = 1 row, Dec 1 .. 5 = 5 days
-- = 16 rows. Weeks only wins.
select results_eq(
    $$select c.grain, c.first_day, c.last_day from private.kpi_range_cover('2026-10-22', '2026-12-05') as c
      order by c.first_day$$,
    $$values ('day', date '2026-10-22', date '2026-10-25'), ('week', date '2026-10-26', date '2026-11-23'),
             ('day', date '2026-11-30', date '2026-12-05')$$,
    '45 days from a Thursday: 4 days, 5 whole weeks, 6 days (15 rows, where day rows took 45)');
-- Thu 2026-10-01 .. Mon 2026-11-30: months first = October and November (2 rows); weeks only = Oct 1 .. 4 (4 days),
-- 8 weeks from Mon Oct 5 through Sun Nov 29, Nov 30 (1 day) = 13 rows.
select results_eq(
    $$select c.grain, c.first_day, c.last_day from private.kpi_range_cover('2026-10-01', '2026-11-30') as c$$,
    $$values ('month', date '2026-10-01', date '2026-11-30')$$,
    'two whole months: their 2 month rows');
select results_eq(
    $$select c.grain, c.first_day, c.last_day from private.kpi_range_cover('2026-11-02', '2026-11-08') as c$$,
    $$values ('week', date '2026-11-02', date '2026-11-02')$$,
    'Monday to Sunday: one week row');
select results_eq(
    $$select c.grain, c.first_day, c.last_day from private.kpi_range_cover('2026-11-03', '2026-11-08') as c$$,
    $$values ('day', date '2026-11-03', date '2026-11-08')$$,
    'Tuesday to Sunday: no whole week, the 6 day rows');
select is(
    (select count(*) from generate_series(date '2026-01-01', date '2026-03-31', interval '1 day') as a
     cross join generate_series(0, 400, 7) as len
     where (select sum(case c.grain when 'day' then c.last_day - c.first_day + 1
                when 'week' then c.last_day - c.first_day + 7
                else (c.last_day - c.first_day + 1) end)
            from private.kpi_range_cover(a::date, a::date + len) as c) <> len + 1),
    0::bigint,
    'every range of 1 to 400 days starting in 2026''s first quarter is covered by exactly its number of days');

-- 2. Week rows carry the maps, and a range reads them.
select tests.create_coach('kpi-range-weeks@example.com') as coach \gset
select tests.kpi_fixture(:'coach');
select private.kpi_upkeep() is not null as upkeep;
select (now() at time zone 'Europe/Paris')::date as today \gset

-- the leads created before today by source: story l1 (d-20), l2 (d-15), l8 (d-12), l9 (d-1) = 4; post l3 (d-10),
-- l4 (d-9) = 2; keyword l5 (d-8), l7 (d-3) = 2; l6 (today) has no source. Every lead is in exactly one week row.
select is(
    (select private.kpi_jsonb_sum(array_agg(k.sources)) from private.kpi_facts as k
     where k.coach_id = :'coach' and k.grain = 'week'),
    '{"leads:story": 4, "leads:post": 2, "leads:keyword": 2, "qualified:story": 2, "qualified:post": 2,
      "booked:story": 2, "booked:post": 1, "won:story": 1, "revenue:story": 1000}'::jsonb,
    'the week rows hold the sources map: the leads by source, and by source those qualified (l1 l2 l3 l4), booked (l1 l2 l3), won (l1, 1000)');
-- professions, trimmed and lower-cased: infirmière l1 l2, comptable l3 l5
select is(
    (select private.kpi_jsonb_sum(array_agg(k.professions)) from private.kpi_facts as k
     where k.coach_id = :'coach' and k.grain = 'week'),
    '{"infirmière": 2, "comptable": 2}'::jsonb,
    'the week rows hold the professions map');
-- lost for the first time: l8 (time, d-12), l2 (price, d-11)
select is(
    (select private.kpi_jsonb_sum(array_agg(k.lost_reasons)) from private.kpi_facts as k
     where k.coach_id = :'coach' and k.grain = 'week'),
    '{"time": 1, "price": 1}'::jsonb,
    'the week rows hold the lost reasons map');
select is(
    (select count(*) from private.kpi_facts as k
     where k.coach_id = :'coach' and k.grain = 'week'
         and row(k.counts, k.sources, k.professions, k.lost_reasons, k.conversions, k.speed)::text is distinct from (
             select row(private.kpi_jsonb_sum(array_agg(d.counts)), private.kpi_jsonb_sum(array_agg(d.sources)),
                 private.kpi_jsonb_sum(array_agg(d.professions)), private.kpi_jsonb_sum(array_agg(d.lost_reasons)),
                 private.kpi_jsonb_sum(array_agg(d.conversions)), private.kpi_jsonb_sum(array_agg(d.speed)))::text
             from private.kpi_facts as d
             where d.coach_id = k.coach_id and d.grain = 'day' and d.day between k.day and k.end_day)),
    0::bigint,
    'each week row equals the sum of its day rows, map by map');

-- [d-20, d-1]: 20 days always hold at least 2 whole weeks, so the sum reads week rows
select ok(
    (select sum((c.last_day - c.first_day) / 7 + 1) from private.kpi_range_cover(:'today'::date - 20, :'today'::date - 1) as c
     where c.grain = 'week') >= 2,
    '[d-20, d-1] is read with at least 2 week rows');
select is(
    (select jsonb_build_object('new_leads', s.new_leads, 'counts_new_leads', s.counts -> 'new_leads',
        'messages_sent', s.messages_sent, 'sources', s.sources, 'lost_reasons', s.lost_reasons)
     from private.kpi_period_sums(:'coach', null, :'today'::date - 20, :'today'::date - 1) as s),
    jsonb_build_object('new_leads', 8, 'counts_new_leads', 8,
        -- out: l1 3, l2 1, l3 3, l4 1, l5 2 = 10
        'messages_sent', 10,
        'sources', '{"leads:story": 4, "leads:post": 2, "leads:keyword": 2, "qualified:story": 2, "qualified:post": 2,
            "booked:story": 2, "booked:post": 1, "won:story": 1, "revenue:story": 1000}'::jsonb,
        'lost_reasons', '{"time": 1, "price": 1}'::jsonb),
    '[d-20, d-1]: the 8 leads before today, 10 DMs sent, their sources and the two lost reasons');
select is(
    (select (s.counts ->> 'revenue_setter')::numeric
     from private.kpi_period_sums(:'coach', null, :'today'::date - 20, :'today'::date - 1) as s),
    1000::numeric,
    'a count without a typed column is summed too: revenue_setter (l1''s deal value, given in the setter''s data)');

select * from finish();
rollback;
