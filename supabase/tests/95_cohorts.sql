-- get_cohorts on a hand-computed fixture (a coach where it is about noon): leads by the ISO week of their first
-- contact, qualified / booked / won within 7, 14 and 30 days, still open, complete windows; actors and errors.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(13);
\ir helpers/auth.psql

select tests.midday_timezone() as tz \gset
select tests.create_coach('cohorts-a@example.com', :'tz') as a \gset
select tests.create_coach('cohorts-b@example.com') as b \gset
select tests.create_user('cohorts-admin@example.com', '{"role": "admin"}') as admin \gset
select (now() at time zone :'tz')::date as today \gset
select date_trunc('week', :'today'::date)::date as w0, date_trunc('week', :'today'::date)::date - 42 as w6 \gset
-- first contact of the week-6 leads: the Tuesday of that week at noon, local
select (((:'w6'::date + 1)::timestamp + time '12:00') at time zone :'tz') as t0 \gset

-- week 6: A qualified after 3 days, booked after 10, won after 20; B qualified after 8 days; C nothing; D lost after 2
-- days. Current week: E, first contact a minute ago.
select public.ingest_lead(jsonb_build_object('coach_id', :'a', 'user_id_instagram', x.ig, 'created_at', x.created_at)) is not null as leads
from (values ('A', :'t0'::timestamptz), ('B', :'t0'::timestamptz), ('C', :'t0'::timestamptz), ('D', :'t0'::timestamptz),
             ('E', now() - interval '1 minute')) as x (ig, created_at);
select public.ingest_lead(jsonb_build_object('coach_id', :'a', 'user_id_instagram', x.ig, 'status', x.status,
        'status_changed_at', :'t0'::timestamptz + x.after)) is not null as events
from (values ('A', 'qualified', interval '3 days'), ('A', 'call_booked', interval '10 days'), ('A', 'won', interval '20 days'),
             ('B', 'qualified', interval '8 days'), ('D', 'lost', interval '2 days')) as x (ig, status, after);
select private.kpi_upkeep() is not null as upkeep;

select tests.authenticate_as(:'a');
select public.get_cohorts() as c \gset
select is(jsonb_array_length((:'c'::jsonb) -> 'weeks'), 12, '12 weeks');
select is((:'c'::jsonb) #>> '{weeks,0,week_start}', :'w0', 'newest first: the current week');
select is(((:'c'::jsonb) #> '{weeks,6}') - 'windows'::text, jsonb_build_object('week_start', :'w6', 'week_end', (:'w6'::date + 6)::text, 'leads', 4, 'open', 2),
    'week 6: 4 leads, 2 still open (B, C)');
select is((:'c'::jsonb) #> '{weeks,6,windows,7}', '{"complete": true,
    "qualified": {"value": 25.0, "num": 1, "den": 4, "low_sample": true},
    "booked": {"value": 0.0, "num": 0, "den": 4, "low_sample": true},
    "won": {"value": 0.0, "num": 0, "den": 4, "low_sample": true}}'::jsonb, 'within 7 days: A qualified');
select is((:'c'::jsonb) #> '{weeks,6,windows,14}', '{"complete": true,
    "qualified": {"value": 50.0, "num": 2, "den": 4, "low_sample": true},
    "booked": {"value": 25.0, "num": 1, "den": 4, "low_sample": true},
    "won": {"value": 0.0, "num": 0, "den": 4, "low_sample": true}}'::jsonb, 'within 14 days: A and B qualified, A booked');
select is((:'c'::jsonb) #> '{weeks,6,windows,30}', '{"complete": true,
    "qualified": {"value": 50.0, "num": 2, "den": 4, "low_sample": true},
    "booked": {"value": 25.0, "num": 1, "den": 4, "low_sample": true},
    "won": {"value": 25.0, "num": 1, "den": 4, "low_sample": true}}'::jsonb, 'within 30 days: A won too');
select is((:'c'::jsonb) #> '{weeks,0,leads}', '1'::jsonb, 'the current week: E');
select is((select jsonb_agg(v -> 'complete') from jsonb_each((:'c'::jsonb) #> '{weeks,0,windows}') as e (k, v)), '[false, false, false]'::jsonb,
    'the current week''s windows are not over');
select is((:'c'::jsonb) #> '{weeks,3,leads}', '0'::jsonb, 'a week without leads is there, with 0');

select throws_ok(format('select public.get_cohorts(%L)', :'b'), '42501', 'permission denied: a coach can only read its own dashboard',
    'A cannot read B''s cohorts');
select tests.authenticate_as(:'admin');
select is(public.get_cohorts(:'a') #> '{weeks,6,leads}', '4'::jsonb, 'an admin reads A''s cohorts');
select throws_ok(format('select public.get_cohorts(%L)', gen_random_uuid()), 'PT404', 'coach not found', 'an unknown coach');
select tests.authenticate_as_anon();
select throws_ok('select public.get_cohorts()', '42501', 'permission denied for function get_cohorts', 'anon cannot read cohorts');

select * from finish();
rollback;
