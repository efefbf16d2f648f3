-- get_variant_report by actor (anon, coach A, coach B, admin, service_role) with the exact errors, and the variant
-- field of ingest_message / ingest_messages: its exact 400s (SQLSTATE 22023 naming the field).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(22);
\ir helpers/auth.psql

select tests.create_coach('variant-a@example.com') as a \gset
select tests.create_coach('variant-b@example.com') as b \gset
select tests.create_user('variant-admin@example.com', '{"role": "admin"}') as admin \gset
select public.ingest_message(jsonb_build_object('coach_id', :'b', 'user_id_instagram', 'b1', 'external_id', 'b1-1',
    'direction', 'out', 'text', 'm', 'created_at', now() - interval '1 day', 'variant', 'secret-b')) is not null as delivered;
select private.kpi_upkeep() is not null as upkeep;

-- anon
select tests.authenticate_as_anon();
select throws_ok(format('select public.get_variant_report(%L)', :'a'), '42501',
    'permission denied for function get_variant_report', 'anon cannot read a variant report');

-- coach A
select tests.authenticate_as(:'a');
select is(public.get_variant_report() #> '{0,variants}', '[]'::jsonb, 'a coach without variants reads an empty report (30 days by default)');
select is(public.get_variant_report() #>> '{0,verdict,status}', 'not_enough_data', '... whose verdict is not_enough_data');
select throws_ok(format('select public.get_variant_report(%L)', :'b'), '42501',
    'permission denied: a coach can only read its own dashboard', 'A asking for B''s variants fails');
select throws_ok($$select public.get_variant_report(period => 'week')$$, '22023',
    'invalid parameter "period": "week" is not one of today, 7d, 30d, 90d, all, range', 'an unknown period');
select throws_ok($$select public.get_variant_report(period => 'range', period_start => '2026-01-02', period_end => '2026-01-01')$$,
    '22023', null, 'a start after the end');
select throws_ok('select * from private.kpi_variant_facts', '42501', null, 'authenticated cannot select the variant facts');
select throws_ok(format('select private.kpi_variant_report(%L, %L, null, null)', :'a', '30d'), '42501',
    'permission denied for schema private', 'the private entry point is not reachable by name');

-- coach B
select tests.authenticate_as(:'b');
select is(public.get_variant_report(period => '7d') #>> '{0,variants,0,variant}', 'secret-b', 'B reads its own variant');

-- admin
select tests.authenticate_as(:'admin');
select is(public.get_variant_report(:'b', '7d') #>> '{0,variants,0,sent}', '1', 'an admin reads any coach''s report');
select throws_ok('select public.get_variant_report()', 'PT404', 'coach not found',
    'an admin without a coach row must name a coach (its own id is no coach)');
select throws_ok(format('select public.get_variant_report(%L)', gen_random_uuid()), 'PT404', 'coach not found',
    'an unknown coach is 404');

-- service_role
select tests.authenticate_as_service_role();
select is(public.get_variant_report(:'b', 'all') #>> '{0,variants,0,variant}', 'secret-b', 'service_role reads a report');

-- the variant field
select throws_ok(format('select public.ingest_message(%L::jsonb)', jsonb_build_object('coach_id', :'a',
        'user_id_instagram', 'a1', 'external_id', 'a1-1', 'direction', 'in', 'text', 'm', 'variant', 'A')), '22023',
    'invalid field "variant": only an outbound message (direction "out") has a variant', 'an inbound message has no variant');
select throws_ok(format('select public.ingest_message(%L::jsonb)', jsonb_build_object('coach_id', :'a',
        'user_id_instagram', 'a1', 'external_id', 'a1-1', 'direction', 'out', 'text', 'm', 'variant', repeat('v', 101))), '22023',
    'invalid field "variant": is longer than 100 characters (101)', 'a variant of 101 characters');
select lives_ok(format('select public.ingest_message(%L::jsonb)', jsonb_build_object('coach_id', :'a',
        'user_id_instagram', 'a1', 'external_id', 'a1-100', 'direction', 'out', 'text', 'm', 'variant', repeat('v', 100))),
    'a variant of 100 characters');
select throws_ok(format('select public.ingest_message(%L::jsonb)', jsonb_build_object('coach_id', :'a',
        'user_id_instagram', 'a1', 'external_id', 'a1-2', 'direction', 'out', 'text', 'm', 'variant', jsonb_build_object('name', 'A'))), '22023',
    'invalid field "variant": must be a string', 'a variant that is not a string');
select is(public.ingest_message(jsonb_build_object('coach_id', :'a', 'user_id_instagram', 'a1', 'external_id', 'a1-3',
        'direction', 'in', 'text', 'm', 'variant', '  ')) ->> 'inserted', 'true', 'a blank variant is no variant (inbound accepted)');
select is((select m.variant from public.messages as m where m.coach_id = :'a' and m.external_id = 'a1-3'), null,
    '... and none is stored');
select throws_ok(format('select public.ingest_messages(%L::jsonb)', jsonb_build_array(
        jsonb_build_object('coach_id', :'a', 'user_id_instagram', 'a2', 'external_id', 'a2-1', 'direction', 'out',
            'text', 'm', 'created_at', now(), 'variant', 'A'),
        jsonb_build_object('coach_id', :'a', 'user_id_instagram', 'a2', 'external_id', 'a2-2', 'direction', 'in',
            'text', 'm', 'created_at', now(), 'variant', 'A'))), '22023',
    'payloads[1]: invalid field "variant": only an outbound message (direction "out") has a variant',
    'a batch names the element and the field');
select throws_ok(format('select public.ingest_messages(%L::jsonb)', jsonb_build_array(
        jsonb_build_object('coach_id', :'a', 'user_id_instagram', 'a2', 'external_id', 'a2-1', 'direction', 'out',
            'text', 'm', 'created_at', now(), 'variante', 'A'))), '22023',
    'payloads[0]: invalid field "variante": unknown field', 'a misspelt field is refused');
select throws_ok($$insert into public.messages (lead_id, coach_id, direction, variant)
        select l.id, l.coach_id, 'in', 'A' from public.leads as l where l.user_id_instagram = 'a1'$$, '23514', null,
    'the table refuses a variant on an inbound message whatever the writer');

select * from finish();
rollback;
