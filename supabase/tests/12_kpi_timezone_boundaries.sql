-- Time zones: "today", "week" and kpi_daily days are the coach's. A lead created at 23:30 Paris time counts for that
-- Paris day (22:30 UTC in winter, 21:30 in summer), whatever the server's time zone.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(7);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

select tests.create_coach('kpi-tz-paris@example.com', 'Europe/Paris') as paris \gset
select tests.create_coach('kpi-tz-auckland@example.com', 'Pacific/Auckland') as nz \gset
-- Paris: yesterday 23:30 (yesterday), today 00:00:01 (today), today 00:00:01 minus 2 s (yesterday 23:59:59)
insert into public.leads (coach_id, user_id_instagram, status, created_at) values
    (:'paris', 'tz_p1', 'new', tests.paris(1, '23:30')),
    (:'paris', 'tz_p2', 'new', tests.paris(0, '00:00:01')),
    (:'paris', 'tz_p3', 'new', tests.paris(0, '00:00:01') - interval '2 seconds');
-- the same instant as tz_p1 for a coach in Auckland is already the next day there
insert into public.leads (coach_id, user_id_instagram, status, created_at) values
    (:'nz', 'tz_n1', 'new', (((now() at time zone 'Pacific/Auckland')::date) + time '00:30') at time zone 'Pacific/Auckland');
-- today and this week come from the incremental facts (as of the last upkeep pass)
select private.kpi_upkeep() is not null as upkeep;

set local timezone = 'America/Los_Angeles';
select tests.authenticate_as(:'paris');
select is((public.get_dashboard() #>> '{activity,leads_today}')::int, 1, 'Paris: only the lead after Paris midnight is today');
select is((public.get_dashboard() #>> '{activity,leads_week}')::int, 3, 'Paris: all three are in the last 7 Paris days');
select tests.authenticate_as(:'nz');
select is((public.get_dashboard() #>> '{activity,leads_today}')::int, 1, 'Auckland: 00:30 Auckland time is today there');
select tests.clear_authentication();

select public.rebuild_kpi_daily(current_date - 3, current_date + 1) >= 0 as rebuilt;
select is((select new_leads from public.kpi_daily
           where coach_id = :'paris' and date = (now() at time zone 'Europe/Paris')::date - 1), 2,
    'kpi_daily: 23:30 and 23:59:59 Paris count for that Paris day');
select is((select new_leads from public.kpi_daily
           where coach_id = :'paris' and date = (now() at time zone 'Europe/Paris')::date), 1,
    'kpi_daily: 00:00:01 Paris counts for the next Paris day');
select is((select new_leads from public.kpi_daily
           where coach_id = :'nz' and date = (now() at time zone 'Pacific/Auckland')::date), 1,
    'kpi_daily: the Auckland lead is on its Auckland day');
select is((select sum(new_leads)::int from public.kpi_daily where coach_id = :'paris'), 3,
    'kpi_daily: each lead is counted on exactly one day');

select * from finish();
rollback;
