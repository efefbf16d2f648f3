-- refresh_dashboard_kpis() runs as security invoker (splinter: authenticated_security_definer_function_executable);
-- its caller check lives in a security definer function of private, which anon cannot execute.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(6);
\ir helpers/auth.psql
select id as julie from auth.users where email = 'julie@example.com' \gset
select id as admin from auth.users where email = 'admin@example.com' \gset

select is((select prosecdef from pg_catalog.pg_proc where oid = 'public.refresh_dashboard_kpis()'::regprocedure), false,
    'public.refresh_dashboard_kpis() is security invoker');
select is(
    (select array[prosecdef::text, array_to_string(proconfig, ',')] from pg_catalog.pg_proc
     where oid = 'private.refresh_dashboard_kpis_if_allowed()'::regprocedure),
    array['true', 'search_path=""'], 'the entry point in private is security definer with an empty search_path');
select ok(not has_function_privilege('anon', 'private.refresh_dashboard_kpis_if_allowed()', 'execute')
    and not has_function_privilege('anon', 'public.refresh_dashboard_kpis()', 'execute'), 'anon may execute neither');

select tests.authenticate_as(:'julie');
select throws_ok($$select public.refresh_dashboard_kpis()$$, '42501',
    'permission denied: only an admin or the service role can refresh the dashboard', 'a coach is refused by the check');
select tests.authenticate_as(:'admin');
select ok(public.refresh_dashboard_kpis() is not null, 'an admin refreshes');
select tests.authenticate_as_service_role();
select ok(public.refresh_dashboard_kpis() is not null, 'the service role refreshes');

select * from finish();
rollback;
