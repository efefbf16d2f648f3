-- get_dashboard_version() by actor, and what moves its version: a coach reads its own (an admin anyone's, the
-- service role any coach it names), anon nothing; the version is the time the upkeep last computed the coach's
-- documents (epoch microseconds), then its settings version; last_updated is the upkeep's last pass. Documents and
-- passes are written by hand at fixed times, so the expected values are counted by hand.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(17);
\ir helpers/auth.psql

select tests.create_coach('version-a@example.com') as a \gset
select tests.create_coach('version-b@example.com') as b \gset
select tests.create_coach('version-new@example.com') as fresh \gset
select tests.create_user('version-admin@example.com', '{"role": "admin"}') as admin \gset
-- A's documents were last computed on 2026-03-05 at 09:59 UTC (1772704740 s), B's on 2026-03-04 at 08:00 (1772611200 s);
-- the coach "fresh" has none yet. The upkeep's last pass: 10:00.
insert into private.kpi_documents (coach_id, period, day, document, computed_at) values
    (:'a', '30d', '2026-03-05', '{}', '2026-03-05 09:58:00+00'),
    (:'a', '7d', '2026-03-05', '{}', '2026-03-05 09:59:00+00'),
    (:'b', '30d', '2026-03-04', '{}', '2026-03-04 08:00:00+00');
update private.kpi_upkeep_state set last_pass_at = '2026-03-05 10:00:00+00';
-- each coach's settings version (the engine's private.kpi_settings_version), read as the test's own session
select private.kpi_settings_version(:'a') as settings_a, private.kpi_settings_version(:'b') as settings_b,
    private.kpi_settings_version(:'fresh') as settings_fresh \gset

select tests.authenticate_as_anon();
select throws_ok($$select public.get_dashboard_version()$$, '42501', 'permission denied for function get_dashboard_version',
    'anon cannot read a version');

select tests.authenticate_as(:'a');
select is((select array_agg(k order by k) from jsonb_object_keys(public.get_dashboard_version()) as k),
    array['last_updated', 'now', 'version'], 'the version document has exactly version, last_updated and now');
select is(public.get_dashboard_version() ->> 'version', '1772704740000000/' || :'settings_a',
    'coach A: the time its documents were last computed, then its settings version');
select is((public.get_dashboard_version() ->> 'last_updated')::timestamptz, '2026-03-05 10:00:00+00'::timestamptz,
    'last_updated is the upkeep''s last pass');
select is((public.get_dashboard_version() ->> 'now')::timestamptz, now(), 'now is the server''s clock');
select is(public.get_dashboard_version(:'a'), public.get_dashboard_version(), 'coach A names itself: the same');
select throws_ok(format('select public.get_dashboard_version(%L)', :'b'), '42501',
    'permission denied: a coach can only read its own dashboard', 'coach A cannot read coach B''s version');

select tests.authenticate_as(:'b');
select is(public.get_dashboard_version() ->> 'version', '1772611200000000/' || :'settings_b',
    'coach B reads its own version');

select tests.authenticate_as(:'fresh');
select is(public.get_dashboard_version() ->> 'version', (:'settings_fresh')::text,
    'a coach whose documents are not computed yet: its settings version alone');

select tests.authenticate_as(:'admin');
select is(public.get_dashboard_version(:'a') ->> 'version', '1772704740000000/' || :'settings_a',
    'an admin reads any coach''s version');
select throws_ok($$select public.get_dashboard_version('00000000-0000-4000-8000-0000000000ff')$$, 'PT404', 'coach not found',
    'an unknown coach: PT404 (404 through PostgREST)');

select tests.authenticate_as_service_role();
select is(public.get_dashboard_version(:'b') ->> 'version', '1772611200000000/' || :'settings_b',
    'the service role reads the coach it names');
select throws_ok($$select public.get_dashboard_version()$$, '22004',
    'coach_id is required: sign in as a coach or pass a coach id', 'the service role must name a coach');

-- saving a setting moves the version at once, before any pass; B's does not move
select tests.clear_authentication();
select public.get_dashboard_version(:'a') ->> 'version' as before_a, public.get_dashboard_version(:'b') ->> 'version' as before_b \gset
update public.coach_settings set setter_monthly_cost = 512 where coach_id = :'a';
select isnt(public.get_dashboard_version(:'a') ->> 'version', :'before_a', 'a saved setting moves the version at once');
select is(public.get_dashboard_version(:'b') ->> 'version', :'before_b', 'another coach''s version stays');

-- a new lead of A, counted by an upkeep pass: its documents are computed again now, so the version is now's
insert into public.leads (coach_id, user_id_instagram, created_at) values (:'a', 'version_lead_1', now() - interval '1 hour');
select private.kpi_upkeep();
select is(public.get_dashboard_version(:'a') ->> 'version',
    ((extract(epoch from now()) * 1000000)::bigint)::text || '/' || private.kpi_settings_version(:'a'),
    'an upkeep pass that counted A''s new lead moves A''s version to its own time');

update private.kpi_upkeep_state set last_pass_at = null;
select is(public.get_dashboard_version(:'a') -> 'last_updated', 'null'::jsonb, 'last_updated is null before any pass');

select * from finish();
rollback;
