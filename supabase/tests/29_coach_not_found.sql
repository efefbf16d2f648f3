-- An unknown coach id fails with SQLSTATE PT404 "coach not found" in every RPC that takes a coach id (PostgREST
-- answers a PTxyz code with HTTP xyz: 404, where P0002 was a 500), for the callers allowed to name any coach (an admin,
-- the service role) and for a signed-in user who has no coach row; a coach naming an id that is not its own gets 42501
-- whether that coach exists or not, so nothing tells a coach which ids exist.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(22);
\ir helpers/auth.psql

select tests.create_coach('not-found-coach@example.com') as coach \gset
select tests.create_user('not-found-admin@example.com', '{"role": "admin"}') as admin \gset
select gen_random_uuid() as nobody \gset

create temporary table calls (what text, sql text);
insert into calls values
    ('get_dashboard (legacy)', format('select public.get_dashboard(%L)', :'nobody')),
    ('get_dashboard (period)', format('select public.get_dashboard(%L, %L)', :'nobody', '30d')),
    ('get_kpi_leads', format('select public.get_kpi_leads(%L, %L)', 'activity.new_leads', :'nobody')),
    ('get_leads_to_followup', format('select public.get_leads_to_followup(%L)', :'nobody')),
    ('get_response_rates', format('select public.get_response_rates(%L, %L)', :'nobody', '7d')),
    ('get_top_sources', format('select public.get_top_sources(%L)', :'nobody')),
    ('get_top_professions', format('select public.get_top_professions(%L)', :'nobody')),
    ('get_coach_settings', format('select public.get_coach_settings(%L)', :'nobody'));
grant select on calls to authenticated, service_role;

-- an admin
select tests.authenticate_as(:'admin');
select throws_ok(c.sql, 'PT404', 'coach not found', 'admin, unknown coach: ' || c.what) from calls as c order by c.what;
-- the service role (n8n, edge functions)
select tests.authenticate_as_service_role();
select throws_ok(c.sql, 'PT404', 'coach not found', 'service_role, unknown coach: ' || c.what) from calls as c order by c.what;
-- a coach: another id, known or not, is refused before anything is looked up
select tests.authenticate_as(:'coach');
select throws_ok(format('select public.get_dashboard(%L, %L)', :'nobody', '30d'), '42501', null, 'a coach naming an unknown id: 42501');
select throws_ok(format('select public.get_kpi_leads(%L, %L)', 'activity.new_leads', :'nobody'), '42501', null,
    'a coach naming an unknown id in the drill-down: 42501');
-- a signed-in user without a coach row (an admin) and no id: "coach not found", not a server error
select tests.authenticate_as(:'admin');
select throws_ok($$select public.get_dashboard(period => 'today')$$, 'PT404', 'coach not found', 'an admin without a coach row, no id');
select throws_ok('select public.get_coach_settings()', 'PT404', 'coach not found', 'its settings, no id');
select throws_ok($$select public.get_kpi_leads('activity.new_leads')$$, 'PT404', 'coach not found', 'its drill-down, no id');
select tests.clear_authentication();

-- the PostgREST contract: PTxyz answers HTTP xyz (docs.postgrest.org, Errors), so the code must keep that shape
select is((select count(*)::int from pg_proc as p
           where p.oid in ('private.check_coach_access(uuid)'::regprocedure, 'private.coach_settings(uuid)'::regprocedure)
             and p.prosrc like '%PT404%' and p.prosrc not like '%P0002%'), 2,
    'both places that look a coach up raise PT404 and no longer P0002');

select * from finish();
rollback;
