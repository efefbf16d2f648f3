-- list_coaches()'s account states, counted by hand on a small fixture: legacy (a coach row without an account),
-- invited (an account that never signed in), no_data (signed in, no lead nor message for 3 days, or never), active.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(6);
\ir helpers/auth.psql

select tests.create_user('state-admin@example.com', '{"role": "admin"}') as admin \gset
-- legacy: the coach row only (as lucas@example.com of the seed)
insert into public.coachs (id, name, email) values ('b1000000-0000-4000-8000-0000000000a1', 'State Legacy', 'state-legacy@example.com');
-- invited: an account created for the coach (create-coach), never signed in; n8n already sends its leads
select tests.create_coach('state-invited@example.com') as invited \gset
-- active: signed in yesterday, a lead 2 days 23 hours ago (within 3 days)
select tests.create_coach('state-active@example.com') as active \gset
-- quiet: signed in, its lead created 10 days ago, its last message 3 days and 1 hour ago
select tests.create_coach('state-quiet@example.com') as quiet \gset
-- never: signed in, nothing received yet
select tests.create_coach('state-never@example.com') as never \gset
update auth.users set last_sign_in_at = now() - interval '1 day'
where id in (:'active', :'quiet', :'never');
insert into public.leads (id, coach_id, user_id_instagram, created_at) values
    ('b1000000-0000-4000-8000-0000000000b1', :'invited', 'state_1', now() - interval '1 hour'),
    ('b1000000-0000-4000-8000-0000000000b2', :'active', 'state_2', now() - interval '2 days 23 hours'),
    ('b1000000-0000-4000-8000-0000000000b3', :'quiet', 'state_3', now() - interval '10 days');
-- the quiet coach's lead last wrote 3 days and 1 hour ago (the triggers keep leads.last_contact_at from the messages)
insert into public.messages (lead_id, coach_id, direction, text, created_at) values
    ('b1000000-0000-4000-8000-0000000000b3', :'quiet', 'in', 'coucou', now() - interval '3 days 1 hour');

select tests.authenticate_as(:'admin');
select results_eq(
    $$select email, account_state, lead_count, last_activity_at, last_sign_in_at from public.list_coaches()
      where email like 'state-%' order by email$$,
    $$values ('state-active@example.com'::text, 'active'::text, 1, now() - interval '2 days 23 hours', now() - interval '1 day'),
             ('state-invited@example.com', 'invited', 1, now() - interval '1 hour', null::timestamptz),
             ('state-legacy@example.com', 'legacy', 0, null, null),
             ('state-never@example.com', 'no_data', 0, null, now() - interval '1 day'),
             ('state-quiet@example.com', 'no_data', 1, now() - interval '3 days 1 hour', now() - interval '1 day')$$,
    'each coach''s state: active, invited, legacy, and no data for 3 days (since its last activity) or ever');
select is((select account_state from public.list_coaches() where email = 'lucas@example.com'), 'legacy',
    'the seed''s legacy coach without an account is marked legacy');

-- signing in makes an invited coach active (its lead is an hour old)
select tests.clear_authentication();
update auth.users set last_sign_in_at = now() where id = :'invited';
select tests.authenticate_as(:'admin');
select is((select account_state from public.list_coaches() where coach_id = :'invited'), 'active',
    'an invited coach who signs in with recent data is active');

select tests.authenticate_as_service_role();
select is((select account_state from public.list_coaches() where coach_id = :'quiet'), 'no_data',
    'the service role reads the states too');

select tests.authenticate_as(:'active');
select throws_ok('select * from public.list_coaches()', '42501', 'permission denied: only an admin can list the coaches',
    'a coach cannot list the coaches (nor their accounts)');
select tests.authenticate_as_anon();
select throws_ok('select * from public.list_coaches()', '42501', 'permission denied for function list_coaches',
    'anon cannot list coaches');

select * from finish();
rollback;
