-- The incremental upkeep: what the ingest path queues, one pass that brings period documents up to date (freshness),
-- passes that cost what changed, deletions and time zone changes, the reconciling walk repairing a write that
-- bypassed the triggers, the pg_cron jobs. The coach lives where it is about noon at the time of the run
-- (tests.midday_timezone()), so what was sent a few minutes ago is "today" for them whatever the time of day: a Paris
-- coach's today would have begun seconds earlier just after midnight in Paris.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(28);
\ir helpers/auth.psql

select tests.midday_timezone() as tz \gset
select tests.create_coach('kpi-upkeep@example.com', :'tz') as coach \gset
select private.kpi_upkeep() is not null as settled;

-- 1. Freshness: n8n sends a batch; the document counts it after one upkeep pass
select tests.authenticate_as_service_role();
select public.ingest_messages(jsonb_build_array(
    jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'fresh_1', 'external_id', 'f1', 'direction', 'out',
        'text', 'Salut', 'created_at', now() - interval '3 minutes'),
    jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'fresh_1', 'external_id', 'f2', 'direction', 'in',
        'text', 'Hello', 'created_at', now() - interval '2 minutes'),
    jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'fresh_2', 'external_id', 'f3', 'direction', 'out',
        'text', 'Salut', 'created_at', now() - interval '1 minute'))) is not null as ingested;
select tests.clear_authentication();
select cmp_ok((select count(*)::int from private.kpi_dirty_leads where lead_id in (
    select id from public.leads where coach_id = :'coach')), '>', 0, 'the ingest path queued the two leads');
select is(public.get_dashboard(:'coach', 'today') #> '{activity,messages_sent,value}', '0',
    'before the upkeep the facts do not have the messages yet');
select is((private.kpi_upkeep() ->> 'leads')::int, 2, 'one pass recomputes the two changed leads (and only them)');
select is(public.get_dashboard(:'coach', 'today') #> '{activity,messages_sent,value}', '2', 'after one pass: 2 DMs sent today');
select is(public.get_dashboard(:'coach', 'today') #> '{activity,new_leads,value}', '2', 'and 2 new leads today');
select is(public.get_dashboard(:'coach', 'today') #> '{reply_rates,0,rate}',
    '{"value": 50.0, "num": 1, "den": 2, "low_sample": true, "previous": {"value": null, "num": 0, "den": 0, "low_sample": true},
      "change_points": null, "comparable": false}', 'and DM 1 replied by fresh_1');
select is((public.get_dashboard(:'coach', '7d') ->> 'last_updated')::timestamptz, now(), 'last_updated is the pass''s time');
select is((select count(*)::int from private.kpi_dirty_leads where lead_id in (
    select id from public.leads where coach_id = :'coach')), 0, 'the pass drained the queue');
select is((private.kpi_upkeep() ->> 'leads')::int, 0, 'a pass with nothing queued recomputes nothing');
select is(public.get_dashboard(:'coach', 'all') #> '{pipeline,new_leads}', '2', 'the current pipeline: 2 new leads');

-- 2. A status change and a late message are counted where they belong
select tests.authenticate_as_service_role();
select public.ingest_lead(jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'fresh_2', 'status', 'qualified',
    'status_changed_at', now() - interval '30 seconds')) is not null as qualified;
select public.ingest_message(jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'fresh_1', 'external_id', 'f0',
    'direction', 'out', 'text', 'late', 'created_at', now() - interval '3 days')) is not null as late;
select tests.clear_authentication();
select private.kpi_upkeep() is not null as upkeep;
select is(public.get_dashboard(:'coach', 'today') #> '{qualification,qualified_leads,value}', '1', 'the qualification is counted today');
select is(public.get_dashboard(:'coach', '7d') #> '{activity,messages_sent,value}', '3', 'the late DM (3 days ago) counts in 7d');
select is(public.get_dashboard(:'coach', 'today') #> '{activity,new_leads,value}', '1',
    'fresh_1 now began 3 days ago: 1 new lead today');
select is(public.get_dashboard(:'coach', '7d') #> '{reply_rates,1,rate,num}', '1',
    'the late DM became DM 1 of fresh_1: the answer now belongs to DM 2');

-- 3. Deleting a lead takes its contributions away
delete from public.leads where coach_id = :'coach' and user_id_instagram = 'fresh_2';
select private.kpi_upkeep() is not null as upkeep;
select is(public.get_dashboard(:'coach', 'all') #> '{activity,new_leads,value}', '1', 'a deleted lead is no longer counted');
select is((select count(*)::int from private.lead_facts where coach_id = :'coach'), 1, 'its facts are gone');

-- 4. A time zone change moves every lead to its new local days: to Paris (yesterday 23:30 there is in the past at
-- any time of day), then to Tokyo
update public.coachs set timezone = 'Europe/Paris' where id = :'coach';
insert into public.leads (coach_id, user_id_instagram, created_at)
values (:'coach', 'tz_lead', (((now() at time zone 'Europe/Paris')::date - 1) + time '23:30') at time zone 'Europe/Paris');
select private.kpi_upkeep() is not null as upkeep;
select is(public.get_dashboard(:'coach', 'range', (now() at time zone 'Europe/Paris')::date - 1,
    (now() at time zone 'Europe/Paris')::date - 1) #> '{activity,new_leads,value}', '1', 'Paris: 23:30 yesterday is yesterday');
update public.coachs set timezone = 'Asia/Tokyo' where id = :'coach';
select private.kpi_upkeep() is not null as upkeep;
select is((select created_day from private.lead_facts as f join public.leads as l on l.id = f.lead_id where l.user_id_instagram = 'tz_lead'),
    (((((now() at time zone 'Europe/Paris')::date - 1) + time '23:30') at time zone 'Europe/Paris') at time zone 'Asia/Tokyo')::date,
    'Tokyo: the same instant is on its Tokyo day after the time zone change');

-- 5. A write that bypassed the triggers is repaired by the reconciling walk
set local session_replication_role = replica;
update public.leads set source = 'repaired_source' where coach_id = :'coach' and user_id_instagram = 'tz_lead';
set local session_replication_role = origin;
select private.kpi_upkeep() is not null as upkeep;
select is(public.get_dashboard(:'coach', 'all') #> '{activity,top_sources}', '[]', 'the triggers did not see it');
update private.kpi_upkeep_state set walk_cursor = null;
select cmp_ok(private.kpi_reconcile(100000), '>=', 2, 'one round of the walk recomputes every lead');
select is(public.get_dashboard(:'coach', 'all') #>> '{activity,top_sources,0,label}', 'repaired_source', 'the walk repaired it');

-- 6. Stored documents: what get_dashboard returns for a preset period is the document computed now
select is((select count(*)::int from private.kpi_documents where coach_id = :'coach'), 5, 'the 5 preset documents are stored');
select is((select count(*)::int from unnest(array['today', '7d', '30d', '90d', 'all']) as k
           where public.get_dashboard(:'coach', k) - 'last_updated'
               is distinct from private.kpi_period_document(:'coach', private.kpi_resolve_period(:'coach', k, null, null)) - 'last_updated'),
    0, 'each stored document equals the document computed now');
update public.coach_settings set minutes_per_manual_message = 6 where coach_id = :'coach';
select is((select count(*)::int from private.kpi_documents
            where coach_id = :'coach' and settings_version = private.kpi_settings_version(:'coach')), 0,
    'after a settings change no stored document is from the current settings');
select is(public.get_dashboard(:'coach', 'all') #> '{performance,time_saved,minutes_per_message}', '6',
    'and the next document shows the new setting at once');

-- 7. pg_cron: the upkeep every minute (a pass every 5 s inside), the reconciliation every 5 minutes
select is((select schedule || ' ' || command from cron.job where jobname = 'kpi-upkeep'), '* * * * * call private.kpi_upkeep_loop()',
    'the upkeep job');
select is((select schedule || ' ' || command from cron.job where jobname = 'reconcile-kpi-facts'),
    '*/5 * * * * select private.kpi_reconcile()', 'the reconciliation job');
select is((select count(*)::int from cron.job where jobname in ('kpi-upkeep', 'reconcile-kpi-facts')), 2, 'each job once');

select * from finish();
rollback;
