-- A lead written by ingest_lead without created_at is dated by the call (the earliest thing then known of it); when
-- its first message arrives, from an earlier time, the lead is dated by that message and counted as new on the
-- message's day, not on the day of the call. A lead no message ever reaches stays new on the day of the call that
-- created it (docs/n8n.md, "Partial writes"). The coach lives where it is about noon (tests.midday_timezone()), so
-- "now" and "3 days ago" are well inside their local days.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(12);
\ir helpers/auth.psql

select tests.midday_timezone() as tz \gset
select tests.create_coach('ingest-partial@example.com', :'tz') as coach \gset
select private.kpi_upkeep() is not null as settled;

select tests.authenticate_as_service_role();
-- the workflow's first node: the lead, without created_at; its second node (the DM) fails for now
select public.ingest_lead(jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'partial_1', 'first_name', 'Léa'))
    ->> 'created' as created \gset
-- a lead only ever written by ingest_lead, with a status and no time
select public.ingest_lead(jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'partial_2', 'status', 'engaged'))
    is not null as engaged;
select tests.clear_authentication();

select is(:'created'::text, 'true', 'ingest_lead created the lead');
select is((select created_at from public.leads where user_id_instagram = 'partial_1'), now(), 'dated by the call');
select private.kpi_upkeep() is not null as upkeep;
select is(public.get_dashboard(:'coach', 'today') #> '{activity,new_leads,value}', '2',
    'without any message, both leads are new on the day of the call that created them');

-- the DM is delivered again (n8n retry, or a replay) with its real time, 3 days ago
select tests.authenticate_as_service_role();
select public.ingest_message(jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'partial_1', 'external_id', 'partial-m1',
    'direction', 'in', 'text', 'Salut', 'created_at', now() - interval '3 days')) ->> 'lead_created' as lead_created \gset
select tests.clear_authentication();
select is(:'lead_created'::text, 'false', 'the message found the lead');
select is((select created_at from public.leads where user_id_instagram = 'partial_1'), now() - interval '3 days',
    'the earlier message dates the lead');
select is((select changed_at from public.lead_status_events as e join public.leads as l on l.id = e.lead_id
           where l.user_id_instagram = 'partial_1' and e.from_status is null), now() - interval '3 days',
    'and its initial "new" event');
select private.kpi_upkeep() is not null as upkeep;
select is(public.get_dashboard(:'coach', 'today') #> '{activity,new_leads,value}', '1',
    'partial_1 is no longer new today (only partial_2, still without a message)');
select is(public.get_dashboard(:'coach', '7d') #> '{activity,new_leads,value}', '2', 'both are new within 7 days');
select is((select created_day from private.lead_facts as f join public.leads as l on l.id = f.lead_id
           where l.user_id_instagram = 'partial_1'), ((now() - interval '3 days') at time zone :'tz')::date,
    'partial_1 is new on the day of its first message');

-- a later created_at never moves a lead forward; a later message neither
select tests.authenticate_as_service_role();
select public.ingest_lead(jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'partial_1',
    'created_at', now() - interval '1 day')) is not null as later_lead;
select public.ingest_message(jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'partial_1', 'external_id', 'partial-m2',
    'direction', 'out', 'text', 'Hello', 'created_at', now() - interval '2 days')) is not null as later_message;
select tests.clear_authentication();
select is((select created_at from public.leads where user_id_instagram = 'partial_1'), now() - interval '3 days',
    'later times leave the lead''s date alone');

-- a status sent with its event time and no created_at dates a new lead by the event
select tests.authenticate_as_service_role();
select public.ingest_lead(jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'partial_3', 'status', 'qualified',
    'status_changed_at', now() - interval '2 days')) is not null as qualified;
select tests.clear_authentication();
select is((select created_at from public.leads where user_id_instagram = 'partial_3'), now() - interval '2 days',
    'a lead first seen through a dated status event is dated by it');
select private.kpi_upkeep() is not null as upkeep;
select is(public.get_dashboard(:'coach', 'today') #> '{activity,new_leads,value}', '1', 'and is not new today');

select * from finish();
rollback;
