-- Range bounds (docs/kpis.md "Period documents"): a custom range starts at most 90 days before the coach's first data
-- and lasts at most 1096 days; beyond, every period RPC refuses it with 22023 and a message naming the bound.
-- The coach's first lead is on 2024-01-10 (Paris), so the earliest allowed start is 2023-10-12.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(10);
\ir helpers/auth.psql

select tests.create_coach('kpi-bounds@example.com', 'Europe/Paris') as coach \gset
select tests.create_coach('kpi-bounds-empty@example.com', 'Europe/Paris') as empty \gset
insert into public.leads (coach_id, user_id_instagram, instagram_username, status, created_at)
values (:'coach', 'bounds-1', 'bounds_1', 'new', '2024-01-10 12:00+01'), (:'coach', 'bounds-2', 'bounds_2', 'new', now());
select private.kpi_upkeep() is not null as upkeep;
select (now() at time zone 'Europe/Paris')::date as today \gset

select tests.authenticate_as(:'coach');
select throws_ok($$select public.get_dashboard(period => 'range', period_start => '0001-01-01', period_end => '2024-01-31')$$,
    '22023', 'invalid parameter "period_start": 0001-01-01 is before the earliest allowed start 2023-10-12 (the coach''s first data 2024-01-10 minus 90 days)',
    'a start far before the first data is refused, naming the earliest allowed start');
select throws_ok($$select public.get_dashboard(period => 'range', period_start => '2023-10-11', period_end => '2023-10-20')$$,
    '22023', 'invalid parameter "period_start": 2023-10-11 is before the earliest allowed start 2023-10-12 (the coach''s first data 2024-01-10 minus 90 days)',
    'one day before the margin: refused');
select lives_ok($$select public.get_dashboard(period => 'range', period_start => '2023-10-12', period_end => '2023-10-20')$$,
    'the first allowed day: accepted');
select throws_ok($$select public.get_dashboard(period => 'range', period_start => '2023-10-12', period_end => '2026-10-12')$$,
    '22023', 'invalid parameter "period_start": the range has 1097 days, more than the maximum length of 1096 days',
    '2023-10-12 .. 2026-10-12: 366 + 365 + 365 + 1 = 1097 days, refused, naming the maximum');
select lives_ok($$select public.get_dashboard(period => 'range', period_start => '2023-10-12', period_end => '2026-10-11')$$,
    '1096 days: accepted');
select throws_ok($$select * from public.get_response_rates(period => 'range', period_start => '2020-01-01', period_end => '2020-01-31')$$,
    '22023', 'invalid parameter "period_start": 2020-01-01 is before the earliest allowed start 2023-10-12 (the coach''s first data 2024-01-10 minus 90 days)',
    'get_response_rates checks the same bounds');
select throws_ok($$select public.get_kpi_leads('activity.new_leads', period => 'range', period_start => '2020-01-01', period_end => '2020-01-31')$$,
    '22023', 'invalid parameter "period_start": 2020-01-01 is before the earliest allowed start 2023-10-12 (the coach''s first data 2024-01-10 minus 90 days)',
    'get_kpi_leads checks the same bounds');
select lives_ok($$select public.get_dashboard(period => 'all')$$, 'all is not a range: no bound');
select tests.clear_authentication();

-- a coach without data: its first data is today, so a range may start 90 days ago
select tests.authenticate_as(:'empty');
select lives_ok(format('select public.get_dashboard(period => %L, period_start => %L, period_end => %L)', 'range',
    :'today'::date - 90, :'today'::date), 'no data: a range of the last 91 days is accepted');
select throws_ok(format('select public.get_dashboard(period => %L, period_start => %L, period_end => %L)', 'range',
    :'today'::date - 91, :'today'::date), '22023',
    format('invalid parameter "period_start": %s is before the earliest allowed start %s (the coach''s first data %s minus 90 days)',
        :'today'::date - 91, :'today'::date - 90, :'today'::date),
    'no data: one day more is refused');
select tests.clear_authentication();

select * from finish();
rollback;
