-- Triggers keep derived data true on every write path: message numbers, reply flags, lead counters,
-- last contact and message_sequences, including late (out-of-order) deliveries, updates and deletes.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(22);
\ir helpers/auth.psql

select tests.create_coach('trig@example.com') as coach \gset
insert into public.leads (id, coach_id, user_id_instagram)
values ('d0000000-0000-4000-8000-000000000001', :'coach', 'trig_ig_1');

-- A conversation delivered in one statement: out, in, out, out, in
insert into public.messages (lead_id, coach_id, direction, text, external_id, created_at) values
    ('d0000000-0000-4000-8000-000000000001', :'coach', 'out', 'DM 1', 'x1', '2026-06-01 10:00+00'),
    ('d0000000-0000-4000-8000-000000000001', :'coach', 'in', 'reply 1', 'x2', '2026-06-01 10:05+00'),
    ('d0000000-0000-4000-8000-000000000001', :'coach', 'out', 'DM 2', 'x3', '2026-06-01 11:00+00'),
    ('d0000000-0000-4000-8000-000000000001', :'coach', 'out', 'DM 3', 'x4', '2026-06-02 11:00+00'),
    ('d0000000-0000-4000-8000-000000000001', :'coach', 'in', 'reply 3', 'x5', '2026-06-02 12:00+00');

select is(
    (select array_agg(message_number order by created_at) from public.messages where external_id in ('x1', 'x3', 'x4')),
    array[1, 2, 3],
    'outbound messages are numbered in time order'
);
select is(
    (select count(*)::int from public.messages where direction = 'in' and coach_id = :'coach' and message_number is not null),
    0,
    'inbound messages have no message_number'
);
select is(
    (select array_agg(is_replied order by created_at) from public.messages where external_id in ('x1', 'x3', 'x4')),
    array[true, false, true],
    'an outbound message is replied when the lead answers before the next outbound'
);
select is(
    (select replied_at from public.messages where external_id = 'x1'),
    '2026-06-01 10:05+00'::timestamptz,
    'replied_at is the time of the first answer'
);
select is(
    (select (total_messages_sent, total_messages_received, last_contact_at)::text
     from public.leads where id = 'd0000000-0000-4000-8000-000000000001'),
    (3, 2, '2026-06-02 12:00+00'::timestamptz)::text,
    'lead counters and last_contact_at follow the messages'
);
select is(
    (select (msg1_sent_at, msg1_replied, msg2_replied, msg3_replied, msg3_replied_at, msg4_sent_at)::text
     from public.message_sequences where lead_id = 'd0000000-0000-4000-8000-000000000001'),
    ('2026-06-01 10:00+00'::timestamptz, true, false, true, '2026-06-02 12:00+00'::timestamptz, null::timestamptz)::text,
    'message_sequences mirrors DM 1 to 4'
);

-- A late delivery: an outbound message that happened before DM 2 arrives last, one row at a time.
insert into public.messages (lead_id, coach_id, direction, text, external_id, created_at)
values ('d0000000-0000-4000-8000-000000000001', :'coach', 'out', 'late DM', 'x6', '2026-06-01 10:30+00');

select is(
    (select array_agg(external_id order by message_number) from public.messages where direction = 'out' and coach_id = :'coach'),
    array['x1', 'x6', 'x3', 'x4'],
    'a late outbound message takes its place in the sequence and renumbers the later ones'
);
select is(
    (select array_agg(is_replied order by message_number) from public.messages where direction = 'out' and coach_id = :'coach'),
    array[true, false, false, true],
    'reply flags are recomputed after a late message'
);
select is(
    (select (msg2_sent_at, msg3_sent_at, msg4_sent_at, msg4_replied)::text
     from public.message_sequences where lead_id = 'd0000000-0000-4000-8000-000000000001'),
    ('2026-06-01 10:30+00'::timestamptz, '2026-06-01 11:00+00'::timestamptz, '2026-06-02 11:00+00'::timestamptz, true)::text,
    'message_sequences follows the renumbering'
);

-- A reply that arrives before the outbound message it answers is linked once both are in.
insert into public.leads (id, coach_id, user_id_instagram)
values ('d0000000-0000-4000-8000-000000000002', :'coach', 'trig_ig_2');
insert into public.messages (lead_id, coach_id, direction, text, created_at)
values ('d0000000-0000-4000-8000-000000000002', :'coach', 'in', 'answer', '2026-06-03 10:10+00');
select is(
    (select total_messages_received from public.leads where id = 'd0000000-0000-4000-8000-000000000002'),
    1,
    'an early reply counts at once'
);
insert into public.messages (lead_id, coach_id, direction, text, created_at)
values ('d0000000-0000-4000-8000-000000000002', :'coach', 'out', 'question', '2026-06-03 10:00+00');
select is(
    (select (is_replied, replied_at)::text from public.messages
     where lead_id = 'd0000000-0000-4000-8000-000000000002' and direction = 'out'),
    (true, '2026-06-03 10:10+00'::timestamptz)::text,
    'the outbound message delivered after its reply is marked replied'
);
select is(
    (select msg1_replied from public.message_sequences where lead_id = 'd0000000-0000-4000-8000-000000000002'),
    true,
    'and its sequence says DM 1 was replied'
);

-- Updates and deletes re-derive too.
update public.messages set direction = 'in' where external_id = 'x6';
select is(
    (select array_agg(external_id order by message_number) from public.messages where direction = 'out' and coach_id = :'coach'
        and lead_id = 'd0000000-0000-4000-8000-000000000001'),
    array['x1', 'x3', 'x4'],
    'changing a message''s direction renumbers the sequence'
);
delete from public.messages where external_id in ('x5', 'x6');
select is(
    (select (total_messages_sent, total_messages_received, last_contact_at)::text
     from public.leads where id = 'd0000000-0000-4000-8000-000000000001'),
    (3, 1, '2026-06-02 11:00+00'::timestamptz)::text,
    'deleting messages updates the counters and last contact'
);
select is(
    (select (msg3_replied, msg3_replied_at)::text from public.message_sequences where lead_id = 'd0000000-0000-4000-8000-000000000001'),
    (false, null::timestamptz)::text,
    'deleting the only reply to DM 3 clears its reply flag'
);

-- Derived columns cannot be forced by a writer.
update public.messages set message_number = 42, is_replied = false where external_id = 'x1';
select is(
    (select (message_number, is_replied)::text from public.messages where external_id = 'x1'),
    (1, true)::text,
    'a write to message_number / is_replied is corrected at once'
);
update public.leads set total_messages_sent = 999, last_contact_at = now() where id = 'd0000000-0000-4000-8000-000000000001';
select is(
    (select (total_messages_sent, last_contact_at)::text from public.leads where id = 'd0000000-0000-4000-8000-000000000001'),
    (3, '2026-06-02 11:00+00'::timestamptz)::text,
    'lead counters ignore direct writes'
);
insert into public.leads (coach_id, user_id_instagram, total_messages_sent, total_messages_received)
values (:'coach', 'trig_ig_3', 7, 7);
select is(
    (select (total_messages_sent, total_messages_received)::text from public.leads where user_id_instagram = 'trig_ig_3'),
    (0, 0)::text,
    'a new lead starts with zero counters whatever the writer says'
);

-- updated_at is maintained
update public.leads set updated_at = '2000-01-01', first_name = 'Zoé' where id = 'd0000000-0000-4000-8000-000000000001';
select is(
    (select updated_at from public.leads where id = 'd0000000-0000-4000-8000-000000000001'),
    now(),
    'updated_at is stamped by trigger on update'
);

-- Deleting a lead takes its messages, sequence and history with it.
delete from public.leads where id = 'd0000000-0000-4000-8000-000000000002';
select is((select count(*)::int from public.messages where lead_id = 'd0000000-0000-4000-8000-000000000002'), 0,
    'a deleted lead''s messages go with it');
select is((select count(*)::int from public.message_sequences where lead_id = 'd0000000-0000-4000-8000-000000000002'), 0,
    'a deleted lead''s sequence goes with it');
select is((select count(*)::int from public.lead_status_events where lead_id = 'd0000000-0000-4000-8000-000000000002'), 0,
    'a deleted lead''s status history goes with it');

select * from finish();
rollback;
