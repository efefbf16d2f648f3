-- Deleting a coach first takes the KPI facts writers' advisory lock (the BEFORE DELETE statement trigger of
-- 20261201180958), whoever deletes: the admin's service_role as the postgres owner. The deadlock it prevents needs two
-- sessions: tests/db/coach-delete-lock.test.js.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(6);

select has_trigger('public', 'coachs', 'coachs_kpi_lock_before_delete', 'coachs has the lock trigger');
select trigger_is('public', 'coachs', 'coachs_kpi_lock_before_delete', 'private', 'kpi_lock_before_coach_delete',
    'it calls private.kpi_lock_before_coach_delete()');
select is((select (t.tgtype & 2 = 2, t.tgtype & 1 = 0, t.tgtype & 8 = 8)::text
           from pg_catalog.pg_trigger as t where t.tgname = 'coachs_kpi_lock_before_delete'),
    '(t,t,t)', 'before, for each statement, on delete');

insert into public.coachs (id, name, email) values
    ('0c0c0c0c-0000-4000-8000-0000000050a1', 'Lock A', 'lock-a@example.com'),
    ('0c0c0c0c-0000-4000-8000-0000000050a2', 'Lock B', 'lock-b@example.com');

set local role service_role;
select lives_ok($$delete from public.coachs where id = '0c0c0c0c-0000-4000-8000-0000000050a1'$$,
    'service_role deletes a coach (the trigger function runs as its owner)');
reset role;

select ok(exists (select 1 from pg_catalog.pg_locks as l
                  where l.pid = pg_catalog.pg_backend_pid() and l.locktype = 'advisory' and l.granted
                    and l.objid = (private.kpi_upkeep_lock() & 4294967295)::oid),
    'the delete holds the facts writers'' advisory lock until the transaction ends');

set local role authenticated;
select throws_ok($$select private.kpi_lock_before_coach_delete()$$, '42501',
    'permission denied for schema private', 'a coach cannot call the trigger function');
reset role;

select * from finish();
rollback;
