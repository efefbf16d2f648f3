-- get_coach_comparison: every coach with leads side by side over a period, computed by hand on a small fixture;
-- a coach without leads is not listed; actors (anon, coach, admin, service_role) and the exact errors.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(12);
\ir helpers/auth.psql

-- this test's coaches only: the others of the database are left out of the checks by id
select tests.create_coach('cmp-a@example.com', tests.midday_timezone()) as a \gset
select tests.create_coach('cmp-b@example.com', tests.midday_timezone()) as b \gset
select tests.create_coach('cmp-empty@example.com') as e \gset
select tests.create_user('cmp-admin@example.com', '{"role": "admin"}') as admin \gset

-- A: 6 leads 2 days ago, DM 1 to each, 3 answered; 2 qualified, 1 of them booked and won (500 €); B: 1 lead, 40 days ago
select public.ingest_messages(jsonb_agg(jsonb_build_object('coach_id', x.coach, 'user_id_instagram', x.ig, 'external_id', x.ig || '-' || x.dir,
        'direction', x.dir, 'text', 'm', 'created_at', now() - x.ago))) is not null as delivered
from (
    select :'a'::uuid as coach, 'a' || i as ig, 'out' as dir, interval '2 days' as ago from generate_series(1, 6) as i
    union all select :'a'::uuid, 'a' || i, 'in', interval '2 days' - interval '5 minutes' from generate_series(1, 3) as i
    union all select :'b'::uuid, 'b1', 'out', interval '40 days'
) as x;
select public.ingest_lead(jsonb_build_object('coach_id', :'a', 'user_id_instagram', x.ig, 'status', x.status,
        'status_changed_at', now() - x.ago, 'deal_value', x.deal)) is not null as events
from (values ('a1', 'qualified', interval '1 day', null::numeric), ('a2', 'qualified', interval '1 day', null),
             ('a1', 'call_booked', interval '20 hours', null), ('a1', 'won', interval '10 hours', 500)) as x (ig, status, ago, deal);
select private.kpi_upkeep() is not null as upkeep;

select tests.authenticate_as(:'admin');
select (select e from jsonb_array_elements(public.get_coach_comparison()) as e where e ->> 'coach_id' = :'a') as ca \gset
select is((:'ca'::jsonb) - 'last_data_at' - 'seconds_since_last_data' - 'period' - 'coach_id', jsonb_build_object(
    'name', 'Test cmp-a', 'email', 'cmp-a@example.com', 'currency', 'EUR', 'new_leads', 6,
    'dm1_reply_rate', jsonb_build_object('value', 50.0, 'num', 3, 'den', 6, 'low_sample', false),
    'qualification_rate', jsonb_build_object('value', 33.3, 'num', 2, 'den', 6, 'low_sample', false),
    'calls_booked', 1, 'deals_won', 1, 'revenue', 500.00), 'A over 30 days, by hand');
select ok(((:'ca'::jsonb) ->> 'seconds_since_last_data')::bigint between 2 * 86400 - 400 and 2 * 86400 + 60,
    'time since A''s last data: its last message, 2 days ago');
select is((select count(*)::integer from jsonb_array_elements(public.get_coach_comparison()) as e where e ->> 'coach_id' = :'e'), 0,
    'a coach without leads is not listed');
select is((select e ->> 'new_leads' from jsonb_array_elements(public.get_coach_comparison()) as e where e ->> 'coach_id' = :'b'), '0',
    'B is listed (it has leads) with 0 new leads in 30 days');
select is((select e ->> 'new_leads' from jsonb_array_elements(public.get_coach_comparison('all')) as e where e ->> 'coach_id' = :'b'), '1',
    'all time: B''s lead');
select is((select e ->> 'new_leads' from jsonb_array_elements(public.get_coach_comparison('range', current_date - 60, current_date - 30)) as e
    where e ->> 'coach_id' = :'b'), '1', 'a range of days, the same for every coach');
select throws_ok($$select public.get_coach_comparison('week')$$, '22023',
    'invalid parameter "period": "week" is not one of today, 7d, 30d, 90d, all, range', 'an unknown period');
select throws_ok($$select public.get_coach_comparison('range', '2026-02-01', '2026-01-01')$$, '22023',
    'invalid parameter "period_start": 2026-02-01 is after period_end 2026-01-01', 'a start after the end');

select tests.authenticate_as_service_role();
select ok(jsonb_array_length(public.get_coach_comparison()) >= 2, 'the service role compares the coaches');
select tests.authenticate_as(:'a');
select throws_ok('select public.get_coach_comparison()', '42501', 'permission denied: only an admin can compare the coaches', 'a coach cannot');
select throws_ok('select private.kpi_coach_comparison(''30d'', null, null)', '42501', 'permission denied for schema private', 'nor by name');
select tests.authenticate_as_anon();
select throws_ok('select public.get_coach_comparison()', '42501', 'permission denied for function get_coach_comparison', 'anon cannot');

select * from finish();
rollback;
