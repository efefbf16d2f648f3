-- Event times earlier than 2010-01-01T00:00:00Z (before Instagram) are refused like a malformed time (22023, HTTP
-- 400, the field named); 2010-01-01T00:00:00Z itself is accepted. A value stored before the check stays as it is.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(14);
\ir helpers/auth.psql

select tests.create_coach('ingest-floor@example.com') as coach \gset
select set_config('t.coach', :'coach', true);

-- lp/mp(json): ingest_lead's / ingest_message's payload merged with json; l/m(json): the call as text, for throws_ok
create function pg_temp.lp(extra text) returns jsonb language sql as $$
    select jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', 'floor_lead') || extra::jsonb;
$$;
create function pg_temp.mp(extra text) returns jsonb language sql as $$
    select jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', 'floor_lead',
        'external_id', 'floor-m1', 'direction', 'in', 'created_at', '2026-07-01T08:00:00Z') || extra::jsonb;
$$;
create function pg_temp.l(extra text) returns text language sql as $$
    select format('select public.ingest_lead(%L::jsonb)', pg_temp.lp(extra));
$$;
create function pg_temp.m(extra text) returns text language sql as $$
    select format('select public.ingest_message(%L::jsonb)', pg_temp.mp(extra));
$$;

-- a message stored before the check (by an earlier version), with the time an empty date gives
insert into public.leads (coach_id, user_id_instagram, created_at, status_changed_at)
values (:'coach', 'floor_old', '0001-01-01T00:00:00Z', '0001-01-01T00:00:00Z');
insert into public.messages (lead_id, coach_id, external_id, direction, created_at)
select id, coach_id, 'floor-old', 'in', '0001-01-01T00:00:00Z' from public.leads where user_id_instagram = 'floor_old';

select tests.authenticate_as_service_role();

select throws_ok(pg_temp.m('{"created_at": "0001-01-01T00:00:00Z"}'), '22023',
    'invalid field "created_at": is before 2010-01-01T00:00:00Z, the earliest event time accepted (an empty date, or a Unix time read in the wrong unit?)',
    'ingest_message: year 0001 is refused');
select throws_ok(pg_temp.m('{"created_at": "1970-01-01T00:00:00Z"}'), '22023',
    'invalid field "created_at": is before 2010-01-01T00:00:00Z, the earliest event time accepted (an empty date, or a Unix time read in the wrong unit?)',
    'ingest_message: the Unix epoch is refused');
select throws_ok(pg_temp.m('{"created_at": "2009-12-31T23:59:59.999999Z"}'), '22023',
    'invalid field "created_at": is before 2010-01-01T00:00:00Z, the earliest event time accepted (an empty date, or a Unix time read in the wrong unit?)',
    'ingest_message: a microsecond before the floor is refused');
select throws_ok(pg_temp.m('{"created_at": "2010-01-01T00:30:00+01:00"}'), '22023',
    'invalid field "created_at": is before 2010-01-01T00:00:00Z, the earliest event time accepted (an empty date, or a Unix time read in the wrong unit?)',
    'the floor is an instant: 00:30 at +01:00 is before it');
select throws_ok(pg_temp.l('{"created_at": "2001-01-01T00:00:00Z"}'), '22023',
    'invalid field "created_at": is before 2010-01-01T00:00:00Z, the earliest event time accepted (an empty date, or a Unix time read in the wrong unit?)',
    'ingest_lead: an old created_at is refused');
select throws_ok(pg_temp.l('{"status": "won", "status_changed_at": "2001-01-01T00:00:00Z"}'), '22023',
    'invalid field "status_changed_at": is before 2010-01-01T00:00:00Z, the earliest event time accepted (an empty date, or a Unix time read in the wrong unit?)',
    'ingest_lead: an old status event is refused');
select throws_ok(pg_temp.l('{"lead_magnet_sent_at": "2001-01-01T00:00:00Z"}'), '22023',
    'invalid field "lead_magnet_sent_at": is before 2010-01-01T00:00:00Z, the earliest event time accepted (an empty date, or a Unix time read in the wrong unit?)',
    'ingest_lead: every event time has the floor');
select throws_ok(format('select public.ingest_messages(%L::jsonb)', jsonb_build_array(pg_temp.mp('{}'),
        pg_temp.mp('{"external_id": "floor-m2", "created_at": "0001-01-01T00:00:00Z"}'))), '22023',
    'payloads[1]: invalid field "created_at": is before 2010-01-01T00:00:00Z, the earliest event time accepted (an empty date, or a Unix time read in the wrong unit?)',
    'ingest_messages: the element is named');
select is((select count(*)::integer from public.leads where user_id_instagram = 'floor_lead'), 0, 'refused calls write nothing');

select is(public.ingest_message(pg_temp.mp('{"created_at": "2010-01-01T00:00:00Z"}')) ->> 'inserted', 'true',
    'the floor itself is accepted');
select is((select created_at from public.leads where user_id_instagram = 'floor_lead'), '2010-01-01T00:00:00Z'::timestamptz,
    '... and dates the lead');

-- stored values are kept; sending such a message again is refused like any new one (its time is checked first)
select throws_ok(format('select public.ingest_message(%L::jsonb)', pg_temp.mp(
        '{"user_id_instagram": "floor_old", "external_id": "floor-old", "created_at": "0001-01-01T00:00:00Z"}')), '22023',
    'invalid field "created_at": is before 2010-01-01T00:00:00Z, the earliest event time accepted (an empty date, or a Unix time read in the wrong unit?)',
    'a redelivery of a message stored with year 0001 is refused');
select is((select created_at from public.messages where external_id = 'floor-old'), '0001-01-01T00:00:00Z'::timestamptz,
    'the stored message keeps its time');
select is(public.ingest_message(pg_temp.mp('{"user_id_instagram": "floor_old", "external_id": "floor-new"}')) ->> 'inserted', 'true',
    'a lead with such a stored time still takes new messages');

select * from finish();
rollback;
