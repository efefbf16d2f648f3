-- Ingestion refuses bad input with a clear error naming the field (PostgREST: HTTP 400) and writes nothing.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(30);
\ir helpers/auth.psql

select tests.create_coach('ingest-bad-a@example.com') as coach_a \gset
select tests.create_coach('ingest-bad-b@example.com') as coach_b \gset
insert into public.leads (coach_id, user_id_instagram) values (:'coach_b', 'bad_owned_by_b');
insert into public.leads (coach_id, user_id_instagram) values (:'coach_a', 'bad_owned_by_a');
insert into public.messages (lead_id, coach_id, external_id, direction, created_at)
select id, coach_id, 'bad-taken', 'out', '2026-07-01T08:00:00Z' from public.leads where user_id_instagram = 'bad_owned_by_a';
select set_config('t.coach', :'coach_a', true);

-- l(json) / m(json): a call of ingest_lead / ingest_message with coach A's valid base payload merged with json
create function pg_temp.l(extra text) returns text language sql as $$
    select format('select public.ingest_lead(%L::jsonb)',
        jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', 'bad_new') || extra::jsonb);
$$;
create function pg_temp.m(extra text) returns text language sql as $$
    select format('select public.ingest_message(%L::jsonb)',
        jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', 'bad_new',
            'external_id', 'bad-m1', 'direction', 'in', 'text', 'Salut', 'created_at', '2026-07-01T08:00:00Z') || extra::jsonb);
$$;

select tests.authenticate_as_service_role();

-- payload shape
select throws_ok($$select public.ingest_lead('[1, 2]')$$, '22023', 'invalid field "payload": must be a JSON object', 'a payload that is not an object');
select throws_ok($$select public.ingest_lead(null)$$, '22023', 'invalid field "payload": must be a JSON object', 'a null payload');
select throws_ok(pg_temp.l('{"firstname": "Emma"}'), '22023', 'invalid field "firstname": unknown field', 'a misspelt field');

-- ids
select throws_ok($$select public.ingest_lead('{"user_id_instagram": "x"}')$$, '22023', 'invalid field "coach_id": is required', 'a missing coach_id');
select throws_ok(pg_temp.l('{"coach_id": "c0ffee"}'), '22023',
    'invalid field "coach_id": must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)', 'a malformed coach_id');
select throws_ok(pg_temp.l('{"coach_id": "00000000-0000-4000-8000-000000000000"}'), 'P0001',
    'invalid field "coach_id": unknown coach 00000000-0000-4000-8000-000000000000', 'an unknown coach');
select throws_ok(pg_temp.l('{"user_id_instagram": ""}'), '22023', 'invalid field "user_id_instagram": is required', 'a blank Instagram id');
select throws_ok(pg_temp.l('{"user_id_instagram": {"id": 1}}'), '22023', 'invalid field "user_id_instagram": must be a string', 'an Instagram id that is an object');
select throws_ok(pg_temp.l(format('{"user_id_instagram": "%s"}', repeat('9', 101))), '22023',
    'invalid field "user_id_instagram": is longer than 100 characters (101)', 'an oversized Instagram id');
select throws_ok(pg_temp.l('{"user_id_instagram": "bad_owned_by_b"}'), 'P0001',
    'invalid field "user_id_instagram": lead bad_owned_by_b belongs to another coach', 'a lead of another coach');

-- lead values
select throws_ok(pg_temp.l('{"status": "maybe"}'), '22023',
    'invalid field "status": must be one of new, engaged, qualified, call_proposed, call_booked, won, lost, relance', 'an unknown status');
select throws_ok(pg_temp.l('{"status_changed_at": "2026-07-01T08:00:00Z"}'), '22023',
    'invalid field "status_changed_at": is given without status', 'an event time without a status');
select throws_ok(pg_temp.l('{"status": "won", "status_changed_at": "01/07/2026"}'), '22023',
    'invalid field "status_changed_at": must be an ISO 8601 timestamp with a time zone, e.g. 2026-07-01T08:00:00Z', 'a malformed event time');
select throws_ok(pg_temp.l('{"status": "won", "status_changed_at": "2026-02-30T08:00:00Z"}'), '22023',
    'invalid field "status_changed_at": is not a valid date and time', 'an impossible date');
select throws_ok(pg_temp.l('{"status": "won", "status_changed_at": "2999-01-01T08:00:00Z"}'), '22023',
    'invalid field "status_changed_at": is in the future', 'an event from the future');
select throws_ok(pg_temp.l('{"gender": "Homme"}'), '22023', 'invalid field "gender": must be one of male, female, other', 'an unknown gender');
select throws_ok(pg_temp.l('{"lost_reason": "weather"}'), '22023',
    'invalid field "lost_reason": must be one of price, time, already_tried, hesitation, other', 'an unknown lost reason');
select throws_ok(pg_temp.l('{"age": 7}'), '22023', 'invalid field "age": must be between 13 and 100', 'an age out of range');
select throws_ok(pg_temp.l('{"age": "trente"}'), '22023', 'invalid field "age": must be a number', 'an age that is not a number');
select throws_ok(pg_temp.l('{"age": 30.5}'), '22023', 'invalid field "age": must be a whole number', 'a fractional age');
select throws_ok(pg_temp.l('{"deal_value": -1}'), '22023', 'invalid field "deal_value": must be between 0 and 9999999999.99', 'a negative deal value');
select throws_ok(pg_temp.l('{"call_showed": "yes"}'), '22023', 'invalid field "call_showed": must be true or false', 'a call_showed that is not a boolean');
select throws_ok(pg_temp.l('{"email": "emma.mail.example"}'), '22023', 'invalid field "email": is not an email address', 'a malformed email');
select throws_ok(pg_temp.l(format('{"first_name": "%s"}', repeat('é', 201))), '22023',
    'invalid field "first_name": is longer than 200 characters (201)', 'an oversized first name');

-- message values
select throws_ok(pg_temp.m('{"direction": "sideways"}'), '22023', 'invalid field "direction": must be one of in, out', 'an unknown direction');
select throws_ok(pg_temp.m('{"external_id": null}'), '22023', 'invalid field "external_id": is required', 'a missing external id');
select throws_ok(pg_temp.m(format('{"text": "%s"}', repeat('x', 4001))), '22023',
    'invalid field "text": is longer than 4000 characters (4001)', 'an oversized text');
select throws_ok(pg_temp.m('{"external_id": "bad-taken"}'), 'P0001',
    'invalid field "external_id": message bad-taken is already recorded for another lead', 'a ManyChat id already used for another lead');

select tests.clear_authentication();

-- nothing half-written: the rejected calls left no lead, no message, no status event behind
select is((select count(*)::int from public.leads where coach_id in (:'coach_a', :'coach_b')), 2, 'no lead was created by a rejected call');
select is(
    (select count(*)::int from public.messages where coach_id = :'coach_a') + (select count(*)::int from public.lead_status_events where coach_id in (:'coach_a', :'coach_b')),
    1 + 2, 'no message nor status event was written by a rejected call'
);

select * from finish();
rollback;
