-- Isolation: a coach's KPIs never contain another coach's numbers, asking for another coach's id fails (42501),
-- the materialized view is not selectable through the API roles, anon gets nothing; an admin may read any coach.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(23);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

select tests.create_coach('kpi-iso-a@example.com') as a \gset
select tests.create_coach('kpi-iso-b@example.com') as b \gset
select tests.create_user('kpi-iso-admin@example.com', '{"role": "admin"}') as admin \gset
-- A: the nine-lead fixture; B: one lead with a source and a job title of its own
select tests.kpi_fixture(:'a');
insert into public.leads (coach_id, user_id_instagram, instagram_username, status, source, job_title, created_at)
values (:'b', 'iso_b1', 'b_only', 'new', 'b_source', 'b_job', tests.paris(5, '10:00'));
-- the incremental facts first, then the view that reads them
select private.kpi_upkeep() is not null as upkeep;
select public.refresh_dashboard_kpis() is not null as refreshed;

-- coach A
select tests.authenticate_as(:'a');
select is(public.get_dashboard() #>> '{activity,total_leads}', '9', 'coach A sees its nine leads');
select is(public.get_dashboard() #>> '{coach,id}', :'a', 'coach A''s document is A''s');
select ok(position('b_source' in public.get_dashboard()::text) = 0 and position('b_job' in public.get_dashboard()::text) = 0
    and position('b_only' in public.get_dashboard()::text) = 0, 'nothing of coach B in coach A''s document');
select throws_ok(format('select public.get_dashboard(%L)', :'b'), '42501',
    'permission denied: a coach can only read its own dashboard', 'A asking for B''s dashboard fails');
select throws_ok(format('select * from public.get_response_rates(%L)', :'b'), '42501',
    'permission denied: a coach can only read its own dashboard', 'A asking for B''s reply rates fails');
select throws_ok(format('select * from public.get_top_sources(%L, 3)', :'b'), '42501',
    'permission denied: a coach can only read its own dashboard', 'A asking for B''s sources fails');
select throws_ok(format('select * from public.get_top_professions(%L, 5)', :'b'), '42501',
    'permission denied: a coach can only read its own dashboard', 'A asking for B''s professions fails');
select throws_ok(format('select * from public.get_leads_to_followup(%L)', :'b'), '42501',
    'permission denied: a coach can only read its own dashboard', 'A asking for B''s follow-up list fails');
select throws_ok('select * from private.coach_dashboard_kpis', '42501', null,
    'authenticated cannot select the materialized view');
select throws_ok('select * from private.coach_dashboard_kpis_live', '42501', null,
    'authenticated cannot select the live KPI view');
select is((select array_agg(source_name) from public.get_top_sources()), array['story', 'keyword', 'post'],
    'get_top_sources defaults to the caller (top 3)');
select is((select array_agg(profession) from public.get_top_professions(:'a'::uuid, 1)), array['comptable'],
    'get_top_professions honours the limit');
select is((select array_agg(array[sent, replied]) from public.get_response_rates()), array[[5, 3], [3, 2], [2, 0], [0, 0]],
    'get_response_rates defaults to the caller');

-- coach B
select tests.authenticate_as(:'b');
select is(public.get_dashboard() #>> '{activity,total_leads}', '1', 'coach B sees only its lead');
select is((select count(*)::int from public.get_leads_to_followup()), 1, 'coach B''s follow-up list holds its own lead only');

-- admin
select tests.authenticate_as(:'admin');
select is(public.get_dashboard(:'b') #>> '{activity,total_leads}', '1', 'an admin may read coach B');
select is(public.get_dashboard(:'a') #>> '{activity,total_leads}', '9', 'an admin may read coach A');
select throws_ok('select public.get_dashboard()', 'PT404', 'coach not found',
    'an admin who is not a coach must name the coach');
select throws_ok(format('select public.get_dashboard(%L)', gen_random_uuid()), 'PT404', 'coach not found',
    'an unknown coach id');

select tests.authenticate_as_service_role();
select throws_ok('select public.get_dashboard()', '22004', 'coach_id is required: sign in as a coach or pass a coach id',
    'the service role (no signed-in coach) must name the coach');

-- anon
select tests.authenticate_as_anon();
select throws_ok(format('select public.get_dashboard(%L)', :'a'), '42501', 'permission denied for function get_dashboard',
    'anon cannot call get_dashboard');
select throws_ok(format('select * from public.get_leads_to_followup(%L)', :'a'), '42501',
    'permission denied for function get_leads_to_followup', 'anon cannot call get_leads_to_followup');
select throws_ok('select * from private.coach_dashboard_kpis', '42501', null, 'anon cannot select the materialized view');

select * from finish();
rollback;
