-- Period documents, the list functions with a period and the glossary, by actor (anon, coach A, coach B, admin,
-- service_role), with the exact errors of a bad period; the facts tables and the upkeep are out of the API's reach.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(43);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

select tests.create_coach('kpi-period-a@example.com') as a \gset
select tests.create_coach('kpi-period-b@example.com') as b \gset
select tests.create_user('kpi-period-admin@example.com', '{"role": "admin"}') as admin \gset
select tests.kpi_fixture(:'a');
insert into public.leads (coach_id, user_id_instagram, instagram_username, status, source, job_title, created_at)
values (:'b', 'period_b1', 'b_only', 'new', 'b_source', 'b_job', now() - interval '2 days');
select private.kpi_upkeep() is not null as upkeep;
select (now() at time zone 'Europe/Paris')::date as today \gset

-- anon
select tests.authenticate_as_anon();
select throws_ok(format('select public.get_dashboard(%L, %L)', :'a', '7d'), '42501', 'permission denied for function get_dashboard',
    'anon cannot read a period document');
select throws_ok('select public.get_kpi_definitions()', '42501', 'permission denied for function get_kpi_definitions',
    'anon cannot read the glossary');
select throws_ok(format('select * from public.get_response_rates(%L, %L)', :'a', '7d'), '42501',
    'permission denied for function get_response_rates', 'anon cannot read reply rates of a period');
select throws_ok(format('select * from public.get_leads_to_followup(%L, %L)', :'a', '7d'), '42501',
    'permission denied for function get_leads_to_followup', 'anon cannot read the follow-up list');

-- coach A
select tests.authenticate_as(:'a');
select lives_ok($$select public.get_dashboard(period => '7d')$$, 'coach A reads its period document');
select is(public.get_dashboard(period => '30d') #>> '{coach,id}', :'a', 'the document is A''s');
select ok(position('b_source' in public.get_dashboard(period => 'all')::text) = 0
    and position('b_only' in public.get_dashboard(period => 'all')::text) = 0, 'nothing of coach B in A''s document');
select throws_ok(format('select public.get_dashboard(%L, %L)', :'b', '7d'), '42501',
    'permission denied: a coach can only read its own dashboard', 'A asking for B''s period document fails');
select throws_ok(format('select public.get_dashboard(%L, %L)', :'b', 'nonsense'), '42501',
    'permission denied: a coach can only read its own dashboard', 'the caller is checked before the period');
select throws_ok(format('select * from public.get_response_rates(%L, %L)', :'b', '7d'), '42501',
    'permission denied: a coach can only read its own dashboard', 'A asking for B''s reply rates of a period fails');
select throws_ok(format('select * from public.get_top_sources(%L, 3, %L)', :'b', '7d'), '42501',
    'permission denied: a coach can only read its own dashboard', 'A asking for B''s sources of a period fails');
select throws_ok(format('select * from public.get_top_professions(%L, 5, %L)', :'b', '7d'), '42501',
    'permission denied: a coach can only read its own dashboard', 'A asking for B''s professions of a period fails');
select throws_ok(format('select * from public.get_leads_to_followup(%L, %L)', :'b', '7d'), '42501',
    'permission denied: a coach can only read its own dashboard', 'A asking for B''s follow-up list fails');
select ok(jsonb_typeof(public.get_kpi_definitions() -> 'activity.new_leads') = 'object', 'a coach reads the glossary');
select throws_ok('select * from private.lead_facts', '42501', null, 'authenticated cannot select the lead facts');
select throws_ok('select * from private.kpi_facts', '42501', null, 'authenticated cannot select the KPI facts');
select throws_ok('select * from private.kpi_dirty_leads', '42501', null, 'authenticated cannot select the queue');
select throws_ok('select private.kpi_upkeep()', '42501', 'permission denied for schema private',
    'authenticated cannot run the upkeep');
select throws_ok(format('select private.kpi_period_dashboard(%L, %L, null, null)', :'a', '7d'), '42501',
    'permission denied for schema private', 'the private entry point is not reachable by name');

-- bad periods (PostgREST answers 400 for 22023)
select throws_ok($$select public.get_dashboard(period => 'week')$$, '22023',
    'invalid parameter "period": "week" is not one of today, 7d, 30d, 90d, all, range', 'an unknown period');
select throws_ok(format('select public.get_dashboard(period => %L, period_start => %L)', 'range', :'today'), '22023',
    'invalid parameter "period_end": a range needs both period_start and period_end', 'a range without its end');
select throws_ok(format('select public.get_dashboard(period_end => %L)', :'today'), '22023',
    'invalid parameter "period_start": a range needs both period_start and period_end', 'dates without a start');
select throws_ok(format('select public.get_dashboard(period_start => %L, period_end => %L)', :'today'::date, :'today'::date - 1), '22023',
    format('invalid parameter "period_start": %s is after period_end %s', :'today'::date, :'today'::date - 1), 'a start after the end');
select throws_ok(format('select public.get_dashboard(period_start => %L, period_end => %L)', :'today'::date - 3, :'today'::date + 1), '22023',
    format('invalid parameter "period_end": %s is after today (%s in Europe/Paris)', :'today'::date + 1, :'today'::date),
    'an end after today (in the coach''s time zone)');
select throws_ok(format('select public.get_dashboard(period => %L, period_start => %L, period_end => %L)', '7d', :'today'::date - 3, :'today'),
    '22023', 'invalid parameter "period_start": dates go with period "range" (or no period), not with "7d"', 'dates with a preset');
select throws_ok($$select * from public.get_top_sources(period => 'month')$$, '22023',
    'invalid parameter "period": "month" is not one of today, 7d, 30d, 90d, all, range', 'the list functions check the period too');
select is(public.get_dashboard(period_start => :'today'::date - 3, period_end => :'today'::date) #>> '{period,key}', 'range',
    'dates without a period are a range');

-- the list functions with a period say what the period document says
select is((select jsonb_agg(jsonb_build_object('num', replied, 'den', sent, 'value', rate) order by message_number)
           from public.get_response_rates(period => '30d')),
    (select jsonb_agg(jsonb_build_object('num', r #> '{rate,num}', 'den', r #> '{rate,den}', 'value', r #> '{rate,value}'))
     from jsonb_array_elements(public.get_dashboard(period => '30d') -> 'reply_rates') as r),
    'get_response_rates(period) = reply_rates of the document');
select is((select jsonb_agg(jsonb_build_object('label', source_name, 'lead_count', lead_count, 'percentage', percentage))
           from public.get_top_sources(period => '30d')),
    (select jsonb_agg(s - 'previous_count') from jsonb_array_elements(public.get_dashboard(period => '30d') #> '{activity,top_sources}') as s),
    'get_top_sources(period) = top_sources of the document');
select is((select array_agg(profession) from public.get_top_professions(result_limit => 1, period => 'all')), array['comptable'],
    'get_top_professions(period) honours the limit');
select is((select count(*)::int from public.get_leads_to_followup(period => '7d')),
    (public.get_dashboard(period => '7d') #>> '{pipeline,leads_to_follow_up}')::int,
    'get_leads_to_followup(period) lists leads_to_follow_up leads');
select is((select jsonb_agg(to_jsonb(f) - 'n' order by n) from public.get_leads_to_followup(period => '7d') with ordinality as f (lead_id,
               instagram_username, first_name, status, days_without_contact, priority, n)),
    (select jsonb_agg(f order by n) from jsonb_array_elements(public.get_dashboard(period => '7d') #> '{pipeline,follow_up}')
         with ordinality as x (f, n)),
    'get_leads_to_followup(period) is the document''s list, in its order');
select is((select jsonb_agg(to_jsonb(f)) from public.get_leads_to_followup() as f),
    (select jsonb_agg(to_jsonb(f)) from public.get_leads_to_followup(period => 'all') as f),
    'the follow-up list is a snapshot: the same with or without a period');

-- coach B
select tests.authenticate_as(:'b');
select is(public.get_dashboard(period => 'all') #> '{activity,new_leads,value}', '1', 'coach B sees its one lead');
select is((select array_agg(source_name) from public.get_top_sources(period => '7d')), array['b_source'], 'B''s own sources');

-- admin
select tests.authenticate_as(:'admin');
select is(public.get_dashboard(:'b', '7d') #> '{activity,new_leads,value}', '1', 'an admin may read coach B''s period');
select is(public.get_dashboard(:'a', 'all') #> '{activity,new_leads,value}', '9', 'an admin may read coach A''s period');
select throws_ok($$select public.get_dashboard(period => '7d')$$, 'P0002', 'coach not found',
    'an admin who is not a coach must name the coach');
select throws_ok(format('select public.get_dashboard(%L, %L)', gen_random_uuid(), '7d'), 'P0002', 'coach not found', 'an unknown coach');
select ok(public.get_kpi_definitions() ? 'performance.roi', 'an admin reads the glossary');

-- service_role
select tests.authenticate_as_service_role();
select throws_ok($$select public.get_dashboard(period => '7d')$$, '22004',
    'coach_id is required: sign in as a coach or pass a coach id', 'the service role must name the coach');
select is(public.get_dashboard(:'a', '7d') #>> '{coach,id}', :'a', 'the service role reads a named coach');
select is((select count(*)::int from public.get_response_rates(:'a', '7d')), 4, 'the service role reads reply rates of a period');
select tests.clear_authentication();

select * from finish();
rollback;
