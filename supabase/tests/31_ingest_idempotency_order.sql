-- Ingestion is idempotent and order-independent: redeliveries change nothing, late events land in history at their
-- time without overwriting the current status, a reply delivered before its outbound message is linked.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(26);
\ir helpers/auth.psql

select tests.create_coach('ingest-order@example.com') as coach \gset

create temporary table calls (n serial, result jsonb);
grant all on calls to service_role;
grant all on sequence calls_n_seq to service_role;

-- lead(ig, extra json) / msg(ig, external_id, direction, time) as service_role
create function pg_temp.lead(ig text, extra text) returns jsonb language sql as $$
    select public.ingest_lead(jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', ig) || extra::jsonb);
$$;
create function pg_temp.msg(ig text, ext text, dir text, at text) returns jsonb language sql as $$
    select public.ingest_message(jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', ig,
        'external_id', ext, 'direction', dir, 'text', 'x', 'created_at', at));
$$;
create function pg_temp.history(ig text) returns text language sql as $$
    select string_agg(coalesce(e.from_status, '-') || '>' || e.to_status || '@' || to_char(e.changed_at at time zone 'UTC', 'HH24:MI'),
        ' ' order by e.changed_at, e.id)
    from public.lead_status_events as e join public.leads as l on l.id = e.lead_id
    where l.user_id_instagram = ig;
$$;
select set_config('t.coach', :'coach', true);
select tests.authenticate_as_service_role();

-- 1. upsert: create, redeliver, fill in, never erase
select is(pg_temp.lead('ord_a', '{"first_name": "Emma", "age": 30, "source": "story", "created_at": "2026-07-01T08:00:00Z"}') ->> 'created',
    'true', 'the first delivery creates the lead');
select is(pg_temp.lead('ord_a', '{"first_name": "Emma", "age": 30, "source": "story", "created_at": "2026-07-01T08:00:00Z"}') ->> 'created',
    'false', 'the same lead delivered again is found, not created');
select pg_temp.lead('ord_a', '{"email": "emma@mail.example", "first_name": null, "age": "", "job_title": "Infirmière"}');
select results_eq(
    $$select first_name, age, source, email, job_title, created_at from public.leads where user_id_instagram = 'ord_a'$$,
    $$values ('Emma'::text, 30, 'story'::text, 'emma@mail.example'::text, 'Infirmière'::text, '2026-07-01 08:00:00+00'::timestamptz)$$,
    'new fields fill in; absent, null and blank fields erase nothing'
);
select pg_temp.lead('ord_a', '{"age": 31}');
select is((select age from public.leads where user_id_instagram = 'ord_a'), 31, 'a known field is updated');
select is((select count(*)::int from public.leads where coach_id = :'coach'), 1, 'one lead after four deliveries');

-- 2. messages: ten deliveries of one message make one row
select pg_temp.msg('ord_a', 'ord-m1', 'out', '2026-07-01T08:01:00Z') from generate_series(1, 10);
select is((select count(*)::int from public.messages where coach_id = :'coach'), 1, 'ten deliveries of a message make one row');
select is((select total_messages_sent from public.leads where user_id_instagram = 'ord_a'), 1, 'and count once');

-- 3. a reply delivered before the outbound message it answers
select pg_temp.msg('ord_a', 'ord-m3', 'in', '2026-07-01T09:05:00Z');
select is(pg_temp.msg('ord_a', 'ord-m2', 'out', '2026-07-01T09:00:00Z') ->> 'is_replied', 'true',
    'the late outbound message is marked replied by the reply that arrived first');
select results_eq(
    $$select external_id, message_number, is_replied, replied_at from public.messages
      where coach_id = current_setting('t.coach')::uuid and direction = 'out' order by message_number$$,
    $$values ('ord-m1'::text, 1, false, null::timestamptz), ('ord-m2', 2, true, '2026-07-01 09:05:00+00')$$,
    'numbers and reply flags are those of the time order'
);
select results_eq(
    $$select msg1_replied, msg2_replied, msg2_replied_at, total_messages_sent, total_messages_received
      from public.message_sequences as s join public.leads as l on l.id = s.lead_id where l.user_id_instagram = 'ord_a'$$,
    $$values (false, true, '2026-07-01 09:05:00+00'::timestamptz, 2, 1)$$,
    'sequence and counters follow'
);

-- 4. status events out of order: call_proposed 11:00 first, then engaged 09:00, qualified 10:00, engaged again
select is(pg_temp.lead('ord_a', '{"status": "call_proposed", "status_changed_at": "2026-07-01T11:00:00Z"}') ->> 'status_event',
    'applied', 'the newest status is applied');
select is(pg_temp.lead('ord_a', '{"status": "engaged", "status_changed_at": "2026-07-01T09:00:00Z"}') ->> 'status_event',
    'recorded_late', 'an older status is recorded in history only');
select is(pg_temp.lead('ord_a', '{"status": "qualified", "status_changed_at": "2026-07-01T10:00:00Z"}') ->> 'status',
    'call_proposed', 'an older status never overwrites the current one');
select is(pg_temp.lead('ord_a', '{"status": "engaged", "status_changed_at": "2026-07-01T09:00:00Z"}') ->> 'status_event',
    'duplicate', 'the same status event again is a duplicate');
select is(pg_temp.history('ord_a'),
    '->new@08:00 new>engaged@09:00 engaged>qualified@10:00 qualified>call_proposed@11:00',
    'the history is the one of an ordered delivery');
select results_eq(
    $$select l.status, l.status_changed_at, s.call_proposed_at from public.leads as l
      join public.message_sequences as s on s.lead_id = l.id where l.user_id_instagram = 'ord_a'$$,
    $$values ('call_proposed'::text, '2026-07-01 11:00:00+00'::timestamptz, '2026-07-01 11:00:00+00'::timestamptz)$$,
    'current status, its event time and the call milestone'
);
select pg_temp.lead('ord_a', '{"status": "lost", "lost_reason": "price", "status_changed_at": "2026-07-01T13:00:00Z"}');
select pg_temp.lead('ord_a', '{"status": "relance", "status_changed_at": "2026-07-01T12:00:00Z"}');
select results_eq(
    $$select status, lost_reason, status_changed_at from public.leads where user_id_instagram = 'ord_a'$$,
    $$values ('lost'::text, 'price'::text, '2026-07-01 13:00:00+00'::timestamptz)$$,
    'a relance of 12:00 arriving after the loss of 13:00 leaves the lead lost'
);
select is(pg_temp.history('ord_a'),
    '->new@08:00 new>engaged@09:00 engaged>qualified@10:00 qualified>call_proposed@11:00 call_proposed>relance@12:00 relance>lost@13:00',
    'and the relance is in history between the two');

-- 5. a status event before the lead's profile: the profile's created_at moves the lead's start back
select is(pg_temp.lead('ord_b', '{"status": "engaged", "status_changed_at": "2026-07-01T09:00:00Z"}') ->> 'created',
    'true', 'a status event of an unknown lead creates it');
select pg_temp.lead('ord_b', '{"first_name": "Hugo", "status": "new", "status_changed_at": "2026-07-01T08:00:00Z", "created_at": "2026-07-01T08:00:00Z"}');
select is(pg_temp.history('ord_b'), '->new@08:00 new>engaged@09:00', 'the history starts at the profile''s creation');
select results_eq(
    $$select status, status_changed_at, created_at, first_name from public.leads where user_id_instagram = 'ord_b'$$,
    $$values ('engaged'::text, '2026-07-01 09:00:00+00'::timestamptz, '2026-07-01 08:00:00+00'::timestamptz, 'Hugo'::text)$$,
    'status engaged since 09:00, created 08:00'
);

-- 6. a message before its lead: the lead exists from the message, then from its real creation
select is(pg_temp.msg('ord_c', 'ord-c1', 'in', '2026-07-01T08:30:00Z') ->> 'lead_created', 'true',
    'a message of an unknown lead creates the lead');
select pg_temp.lead('ord_c', '{"status": "new", "status_changed_at": "2026-07-01T08:00:00Z", "created_at": "2026-07-01T08:00:00Z"}');
select is(pg_temp.history('ord_c'), '->new@08:00', 'one "new" event, at the lead''s creation');

-- 7. the same status reported twice out of order: it began at the earlier time
select pg_temp.lead('ord_d', '{"created_at": "2026-07-01T08:00:00Z"}');
select pg_temp.lead('ord_d', '{"status": "relance", "status_changed_at": "2026-07-01T12:00:00Z"}');
select is(pg_temp.lead('ord_d', '{"status": "relance", "status_changed_at": "2026-07-01T11:00:00Z"}') ->> 'status_event',
    'moved_earlier', 'an earlier report of the current status moves its start back');
select is(pg_temp.history('ord_d'), '->new@08:00 new>relance@11:00', 'one relance event, at 11:00');
select is((select status_changed_at from public.leads where user_id_instagram = 'ord_d'),
    '2026-07-01 11:00:00+00'::timestamptz, 'and the lead is relance since 11:00');

select tests.clear_authentication();
select * from finish();
rollback;
