-- RLS as a matrix: anon, coach A, coach B, admin and service_role x select/insert/update/delete on every table.
-- Coaches see only their own rows and change nothing; the admin (app_metadata) reads all and changes nothing;
-- service_role writes. Every write is attempted for real and undone (tests.try_write).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(155);
\ir helpers/auth.psql

-- Fixture: two coaches with one lead each and a conversation, an admin, and a user who claims admin in user_metadata.
select tests.create_user('rls-a@example.com', '{}', 'a1a1a1a1-0000-4000-8000-000000000001');
select tests.create_user('rls-b@example.com', '{}', 'b2b2b2b2-0000-4000-8000-000000000002');
select tests.create_user('rls-admin@example.com', '{"role": "admin"}', 'ad000000-0000-4000-8000-000000000003');
select tests.create_user('rls-fake@example.com', '{}', 'fa000000-0000-4000-8000-000000000004');
update auth.users set raw_user_meta_data = '{"role": "admin"}' where id = 'fa000000-0000-4000-8000-000000000004';
insert into public.coachs (id, name, email) values
    ('a1a1a1a1-0000-4000-8000-000000000001', 'Coach A', 'rls-a@example.com'),
    ('b2b2b2b2-0000-4000-8000-000000000002', 'Coach B', 'rls-b@example.com');
insert into public.leads (id, coach_id, user_id_instagram, status) values
    ('a1000000-0000-4000-8000-0000000000a1', 'a1a1a1a1-0000-4000-8000-000000000001', 'rls_ig_a', 'new'),
    ('b2000000-0000-4000-8000-0000000000b2', 'b2b2b2b2-0000-4000-8000-000000000002', 'rls_ig_b', 'new');
update public.leads set status = 'engaged' where user_id_instagram in ('rls_ig_a', 'rls_ig_b');
insert into public.messages (lead_id, coach_id, direction, text, created_at) values
    ('a1000000-0000-4000-8000-0000000000a1', 'a1a1a1a1-0000-4000-8000-000000000001', 'out', 'hello A', now() - interval '2 hours'),
    ('a1000000-0000-4000-8000-0000000000a1', 'a1a1a1a1-0000-4000-8000-000000000001', 'in', 'hi', now() - interval '1 hour'),
    ('b2000000-0000-4000-8000-0000000000b2', 'b2b2b2b2-0000-4000-8000-000000000002', 'out', 'hello B', now() - interval '2 hours');
insert into public.kpi_daily (coach_id, date) values
    ('a1a1a1a1-0000-4000-8000-000000000001', current_date),
    ('b2b2b2b2-0000-4000-8000-000000000002', current_date);

create temporary table rls_tables (name text primary key, touch text, insert_sql text) on commit drop;
grant select on rls_tables to anon, authenticated, service_role;
insert into rls_tables values
    ('coachs', 'name = name',
        $$insert into public.coachs (name, email) values ('Intrus', 'intrus@example.com')$$),
    ('coach_settings', 'currency = currency',
        $$insert into public.coach_settings (coach_id) values ('a1a1a1a1-0000-4000-8000-000000000001')
          on conflict (coach_id) do update set currency = 'USD'$$),
    ('leads', 'first_name = first_name',
        $$insert into public.leads (coach_id, user_id_instagram) values ('a1a1a1a1-0000-4000-8000-000000000001', 'rls_new')$$),
    ('lead_status_events', 'to_status = to_status',
        $$insert into public.lead_status_events (lead_id, coach_id, to_status)
          values ('a1000000-0000-4000-8000-0000000000a1', 'a1a1a1a1-0000-4000-8000-000000000001', 'qualified')$$),
    ('messages', 'text = text',
        $$insert into public.messages (lead_id, coach_id, direction, text)
          values ('a1000000-0000-4000-8000-0000000000a1', 'a1a1a1a1-0000-4000-8000-000000000001', 'out', 'rls')$$),
    ('message_sequences', 'call_booked_at = call_booked_at',
        $$insert into public.message_sequences (lead_id, coach_id)
          values ('a1000000-0000-4000-8000-0000000000a1', 'a1a1a1a1-0000-4000-8000-000000000001')
          on conflict (lead_id) do update set call_booked_at = null$$),
    ('kpi_daily', 'total_dms = total_dms',
        $$insert into public.kpi_daily (coach_id, date) values ('a1a1a1a1-0000-4000-8000-000000000001', current_date - 1)$$);

-- anon: sees nothing, writes nothing
select tests.authenticate_as_anon();
select is(tests.visible_coach_ids(name), '{}'::uuid[], 'anon selects no row of ' || name) from rls_tables order by name;
select is(tests.try_write(insert_sql), 'error:42501', 'anon cannot insert into ' || name) from rls_tables order by name;
select is(tests.try_write(format('update public.%I set %s', name, touch)), 'rows:0', 'anon updates no row of ' || name)
from rls_tables order by name;
select is(tests.try_write(format('delete from public.%I', name)), 'rows:0', 'anon deletes no row of ' || name)
from rls_tables order by name;

-- coach A: sees only its own rows, changes nothing (the dashboard is read-only)
select tests.authenticate_as('a1a1a1a1-0000-4000-8000-000000000001');
select is(tests.visible_coach_ids(name), '{a1a1a1a1-0000-4000-8000-000000000001}'::uuid[], 'coach A sees only its own ' || name)
from rls_tables order by name;
select is(tests.try_write(insert_sql), 'error:42501', 'coach A cannot insert into ' || name) from rls_tables order by name;
select is(tests.try_write(format('update public.%I set %s', name, touch)), 'rows:0', 'coach A updates no row of ' || name)
from rls_tables order by name;
select is(tests.try_write(format('delete from public.%I', name)), 'rows:0', 'coach A deletes no row of ' || name)
from rls_tables order by name;

-- coach B: the mirror image, and nothing of A's even when asked by id
select tests.authenticate_as('b2b2b2b2-0000-4000-8000-000000000002');
select is(tests.visible_coach_ids(name), '{b2b2b2b2-0000-4000-8000-000000000002}'::uuid[], 'coach B sees only its own ' || name)
from rls_tables order by name;
select is(tests.try_write(insert_sql), 'error:42501', 'coach B cannot insert A''s rows into ' || name) from rls_tables order by name;
select is(tests.try_write(format('update public.%I set %s', name, touch)), 'rows:0', 'coach B updates no row of ' || name)
from rls_tables order by name;
select is(tests.try_write(format('delete from public.%I', name)), 'rows:0', 'coach B deletes no row of ' || name)
from rls_tables order by name;
select is((select count(*)::int from public.leads where id = 'a1000000-0000-4000-8000-0000000000a1'), 0,
    'coach B cannot read coach A''s lead by its id');
select is((select count(*)::int from public.messages where lead_id = 'a1000000-0000-4000-8000-0000000000a1'), 0,
    'coach B cannot read coach A''s messages by lead id');

-- admin (app_metadata.role = admin): reads every coach's rows, changes nothing through the API
select tests.authenticate_as('ad000000-0000-4000-8000-000000000003');
select ok(tests.visible_coach_ids(name) @> '{a1a1a1a1-0000-4000-8000-000000000001, b2b2b2b2-0000-4000-8000-000000000002}'::uuid[],
    'admin reads both coaches'' ' || name)
from rls_tables order by name;
select is(tests.try_write(insert_sql), 'error:42501', 'admin cannot insert into ' || name) from rls_tables order by name;
select is(tests.try_write(format('update public.%I set %s', name, touch)), 'rows:0', 'admin updates no row of ' || name)
from rls_tables order by name;
select is(tests.try_write(format('delete from public.%I', name)), 'rows:0', 'admin deletes no row of ' || name)
from rls_tables order by name;

-- a user who writes role=admin into its own user_metadata is not an admin
select tests.authenticate_as('fa000000-0000-4000-8000-000000000004');
select is(tests.visible_coach_ids(name), '{}'::uuid[], 'user_metadata.role = admin grants nothing on ' || name)
from rls_tables order by name;
select is(public.is_admin(), false, 'is_admin() ignores user_metadata');

-- service_role (n8n, edge functions): bypasses RLS, reads and writes everything
select tests.authenticate_as_service_role();
select ok(tests.visible_coach_ids(name) @> '{a1a1a1a1-0000-4000-8000-000000000001, b2b2b2b2-0000-4000-8000-000000000002}'::uuid[],
    'service_role reads both coaches'' ' || name)
from rls_tables order by name;
select is(tests.try_write(insert_sql), 'rows:1', 'service_role inserts into ' || name) from rls_tables order by name;
select ok(tests.try_write(format('update public.%I set %s where %s = %L', name, touch,
        case name when 'coachs' then 'id' else 'coach_id' end, 'a1a1a1a1-0000-4000-8000-000000000001')) ~ '^rows:[1-9]',
    'service_role updates ' || name)
from rls_tables order by name;
select ok(tests.try_write(format('delete from public.%I where %s = %L', name,
        case name when 'coachs' then 'id' else 'coach_id' end, 'a1a1a1a1-0000-4000-8000-000000000001')) ~ '^rows:[1-9]',
    'service_role deletes from ' || name)
from rls_tables order by name;

-- auth.users stays private to the platform
select tests.authenticate_as('a1a1a1a1-0000-4000-8000-000000000001');
select throws_ok('select * from auth.users', '42501', 'permission denied for table users',
    'a coach cannot read auth.users');
select tests.authenticate_as_anon();
select throws_ok('select * from auth.users', '42501', 'permission denied for table users',
    'anon cannot read auth.users');

-- every table has RLS and one policy per command and role: only select policies exist for authenticated
select tests.clear_authentication();
select is(
    (select array_agg(distinct cmd::text) from pg_policies where schemaname = 'public'),
    array['SELECT'],
    'the only policies in public are select policies (writes go through service_role)'
);
select is(
    (select count(*)::int from pg_policies where schemaname = 'public' and roles <> '{authenticated}'),
    0,
    'every policy targets the authenticated role only (anon has none)'
);

select is(
    (select coalesce(array_agg(tablename || ':' || cmd), '{}') from (
        select tablename, cmd from pg_policies where schemaname = 'public'
        group by tablename, cmd, roles having count(*) > 1) as dup),
    '{}'::text[],
    'one policy per table, command and role (no overlapping permissive policies)'
);

select * from finish();
rollback;
