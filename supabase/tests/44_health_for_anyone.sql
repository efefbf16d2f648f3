-- health(): anyone may call it and learns only what a load balancer needs (ok, database ok, age of the data and of the
-- KPI upkeep's last pass; pgTAP 47 for the upkeep): no pg_cron
-- job names, schedules or runs, nothing per coach. It runs as security invoker: no security definer function of the
-- exposed schema is executable by anon (splinter: anon_security_definer_function_executable).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(10);
\ir helpers/auth.psql

select public.refresh_dashboard_kpis() is not null as refreshed;
select id as julie from auth.users where email = 'julie@example.com' \gset

select tests.authenticate_as_anon();
select is((select array_agg(k order by k) from jsonb_object_keys(public.health()) as k),
    array['checked_at', 'dashboard_kpis_age_seconds', 'dashboard_kpis_refreshed_at', 'database', 'kpi_upkeep_age_seconds',
        'kpi_upkeep_last_pass_at', 'ok'],
    'anon gets ok, database, checked_at, the age of the data and of the upkeep''s last pass, nothing else');
select is(public.health() ->> 'database', 'ok', 'anon: the database is ok');
select ok((public.health() ->> 'dashboard_kpis_age_seconds')::numeric between 0 and 60, 'anon: the age of the data');
select ok(public.health()::text !~ '(refresh-dashboard-kpis|rebuild-kpi-daily|kpi-upkeep|reconcile-kpi-facts|\*/5|cron)',
    'no pg_cron job name or schedule');
select ok(public.health()::text !~ 'c0000000', 'nothing per coach');

select tests.authenticate_as(:'julie');
select is((select count(*)::int from jsonb_object_keys(public.health())), 7, 'a signed-in coach gets the same seven keys');
select tests.clear_authentication();

select is((select prosecdef from pg_catalog.pg_proc where oid = 'public.health()'::regprocedure), false,
    'health() is security invoker');
select is(
    (select proconfig from pg_catalog.pg_proc where oid = 'private.dashboard_kpis_refreshed_at()'::regprocedure),
    array['search_path=""'], 'its privileged read is a security definer function of private with an empty search_path');
select is(
    (select coalesce(array_agg(p.oid::regprocedure::text order by 1), '{}') from pg_catalog.pg_proc as p
     where p.pronamespace = 'public'::regnamespace and p.prosecdef and has_function_privilege('anon', p.oid, 'execute')),
    '{}'::text[], 'no security definer function of public is executable by anon');
select ok(not has_table_privilege('anon', 'private.coach_dashboard_kpis', 'select')
    and not has_schema_privilege('anon', 'private', 'usage') and not has_schema_privilege('authenticated', 'private', 'usage'),
    'the API roles still have no right on private: no usage, no read of the materialized view');

select * from finish();
rollback;
