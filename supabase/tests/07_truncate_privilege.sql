-- TRUNCATE ignores row level security, so the API roles must not hold it on any public table.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(5);
\ir helpers/auth.psql

select is(
    (select coalesce(array_agg(grantee || ':' || table_name order by 1), '{}') from information_schema.table_privileges
     where table_schema = 'public' and privilege_type = 'TRUNCATE' and grantee in ('anon', 'authenticated')),
    '{}'::text[],
    'anon and authenticated hold TRUNCATE on no public table'
);

create table public.truncate_probe (id int);
select is(
    (select count(*)::int from information_schema.table_privileges
     where table_schema = 'public' and table_name = 'truncate_probe' and privilege_type = 'TRUNCATE'
        and grantee in ('anon', 'authenticated')),
    0,
    'a table created later does not give TRUNCATE to the API roles either'
);
select ok(
    has_table_privilege('authenticated', 'public.truncate_probe', 'select'),
    'the other default privileges are unchanged'
);
drop table public.truncate_probe;

select tests.create_user('trunc@example.com') as user_id \gset
select tests.authenticate_as_anon();
select throws_ok('truncate public.messages', '42501', 'permission denied for table messages', 'anon cannot truncate messages');
select tests.authenticate_as(:'user_id');
select throws_ok('truncate public.leads cascade', '42501', 'permission denied for table leads', 'a signed-in user cannot truncate leads');

select * from finish();
rollback;
