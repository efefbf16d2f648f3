-- Batch ingestion refuses bad input with ingest_message's errors, located at the first bad element, and then writes
-- nothing at all: the good elements before and after it are not recorded either.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(15);
\ir helpers/auth.psql

select tests.create_coach('batch-bad-a@example.com') as coach_a \gset
select tests.create_coach('batch-bad-b@example.com') as coach_b \gset
insert into public.leads (coach_id, user_id_instagram) values (:'coach_b', 'batch_owned_by_b');
insert into public.leads (coach_id, user_id_instagram) values (:'coach_a', 'batch_owned_by_a');
insert into public.messages (lead_id, coach_id, external_id, direction, created_at)
select id, coach_id, 'batch-taken', 'out', '2026-07-01T08:00:00Z' from public.leads where user_id_instagram = 'batch_owned_by_a';
select set_config('t.coach', :'coach_a', true);

-- batch(json): two good elements, then coach A's good payload merged with json, then a good one; b(json): its call
create function pg_temp.batch(extra text) returns jsonb language sql as $$
    select jsonb_build_array(
        jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', 'batch_new', 'external_id', 'batch-ok-1',
            'direction', 'out', 'text', 'Salut', 'created_at', '2026-07-01T08:00:00Z'),
        jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', 'batch_new_2', 'external_id', 'batch-ok-2',
            'direction', 'out', 'text', 'Salut', 'created_at', '2026-07-01T08:00:00Z'),
        jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', 'batch_new', 'external_id', 'batch-m1',
            'direction', 'in', 'text', 'Salut', 'created_at', '2026-07-01T08:01:00Z') || extra::jsonb,
        jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', 'batch_new_3', 'external_id', 'batch-ok-3',
            'direction', 'out', 'text', 'Salut', 'created_at', '2026-07-01T08:00:00Z'));
$$;
create function pg_temp.b(extra text) returns text language sql as $$
    select format('select public.ingest_messages(%L::jsonb)', pg_temp.batch(extra));
$$;

select tests.authenticate_as_service_role();

-- the body
select throws_ok($$select public.ingest_messages('{"coach_id": "x"}')$$, '22023',
    'invalid field "payloads": must be a JSON array of message payloads', 'one payload instead of an array');
select throws_ok($$select public.ingest_messages(null)$$, '22023',
    'invalid field "payloads": must be a JSON array of message payloads', 'no payloads');
select throws_ok(
    format('select public.ingest_messages(%L::jsonb)', (select jsonb_agg(jsonb_build_object('i', i)) from generate_series(1, 1001) as i)),
    '22023', 'invalid field "payloads": 1001 messages, at most 1000 per call', 'more than 1,000 elements');
select throws_ok($$select public.ingest_messages('[{"coach_id": "x"}, 2]')$$, '22023',
    'payloads[0]: invalid field "coach_id": must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)', 'the first bad element is named');
select throws_ok(
    format('select public.ingest_messages(%L::jsonb)', jsonb_build_array(jsonb_build_object('coach_id', :'coach_a',
        'user_id_instagram', 'batch_new', 'external_id', 'batch-ok-1', 'direction', 'out', 'created_at', '2026-07-01T08:00:00Z'), 2)),
    '22023', 'payloads[1]: invalid field "payload": must be a JSON object', 'an element that is not an object');
select throws_ok(pg_temp.b('{"created_at": null}'), '22023', 'payloads[2]: invalid field "created_at": is required',
    'a message without its time (required in a batch: one call has one now())');
select throws_ok(pg_temp.b('{"texte": "Salut"}'), '22023', 'payloads[2]: invalid field "texte": unknown field', 'a misspelt field');
select throws_ok(pg_temp.b('{"direction": "sideways"}'), '22023',
    'payloads[2]: invalid field "direction": must be one of in, out', 'an unknown direction');
select throws_ok(pg_temp.b('{"external_id": ""}'), '22023', 'payloads[2]: invalid field "external_id": is required', 'a blank external id');
select throws_ok(pg_temp.b('{"created_at": "2999-01-01T08:00:00Z"}'), '22023',
    'payloads[2]: invalid field "created_at": is in the future', 'a message from the future');
select throws_ok(pg_temp.b('{"coach_id": "00000000-0000-4000-8000-000000000000"}'), 'P0001',
    'payloads[2]: invalid field "coach_id": unknown coach 00000000-0000-4000-8000-000000000000', 'an unknown coach');
select throws_ok(pg_temp.b('{"user_id_instagram": "batch_owned_by_b"}'), 'P0001',
    'payloads[2]: invalid field "user_id_instagram": lead batch_owned_by_b belongs to another coach', 'a lead of another coach');
select throws_ok(pg_temp.b('{"external_id": "batch-taken"}'), 'P0001',
    'payloads[2]: invalid field "external_id": message batch-taken is already recorded for another lead',
    'a ManyChat id already stored for another lead');
select throws_ok(pg_temp.b('{"external_id": "batch-ok-2"}'), 'P0001',
    'payloads[2]: invalid field "external_id": message batch-ok-2 is already recorded for another lead',
    'a ManyChat id given to another lead earlier in the same batch');

-- fixed and sent again, the batch is recorded whole: the refused calls left no lead and no message behind that
-- would make it report duplicates or known leads
select is(public.ingest_messages(pg_temp.batch('{}')) - 'messages',
    '{"received": 4, "inserted": 4, "duplicates": 0, "leads_created": 3}'::jsonb,
    'the corrected batch inserts its 4 messages and creates its 3 leads');

select tests.clear_authentication();

select * from finish();
rollback;
