-- private.kpi_variant_sums reads the month rows of the whole months inside a range and the day rows of the days
-- around them, never both for the same day: facts written by hand with distinct powers of two (a month row is NOT the
-- sum of its days here, so each total shows which rows were read), every expected total computed by hand.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(9);
\ir helpers/auth.psql

select tests.create_coach('variant-sums@example.com') as v \gset

insert into private.kpi_variant_facts (coach_id, grain, day, step, variant, sent, replied)
select :'v', x.grain, x.day, 1, 'A', x.sent, 0
from (values
    ('month', date '2026-01-01', 1000), ('month', date '2026-02-01', 2000), ('month', date '2026-03-01', 4000),
    ('day', date '2026-01-30', 1), ('day', date '2026-01-31', 2), ('day', date '2026-02-01', 4),
    ('day', date '2026-02-15', 8), ('day', date '2026-02-28', 16), ('day', date '2026-03-01', 32),
    ('day', date '2026-03-31', 64), ('day', date '2026-04-01', 128)
) as x (grain, day, sent);
insert into private.kpi_variant_facts (coach_id, grain, day, step, variant, sent, replied)
values (:'v', 'day', date '2026-01-31', 2, 'B', 5, 3);

create function pg_temp.sent(from_day date, to_day date) returns integer language sql as $$
    select s.sent from private.kpi_variant_sums(
        (select c.id from public.coachs as c where c.email = 'variant-sums@example.com'), from_day, to_day) as s
    where s.step = 1 and s.variant = 'A';
$$;

select is(pg_temp.sent('2026-01-30', '2026-04-01'), 6131,
    'Jan 30 to Apr 1: days Jan 30, 31 (1 + 2), months Feb, Mar (2000 + 4000), day Apr 1 (128)');
select is(pg_temp.sent('2026-02-10', '2026-02-20'), 8, 'Feb 10 to 20, no whole month: the day rows (Feb 15: 8)');
select is(pg_temp.sent('2026-02-01', '2026-02-28'), 2000, 'February exactly: its month row only');
select is(pg_temp.sent('2026-01-31', '2026-03-01'), 2034, 'Jan 31 to Mar 1: 2 + February 2000 + 32');
select is(pg_temp.sent('2026-02-15', '2026-03-31'), 4024, 'Feb 15 to Mar 31: Feb 15, 28 (8 + 16) + March 4000');
select is(pg_temp.sent('2026-03-01', '2026-04-01'), 4128, 'Mar 1 to Apr 1: March 4000 + Apr 1 128');
select is(pg_temp.sent('2026-02-28', '2026-03-01'), 48, 'Feb 28 to Mar 1, across a month end: the two day rows (16 + 32)');
select is(pg_temp.sent('2026-01-30', '2026-01-30'), 1, 'one day: its day row');
select is((select jsonb_agg(jsonb_build_array(s.step, s.variant, s.sent, s.replied) order by s.step)
        from private.kpi_variant_sums(:'v', '2026-01-30', '2026-04-01') as s),
    '[[1, "A", 6131, 0], [2, "B", 5, 3]]'::jsonb, 'one row per step and variant');

select * from finish();
rollback;
