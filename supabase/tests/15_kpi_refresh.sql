-- The refresh: it moves last_updated and picks up new rows; until then the materialized view keeps its values.
-- Only an admin or the service role may trigger it; pg_cron runs it every 5 minutes.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(9);
\ir helpers/auth.psql

select tests.create_coach('kpi-refresh@example.com') as coach \gset
select tests.create_user('kpi-refresh-admin@example.com', '{"role": "admin"}') as admin \gset
insert into public.leads (coach_id, user_id_instagram, status) values (:'coach', 'refresh_1', 'new');

-- the view reads the incremental facts: an upkeep pass first
select private.kpi_upkeep() is not null as upkeep;
select public.refresh_dashboard_kpis() as first_refresh \gset
select tests.authenticate_as(:'coach');
select public.get_dashboard() as before \gset
select is(:'before'::jsonb #>> '{activity,total_leads}', '1', 'after a refresh the view holds the coach''s one lead');
select is((:'before'::jsonb ->> 'last_updated')::timestamptz, :'first_refresh'::timestamptz,
    'last_updated is the refresh time');

select tests.clear_authentication();
insert into public.leads (coach_id, user_id_instagram, status) values (:'coach', 'refresh_2', 'new'), (:'coach', 'refresh_3', 'new');
select private.kpi_upkeep() is not null as upkeep;
select tests.authenticate_as(:'coach');
select is(public.get_dashboard() #>> '{activity,total_leads}', '1', 'new rows wait for the next refresh (the view is stale)');
select is(public.get_dashboard() #>> '{activity,leads_today}', '3', 'leads_today follows the upkeep (a pass every 5 s), not the view''s refresh');

select throws_ok($$select public.refresh_dashboard_kpis()$$, '42501',
    'permission denied: only an admin or the service role can refresh the dashboard', 'a coach cannot trigger a refresh');
select tests.authenticate_as(:'admin');
select lives_ok($$select public.refresh_dashboard_kpis()$$, 'an admin can trigger a refresh');
select tests.authenticate_as_service_role();
select lives_ok($$select public.refresh_dashboard_kpis()$$, 'the service role can trigger a refresh');

select tests.authenticate_as(:'coach');
select public.get_dashboard() as after \gset
select is(:'after'::jsonb #>> '{activity,total_leads}', '3', 'after the refresh the values include the new rows');
select cmp_ok((:'after'::jsonb ->> 'last_updated')::timestamptz, '>', (:'before'::jsonb ->> 'last_updated')::timestamptz,
    'the refresh moved last_updated');

select * from finish();
rollback;
