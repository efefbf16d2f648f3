-- Stored period documents are kept while the clock passes nothing that changes them (private.kpi_documents_current):
-- a period cut at the time of day keeps its numbers until the cut passes an event of its cut day (cut_at,
-- cut_event_at), and get_dashboard then serves it with the cut now, equal to the document computed now; the upkeep
-- computes it again once the cut passed an event; all is kept while the setter cost counts the same 30-day periods.
-- The coach lives where it is about noon (tests.midday_timezone()): an hour before or after now yesterday is yesterday.
-- now() is the transaction's: the documents are aged by moving their cut and computing time back.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(10);
\ir helpers/auth.psql

select tests.midday_timezone() as tz \gset
select tests.create_coach('kpi-kept@example.com', :'tz') as coach \gset
select tests.authenticate_as_service_role();
-- yesterday: a lead contacted two hours before the time of day now (before the cut of today's previous period) and
-- one an hour after it; 31 days ago the first lead (the setter cost of all counts two 30-day periods)
select public.ingest_messages(jsonb_build_array(
    jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'kept_old', 'external_id', 'k0', 'direction', 'out',
        'text', 'Salut', 'created_at', now() - interval '31 days'),
    jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'kept_1', 'external_id', 'k1', 'direction', 'out',
        'text', 'Salut', 'created_at', now() - interval '1 day 2 hours'),
    jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'kept_2', 'external_id', 'k2', 'direction', 'out',
        'text', 'Salut', 'created_at', now() - interval '1 day' + interval '1 hour'))) is not null as ingested;
select tests.clear_authentication();
select private.kpi_upkeep() is not null as upkeep;
select (now() at time zone :'tz')::date as today \gset
update public.coach_settings set setter_monthly_cost = 300 where coach_id = :'coach';
select private.kpi_refresh_documents(:'coach') = 5 as refreshed;

select is((select d.cut_event_at from private.kpi_documents as d where d.coach_id = :'coach' and d.period = 'today'),
    (select m.created_at from public.messages as m where m.coach_id = :'coach' and m.external_id = 'k2'),
    'today''s previous period is cut now, and the first event of its day after the cut is kept_2''s DM');

-- 1. Computed 30 minutes ago, with no event of the cut day between its cut and the cut now: kept, served with the cut now
update private.kpi_documents as d
set computed_at = now() - interval '30 minutes', cut_at = d.cut_at - interval '30 minutes',
    cut_event_at = private.kpi_cut_next_event(d.coach_id, (d.cut_at at time zone :'tz')::date, d.cut_at - interval '30 minutes')
where d.coach_id = :'coach' and d.period <> 'all';
update private.kpi_documents as d set computed_at = now() - interval '30 minutes'
where d.coach_id = :'coach' and d.period = 'all';
select ok(private.kpi_documents_current(:'coach', :'today'),
    'documents computed 30 minutes ago whose cut passed no event since are current');
select is(public.get_dashboard(:'coach', 'today') #>> '{period,previous,until}',
    to_char((((:'today'::date - 1) + date_trunc('second', (now() at time zone :'tz')::time)::time) at time zone :'tz')
        at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    'get_dashboard serves the stored document with the cut now');
select is(public.get_dashboard(:'coach', 'today') - 'last_updated',
    private.kpi_period_document(:'coach', private.kpi_resolve_period(:'coach', 'today', null, null)) - 'last_updated',
    'and it equals the document computed now (today)');
select is(public.get_dashboard(:'coach', '7d') - 'last_updated',
    private.kpi_period_document(:'coach', private.kpi_resolve_period(:'coach', '7d', null, null)) - 'last_updated',
    'and it equals the document computed now (7d)');
select is(public.get_dashboard(:'coach', 'all') - 'last_updated',
    private.kpi_period_document(:'coach', private.kpi_resolve_period(:'coach', 'all', null, null)) - 'last_updated',
    'and it equals the document computed now (all)');

-- 2. A cut three hours back: kept_1's DM lies between it and the cut now; the pass computes the documents again
update private.kpi_documents as d
set cut_at = d.cut_at - interval '150 minutes',
    cut_event_at = private.kpi_cut_next_event(d.coach_id, (d.cut_at at time zone :'tz')::date, d.cut_at - interval '150 minutes')
where d.coach_id = :'coach' and d.period = 'today';
select ok(not private.kpi_documents_current(:'coach', :'today'),
    'a document whose cut passed an event of its cut day since, computed more than 5 minutes ago, is not current');
select private.kpi_upkeep() is not null as upkeep;
select is((select d.computed_at from private.kpi_documents as d where d.coach_id = :'coach' and d.period = 'today'), now(),
    'the upkeep computed it again');

-- 3. all: kept while the setter cost counts the same 30-day periods since the first lead (31 days ago: two)
update private.kpi_documents as d set computed_at = now() - interval '30 minutes'
where d.coach_id = :'coach' and d.period = 'all';
select ok(private.kpi_documents_current(:'coach', :'today'), 'all computed 30 minutes ago: the same two 30-day periods');
update private.kpi_documents as d set computed_at = now() - interval '2 days'
where d.coach_id = :'coach' and d.period = 'all';
select ok(not private.kpi_documents_current(:'coach', :'today'),
    'all computed two days ago (one 30-day period then, two now) is not current');

select * from finish();
rollback;
