-- Timeline notes by actor (anon, coach A, coach B, admin, service_role) with the exact errors of bad input.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(17);
\ir helpers/auth.psql

select tests.create_coach('notes-a@example.com') as a \gset
select tests.create_coach('notes-b@example.com') as b \gset
select tests.create_user('notes-admin@example.com', '{"role": "admin"}') as admin \gset
select (now() at time zone 'Europe/Paris')::date as today \gset

select tests.authenticate_as_anon();
select throws_ok('select public.get_timeline_notes()', '42501', 'permission denied for function get_timeline_notes', 'anon cannot read notes');
select throws_ok($$select public.add_timeline_note(current_date, 'x')$$, '42501', 'permission denied for function add_timeline_note', 'anon cannot add a note');

select tests.authenticate_as(:'a');
select public.add_timeline_note(:'today'::date, '  Vacances  ') ->> 'id' as note_a \gset
select is((public.get_timeline_notes() -> 0 ->> 'note'), 'Vacances', 'A adds a note (trimmed) and reads it');
select throws_ok(format('select public.get_timeline_notes(%L)', :'b'), '42501', 'permission denied: a coach can only read its own dashboard',
    'A cannot read B''s notes');
select throws_ok(format('select public.add_timeline_note(%L::date, %L)', :'today'::date + 1, 'demain'), '22023',
    format('invalid field "day": %s is after today (%s)', :'today'::date + 1, :'today'), 'a note cannot be in the future');
select throws_ok($$select public.add_timeline_note('2009-12-31', 'x')$$, '22023', 'invalid field "day": 2009-12-31 is before 2010-01-01', 'nor before 2010');
select throws_ok($$select public.add_timeline_note(null, 'x')$$, '22023', 'invalid field "day": is required', 'a day is required');
select throws_ok(format('select public.add_timeline_note(%L::date, %L)', :'today', '   '), '22023', 'invalid field "note": is required', 'a blank note');
select throws_ok(format('select public.add_timeline_note(%L::date, %L)', :'today', repeat('n', 201)), '22023',
    'invalid field "note": is longer than 200 characters (201)', 'a note of 201 characters');
select throws_ok('select public.get_timeline_notes(window_days => 0)', '22023', 'invalid parameter "window_days": 0 is not between 1 and 90', 'a window of 0 days');
select throws_ok($$select public.get_timeline_notes(period => 'week')$$, '22023',
    'invalid parameter "period": "week" is not one of today, 7d, 30d, 90d, all, range', 'an unknown period');
select throws_ok('select * from private.timeline_notes', '42501', null, 'the table is out of reach');

select tests.authenticate_as(:'b');
select throws_ok(format('select public.delete_timeline_note(%L)', :'note_a'), 'PT404', 'timeline note not found', 'B cannot delete A''s note');

select tests.authenticate_as(:'admin');
select is(jsonb_array_length(public.get_timeline_notes(:'a')), 1, 'an admin reads A''s notes');
select throws_ok(format('select public.add_timeline_note(%L::date, %L)', :'today', 'x'), 'PT404', 'coach not found', 'an admin writes on no one''s timeline');

select tests.authenticate_as_service_role();
select throws_ok(format('select public.delete_timeline_note(%L)', :'note_a'), '42501', 'permission denied for function delete_timeline_note',
    'the service role does not write notes');

select tests.authenticate_as(:'a');
select ok(public.delete_timeline_note(:'note_a'::uuid), 'A deletes its note');

select * from finish();
rollback;
