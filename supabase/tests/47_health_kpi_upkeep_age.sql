-- health() tells anyone the age of the KPI upkeep's last pass (private.kpi_upkeep_state.last_pass_at) and says
-- ok = false when that pass is more than 60 s old or never happened; anon, a coach and the service role get the same
-- global keys, nothing per coach, and none of them may read the upkeep's state itself.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(16);
\ir helpers/auth.psql

select tests.create_coach('health-upkeep@example.com') as coach \gset
-- the upkeep's lock for this transaction: pg_cron's passes wait instead of writing the state row set below
select private.kpi_upkeep() is not null as settled;

-- a pass 3 s ago (the job runs one every 5 s)
update private.kpi_upkeep_state set last_pass_at = clock_timestamp() - interval '3 seconds'
returning last_pass_at as pass_at \gset

-- anon
select tests.authenticate_as_anon();
select ok((public.health() ->> 'kpi_upkeep_age_seconds')::numeric between 3 and 5, 'anon: the age of the last upkeep pass, in seconds');
select is((public.health() ->> 'kpi_upkeep_last_pass_at')::timestamptz, :'pass_at'::timestamptz, 'anon: the time of the last upkeep pass');
select is(public.health() -> 'ok', 'true'::jsonb, 'anon: ok while the upkeep is fresh');
select throws_ok('select last_pass_at from private.kpi_upkeep_state', '42501', 'permission denied for schema private',
    'anon cannot read the upkeep''s state itself');
select ok(public.health()::text !~ :'coach', 'anon: nothing per coach');
select tests.clear_authentication();

-- coach A
select tests.authenticate_as(:'coach');
select ok((public.health() ->> 'kpi_upkeep_age_seconds')::numeric between 3 and 5, 'a coach gets the same age');
select is((select count(*)::int from jsonb_object_keys(public.health())), 7, 'a coach gets the same seven keys as anon');
select throws_ok('select private.kpi_upkeep_last_pass_at()', '42501', 'permission denied for schema private',
    'a coach cannot call the private function through the API (no usage on private)');
select tests.clear_authentication();

-- service_role
select tests.authenticate_as_service_role();
select is(public.health() -> 'ok', 'true'::jsonb, 'service_role: ok while the upkeep is fresh');
select tests.clear_authentication();

-- stale: the threshold is 60 s
update private.kpi_upkeep_state set last_pass_at = clock_timestamp() - interval '55 seconds';
select tests.authenticate_as_anon();
select is(public.health() -> 'ok', 'true'::jsonb, 'a pass 55 s ago is not stale (the job restarts every minute)');
select tests.clear_authentication();

update private.kpi_upkeep_state set last_pass_at = clock_timestamp() - interval '65 seconds';
select tests.authenticate_as_anon();
select is(public.health() -> 'ok', 'false'::jsonb, 'a pass 65 s ago is stale: ok = false');
select ok((public.health() ->> 'kpi_upkeep_age_seconds')::numeric between 65 and 67, 'and the age says how late');
select is(public.health() ->> 'database', 'ok', 'the database itself still answers ok');
select tests.clear_authentication();

update private.kpi_upkeep_state set last_pass_at = null;
select tests.authenticate_as_anon();
select is(public.health() - 'checked_at' - 'dashboard_kpis_refreshed_at' - 'dashboard_kpis_age_seconds',
    '{"ok": false, "database": "ok", "kpi_upkeep_last_pass_at": null, "kpi_upkeep_age_seconds": null}'::jsonb,
    'no pass yet (a fresh database before its first upkeep): ok = false, no age');
select tests.clear_authentication();

-- a real pass makes it fresh again
select private.kpi_upkeep() is not null as upkeep;
select tests.authenticate_as_anon();
select is(public.health() -> 'ok', 'true'::jsonb, 'after one upkeep pass: ok again');
select tests.clear_authentication();

select is(
    (select proconfig from pg_catalog.pg_proc where oid = 'private.kpi_upkeep_last_pass_at()'::regprocedure),
    array['search_path=""'], 'the privileged read is a security definer function of private with an empty search_path');

select * from finish();
rollback;
