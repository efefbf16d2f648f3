-- Ids are text: a JSON number given for an id (user_id_instagram, external_id, contact_id) or any text field is
-- taken as its digits only when JavaScript holds it exactly (a whole number within +/- 2^53 - 1 = 9007199254740991);
-- any other number is refused (22023, HTTP 400) naming the field and saying to send it as a string.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(22);
\ir helpers/auth.psql

select tests.create_coach('ingest-ids@example.com') as coach \gset
select set_config('t.coach', :'coach', true);

-- l(json) / m(json) / b(json): a call of ingest_lead / ingest_message / ingest_messages (two elements, the second one
-- merged with json) with a valid base payload merged with json
create function pg_temp.l(extra text) returns text language sql as $$
    select format('select public.ingest_lead(%L::jsonb)',
        jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', 'ids_base') || extra::jsonb);
$$;
create function pg_temp.m(extra text) returns text language sql as $$
    select format('select public.ingest_message(%L::jsonb)',
        jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', 'ids_base',
            'external_id', 'ids-m1', 'direction', 'in', 'created_at', '2026-07-01T08:00:00Z') || extra::jsonb);
$$;
create function pg_temp.b(extra text) returns text language sql as $$
    select format('select public.ingest_messages(%L::jsonb)', jsonb_build_array(
        jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', 'ids_batch',
            'external_id', 'ids-b0', 'direction', 'out', 'created_at', '2026-07-01T08:00:00Z'),
        jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', 'ids_batch',
            'external_id', 'ids-b1', 'direction', 'in', 'created_at', '2026-07-01T08:01:00Z') || extra::jsonb));
$$;

select tests.authenticate_as_service_role();

-- user_id_instagram, both sides of 2^53
select throws_ok(pg_temp.l('{"user_id_instagram": 9007199254740992}'), '22023',
    'invalid field "user_id_instagram": the number 9007199254740992 may have been rounded (JavaScript, so ManyChat and n8n, rounds numbers above 9007199254740991); send the id as a string: put the variable in quotes in ManyChat''s body ("user_id_instagram": "{{...}}")',
    'ingest_lead: an Instagram id of 2^53 sent as a number is refused');
select throws_ok(pg_temp.m('{"user_id_instagram": 17841400000000031}'), '22023',
    'invalid field "user_id_instagram": the number 17841400000000031 may have been rounded (JavaScript, so ManyChat and n8n, rounds numbers above 9007199254740991); send the id as a string: put the variable in quotes in ManyChat''s body ("user_id_instagram": "{{...}}")',
    'ingest_message: a real-sized Instagram id sent as a number is refused, the number as PostgreSQL received it');
select throws_ok(pg_temp.m('{"user_id_instagram": -9007199254740992}'), '22023',
    'invalid field "user_id_instagram": the number -9007199254740992 may have been rounded (JavaScript, so ManyChat and n8n, rounds numbers above 9007199254740991); send the id as a string: put the variable in quotes in ManyChat''s body ("user_id_instagram": "{{...}}")',
    'a negative number beyond -(2^53 - 1) is refused too');
select is(public.ingest_lead(('{"coach_id": "' || :'coach' || '", "user_id_instagram": 9007199254740991}')::jsonb) ->> 'created', 'true',
    'ingest_lead: 2^53 - 1 sent as a number is accepted');
select is((select count(*)::integer from public.leads where user_id_instagram = '9007199254740991'), 1,
    '... and stored as its digits');
select is(public.ingest_message(('{"coach_id": "' || :'coach' || '", "user_id_instagram": 1234567, "external_id": "ids-small",
        "direction": "in", "created_at": "2026-07-01T08:00:00Z"}')::jsonb) ->> 'inserted', 'true',
    'ingest_message: a small Instagram id sent as a number is accepted');
select is((select count(*)::integer from public.leads where user_id_instagram = '1234567'), 1, '... as the lead "1234567"');

-- fractions and exponents: jsonb keeps the value, not the spelling (1e3 is 1000, a whole number)
select throws_ok(pg_temp.m('{"user_id_instagram": 12.5}'), '22023',
    'invalid field "user_id_instagram": the number 12.5 is not a whole number; send the id as a string: put the variable in quotes in ManyChat''s body ("user_id_instagram": "{{...}}")',
    'a number with a fraction is refused');
select throws_ok(pg_temp.m('{"user_id_instagram": 42.0}'), '22023',
    'invalid field "user_id_instagram": the number 42.0 is not a whole number; send the id as a string: put the variable in quotes in ManyChat''s body ("user_id_instagram": "{{...}}")',
    'a whole number written with a decimal point is refused');
select throws_ok(pg_temp.m('{"user_id_instagram": 1.7841400000000031e16}'), '22023',
    'invalid field "user_id_instagram": the number 17841400000000031 may have been rounded (JavaScript, so ManyChat and n8n, rounds numbers above 9007199254740991); send the id as a string: put the variable in quotes in ManyChat''s body ("user_id_instagram": "{{...}}")',
    'an exponent beyond 2^53 - 1 is refused');
select is(public.ingest_lead(('{"coach_id": "' || :'coach' || '", "user_id_instagram": 1e3}')::jsonb) ->> 'created', 'true',
    'an exponent whose value is a small whole number is that number');
select is((select count(*)::integer from public.leads where user_id_instagram = '1000'), 1, '... the lead "1000"');

-- external_id and contact_id
select throws_ok(pg_temp.m('{"external_id": 9007199254740993}'), '22023',
    'invalid field "external_id": the number 9007199254740993 may have been rounded (JavaScript, so ManyChat and n8n, rounds numbers above 9007199254740991); send the id as a string: put the variable in quotes in ManyChat''s body ("external_id": "{{...}}")',
    'ingest_message: an external_id above 2^53 - 1 is refused');
select is(public.ingest_message(('{"coach_id": "' || :'coach' || '", "user_id_instagram": "ids_base",
        "external_id": 9007199254740991, "direction": "in", "created_at": "2026-07-01T08:00:00Z"}')::jsonb) ->> 'inserted', 'true', 'ingest_message: an external_id of 2^53 - 1 is accepted');
select is((select count(*)::integer from public.messages where external_id = '9007199254740991'), 1, '... stored as its digits');
select throws_ok(pg_temp.l('{"contact_id": 9007199254740992}'), '22023',
    'invalid field "contact_id": the number 9007199254740992 may have been rounded (JavaScript, so ManyChat and n8n, rounds numbers above 9007199254740991); send the id as a string: put the variable in quotes in ManyChat''s body ("contact_id": "{{...}}")',
    'ingest_lead: a contact_id of 2^53 is refused');
select is(public.ingest_lead(('{"coach_id": "' || :'coach' || '", "user_id_instagram": "ids_base", "contact_id": 1234567890}')::jsonb) ->> 'lead_id' is not null,
    true, 'ingest_lead: a ManyChat contact id of 10 digits sent as a number is accepted');
select is((select contact_id from public.leads where user_id_instagram = 'ids_base'), '1234567890', '... stored as its digits');

-- the batch names the element
select throws_ok(pg_temp.b('{"user_id_instagram": 17841400000000031}'), '22023',
    'payloads[1]: invalid field "user_id_instagram": the number 17841400000000031 may have been rounded (JavaScript, so ManyChat and n8n, rounds numbers above 9007199254740991); send the id as a string: put the variable in quotes in ManyChat''s body ("user_id_instagram": "{{...}}")',
    'ingest_messages: the element with a rounded id is named');
select throws_ok(pg_temp.b('{"external_id": 1.5}'), '22023',
    'payloads[1]: invalid field "external_id": the number 1.5 is not a whole number; send the id as a string: put the variable in quotes in ManyChat''s body ("external_id": "{{...}}")',
    'ingest_messages: an external_id with a fraction is refused');
select is((select count(*)::integer from public.messages where external_id like 'ids-b%'), 0, 'a refused batch writes nothing');

-- other text fields: the same rule, without "the id"
select throws_ok(pg_temp.l('{"first_name": 12345678901234567890}'), '22023',
    'invalid field "first_name": the number 12345678901234567890 may have been rounded (JavaScript, so ManyChat and n8n, rounds numbers above 9007199254740991); send it as a string: put the variable in quotes in ManyChat''s body ("first_name": "{{...}}")',
    'any text field refuses a number JavaScript may have rounded');

select * from finish();
rollback;
