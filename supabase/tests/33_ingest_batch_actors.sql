-- Batch ingestion: only service_role (n8n) may call ingest_messages; anon and signed-in coaches are refused with 42501.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(8);
\ir helpers/auth.psql

select tests.create_coach('batch-actor@example.com') as coach \gset
select format('[{"coach_id": "%s", "user_id_instagram": "batch_actor_ig", "external_id": "batch-actor-m1", "direction": "out", "text": "Salut",
    "created_at": "2026-07-01T08:00:00Z"}]',
    :'coach') as payloads \gset

select ok(not has_function_privilege('anon', 'public.ingest_messages(jsonb)', 'execute'), 'anon cannot execute ingest_messages');
select ok(not has_function_privilege('authenticated', 'public.ingest_messages(jsonb)', 'execute'), 'authenticated cannot execute ingest_messages');
select ok(has_function_privilege('service_role', 'public.ingest_messages(jsonb)', 'execute'), 'service_role can execute ingest_messages');

-- anon (the public key): PostgREST answers 401
select tests.authenticate_as_anon();
select throws_ok(format('select public.ingest_messages(%L::jsonb)', :'payloads'),
    '42501', 'permission denied for function ingest_messages', 'anon is refused ingest_messages');

-- a signed-in coach, even for its own data: PostgREST answers 403
select tests.authenticate_as(:'coach');
select throws_ok(format('select public.ingest_messages(%L::jsonb)', :'payloads'),
    '42501', 'permission denied for function ingest_messages', 'a coach is refused ingest_messages');

-- service_role (n8n)
select tests.authenticate_as_service_role();
select is(public.ingest_messages(:'payloads'::jsonb) ->> 'inserted', '1', 'service_role records a batch');
select tests.clear_authentication();

select is((select count(*)::int from public.messages where coach_id = :'coach'), 1, 'exactly one message was written (by service_role)');
select is((select total_messages_sent from public.leads where user_id_instagram = 'batch_actor_ig'), 1, 'the message counts on its lead');

select * from finish();
rollback;
