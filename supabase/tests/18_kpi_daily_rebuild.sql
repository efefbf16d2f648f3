-- kpi_daily: one row per coach per day, rebuilt from events; rebuilding twice changes nothing; stale values are
-- corrected; only the service role (and pg_cron) may run the rebuild.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(12);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

select col_is_unique('public', 'kpi_daily', array['coach_id', 'date'], 'one row per coach per day');

select tests.create_coach('kpi-daily@example.com') as coach \gset
select tests.kpi_fixture(:'coach');
-- a stale value the rebuild must correct
insert into public.kpi_daily (coach_id, date, total_dms) values (:'coach', (now() at time zone 'Europe/Paris')::date - 10, 99);

select cmp_ok(public.rebuild_kpi_daily(current_date - 25, current_date + 1), '>', 0, 'the first rebuild writes rows');
select is(public.rebuild_kpi_daily(current_date - 25, current_date + 1), 0, 'a second rebuild changes nothing (idempotent)');

create function pg_temp.day(n integer) returns public.kpi_daily language sql as
    $$ select * from public.kpi_daily where coach_id = current_setting('kpi.coach')::uuid
       and date = (now() at time zone 'Europe/Paris')::date - n $$;
select set_config('kpi.coach', :'coach', true);

-- d-10: l3 created; out 10:01, 12:00, 13:30; in 12:30; l3 reached engaged, qualified, call_proposed that day
select is((pg_temp.day(10)).total_dms, 3, 'd-10: the stale 99 is replaced by the 3 DMs sent that day');
select is((pg_temp.day(10)).messages_received, 1, 'd-10: 1 message received');
select is(((pg_temp.day(10)).new_leads, (pg_temp.day(10)).qualified_leads, (pg_temp.day(10)).calls_proposed), (1, 1, 1),
    'd-10: l3 created, qualified and proposed a call');
-- d-9: l3 booked (09:00), l4 created and qualified
select is(((pg_temp.day(9)).calls_booked, (pg_temp.day(9)).qualified_leads, (pg_temp.day(9)).new_leads), (1, 1, 1),
    'd-9: one call booked, one lead qualified, one lead created');
-- d-18: l1 won 1000; d-11: l2 lost; d-12: l8 lost
select is(((pg_temp.day(18)).won_deals, (pg_temp.day(18)).revenue), (1, 1000.00::numeric(12, 2)), 'd-18: l1 won 1000');
select is((pg_temp.day(11)).lost_leads + (pg_temp.day(12)).lost_leads, 2, 'd-11 and d-12: l2 and l8 lost');
select is((select count(*)::int from public.kpi_daily where coach_id = :'coach'), 27, 'one row per day of the range (27 days), zeros included');

-- the plan setting of 20261207174800: an index-only scan of messages_coach_id_lead_id_created_at_id_idx, unbounded by
-- the dates, read a coach's whole message history at every pg_cron run
select ok((select 'enable_indexonlyscan=off' = any(p.proconfig) from pg_catalog.pg_proc as p
        where p.oid = 'public.rebuild_kpi_daily(date, date)'::regprocedure),
    'the rebuild runs with index-only scans off (enable_indexonlyscan), its message count bounded by the dates');

select tests.create_coach('kpi-daily-b@example.com') as other \gset
select tests.authenticate_as(:'other');
select throws_ok($$select public.rebuild_kpi_daily(current_date - 1, current_date)$$, '42501', null,
    'a coach cannot run the rebuild');

select * from finish();
rollback;
