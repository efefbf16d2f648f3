-- Status history: every status change is recorded by trigger with its event time, and the call milestones
-- of message_sequences come from it ("ever reached", not "currently in").
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(10);
\ir helpers/auth.psql

select tests.create_coach('status@example.com') as coach \gset
insert into public.leads (id, coach_id, user_id_instagram, created_at)
values ('e0000000-0000-4000-8000-000000000001', :'coach', 'status_ig_1', '2026-05-01 09:00+00');

select is(
    (select (from_status, to_status, changed_at)::text from public.lead_status_events
     where lead_id = 'e0000000-0000-4000-8000-000000000001'),
    (null::text, 'new', '2026-05-01 09:00+00'::timestamptz)::text,
    'a new lead gets a first event at its creation time'
);

update public.leads set status = 'qualified', status_changed_at = '2026-05-02 09:00+00'
where id = 'e0000000-0000-4000-8000-000000000001';
update public.leads set status = 'call_booked', status_changed_at = '2026-05-03 09:00+00'
where id = 'e0000000-0000-4000-8000-000000000001';
update public.leads set first_name = 'No change of status' where id = 'e0000000-0000-4000-8000-000000000001';
update public.leads set status = 'lost', lost_reason = 'price' where id = 'e0000000-0000-4000-8000-000000000001';

select is(
    (select array_agg(from_status || '>' || to_status order by id) from public.lead_status_events
     where lead_id = 'e0000000-0000-4000-8000-000000000001' and from_status is not null),
    array['new>qualified', 'qualified>call_booked', 'call_booked>lost'],
    'each status change is one event; other updates write none'
);
select is(
    (select changed_at from public.lead_status_events
     where lead_id = 'e0000000-0000-4000-8000-000000000001' and to_status = 'call_booked'),
    '2026-05-03 09:00+00'::timestamptz,
    'the writer''s event time is kept'
);
select is(
    (select changed_at from public.lead_status_events
     where lead_id = 'e0000000-0000-4000-8000-000000000001' and to_status = 'lost'),
    now(),
    'without an event time the change is stamped now()'
);
select is(
    (select status_changed_at from public.leads where id = 'e0000000-0000-4000-8000-000000000001'),
    now(),
    'leads.status_changed_at follows the last change'
);
select is(
    (select (call_proposed_at, call_booked_at)::text from public.message_sequences
     where lead_id = 'e0000000-0000-4000-8000-000000000001'),
    ('2026-05-03 09:00+00'::timestamptz, '2026-05-03 09:00+00'::timestamptz)::text,
    'jumping to call_booked stamps both call milestones'
);
select is(
    (select max(public.lead_status_rank(to_status)) from public.lead_status_events
     where lead_id = 'e0000000-0000-4000-8000-000000000001'),
    5,
    'a lost lead still shows the furthest stage it reached'
);

update public.leads set status = 'call_proposed', status_changed_at = '2026-05-01 12:00+00'
where id = 'e0000000-0000-4000-8000-000000000001';
select is(
    (select call_proposed_at from public.message_sequences where lead_id = 'e0000000-0000-4000-8000-000000000001'),
    '2026-05-01 12:00+00'::timestamptz,
    'a milestone keeps the earliest time the stage was reached'
);

select is(public.lead_status_rank('won'), 6, 'won is the last funnel stage');
select is(public.lead_status_rank('relance'), null, 'relance is not a funnel stage');

select * from finish();
rollback;
