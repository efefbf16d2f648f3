-- Ingestion RPCs: only service_role (n8n) may call them; anon and signed-in coaches are refused with 42501.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(14);
\ir helpers/auth.psql

select tests.create_coach('ingest-actor@example.com') as coach \gset
select format('{"coach_id": "%s", "user_id_instagram": "actor_ig"}', :'coach') as lead_payload \gset
select format('{"coach_id": "%s", "user_id_instagram": "actor_ig", "external_id": "actor-m1", "direction": "out", "text": "Salut"}', :'coach') as message_payload \gset

select ok(not has_function_privilege('anon', 'public.ingest_lead(jsonb)', 'execute'), 'anon cannot execute ingest_lead');
select ok(not has_function_privilege('authenticated', 'public.ingest_lead(jsonb)', 'execute'), 'authenticated cannot execute ingest_lead');
select ok(has_function_privilege('service_role', 'public.ingest_lead(jsonb)', 'execute'), 'service_role can execute ingest_lead');
select ok(not has_function_privilege('anon', 'public.ingest_message(jsonb)', 'execute'), 'anon cannot execute ingest_message');
select ok(not has_function_privilege('authenticated', 'public.ingest_message(jsonb)', 'execute'), 'authenticated cannot execute ingest_message');
select ok(has_function_privilege('service_role', 'public.ingest_message(jsonb)', 'execute'), 'service_role can execute ingest_message');

-- anon (the public key): PostgREST answers 401
select tests.authenticate_as_anon();
select throws_ok(format('select public.ingest_lead(%L::jsonb)', :'lead_payload'),
    '42501', 'permission denied for function ingest_lead', 'anon is refused ingest_lead');
select throws_ok(format('select public.ingest_message(%L::jsonb)', :'message_payload'),
    '42501', 'permission denied for function ingest_message', 'anon is refused ingest_message');

-- a signed-in coach, even for its own data: PostgREST answers 403
select tests.authenticate_as(:'coach');
select throws_ok(format('select public.ingest_lead(%L::jsonb)', :'lead_payload'),
    '42501', 'permission denied for function ingest_lead', 'a coach is refused ingest_lead');
select throws_ok(format('select public.ingest_message(%L::jsonb)', :'message_payload'),
    '42501', 'permission denied for function ingest_message', 'a coach is refused ingest_message');

-- service_role (n8n)
select tests.authenticate_as_service_role();
select is(public.ingest_lead(:'lead_payload'::jsonb) ->> 'created', 'true', 'service_role creates a lead');
select is(public.ingest_message(:'message_payload'::jsonb) ->> 'inserted', 'true', 'service_role records a message');
select tests.clear_authentication();

select is(
    (select count(*)::int from public.leads where coach_id = :'coach'),
    1, 'exactly one lead was written (by service_role)'
);
select is(
    (select total_messages_sent from public.leads where user_id_instagram = 'actor_ig'),
    1, 'the message counts on its lead'
);

select * from finish();
rollback;
