-- list_coaches() by actor: only an admin (or the service role) lists the coaches, with each coach's lead count and
-- last activity (the latest lead created or message either way), counted by hand on a small fixture.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(9);
\ir helpers/auth.psql

select tests.create_coach('list-a@example.com') as a \gset
select tests.create_coach('list-b@example.com') as b \gset
select tests.create_user('list-admin@example.com', '{"role": "admin"}') as admin \gset
update public.coachs set name = 'Zoé Liste', specialty = 'yoga' where id = :'a';
update public.coachs set name = 'amélie Liste' where id = :'b';
-- A: two leads created on March 1 and 2; a message of the first lead on March 5 is A's last activity.
-- B: no lead.
insert into public.leads (id, coach_id, user_id_instagram, instagram_username, created_at) values
    ('a1000000-0000-4000-8000-00000000aa01', :'a', 'list_1', 'list_1', '2026-03-01 10:00:00+00'),
    ('a1000000-0000-4000-8000-00000000aa02', :'a', 'list_2', 'list_2', '2026-03-02 10:00:00+00');
insert into public.messages (lead_id, coach_id, direction, text, created_at) values
    ('a1000000-0000-4000-8000-00000000aa01', :'a', 'out', 'hello', '2026-03-04 08:00:00+00'),
    ('a1000000-0000-4000-8000-00000000aa01', :'a', 'in', 'hi', '2026-03-05 09:00:00+00');

select tests.authenticate_as_anon();
select throws_ok('select * from public.list_coaches()', '42501', 'permission denied for function list_coaches',
    'anon cannot list coaches');

select tests.authenticate_as(:'a');
select throws_ok('select * from public.list_coaches()', '42501', 'permission denied: only an admin can list the coaches',
    'coach A cannot list coaches');
select tests.authenticate_as(:'b');
select throws_ok('select * from public.list_coaches()', '42501', 'permission denied: only an admin can list the coaches',
    'coach B cannot list coaches');

select tests.authenticate_as(:'admin');
select results_eq(
    $$select name, email, specialty, lead_count, last_activity_at from public.list_coaches() where email like 'list-%'$$,
    $$values ('amélie Liste'::text, 'list-b@example.com'::text, null::text, 0, null::timestamptz),
             ('Zoé Liste', 'list-a@example.com', 'yoga', 2, '2026-03-05 09:00:00+00')$$,
    'the admin lists the coaches by name (case-insensitive) with lead count and last activity');
select is((select coach_id from public.list_coaches() where email = 'list-a@example.com'), :'a'::uuid,
    'each row carries the coach id the dashboard opens with');
select is((select count(*)::int from public.list_coaches()), (select count(*)::int from public.coachs),
    'the admin lists every coach, seeded ones included');

-- a later lead without messages moves the last activity to its creation
select tests.clear_authentication();
insert into public.leads (coach_id, user_id_instagram, created_at) values (:'b', 'list_3', '2026-03-07 12:00:00+00');
select tests.authenticate_as(:'admin');
select is((select array[lead_count::text, last_activity_at::text] from public.list_coaches() where coach_id = :'b'),
    array['1', '2026-03-07 12:00:00+00'], 'a coach''s first lead is its last activity');

select tests.authenticate_as_service_role();
select is((select lead_count from public.list_coaches() where coach_id = :'a'), 2, 'the service role lists coaches too');
select tests.authenticate_as(:'admin');
select is((select lead_count from public.list_coaches() where coach_id = :'a'), 2, 'counts are per coach');

select * from finish();
rollback;
