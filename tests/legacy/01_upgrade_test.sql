-- The migrations upgrade a database that already holds the brief's legacy tables, and lose nothing: the rows of
-- fixture.sql (coaches One and Two), upgraded the documented way or, before it existed, by a plain `supabase db push`.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(24);

-- nothing lost
select is((select count(*)::int from public.coachs where id in ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222')), 2, 'both legacy coaches kept');
select is((select count(*)::int from public.leads where coach_id in ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222')), 5, 'all five legacy leads kept');
select is((select count(*)::int from public.messages where coach_id in ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222')), 6, 'all six legacy messages kept');
select is((select count(*)::int from public.kpi_daily where coach_id in ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222')), 3, 'legacy kpi_daily rows kept');
select is(
    (select array_agg(lead_status order by user_id_instagram) from public.leads where user_id_instagram like 'legacy_ig_%'),
    array['Nouveau', 'qualifié', 'won', 'perdu', null],
    'legacy lead_status values are kept as they were'
);
select is(
    (select (l.age, v.original_value)::text from public.leads as l
     join private.legacy_values as v on v.row_id = l.id and v.table_name = 'public.leads' and v.column_name = 'age'
     where l.user_id_instagram = 'legacy_ig_3'),
    (null::int, '150')::text,
    'an out-of-range legacy age leaves the row but is kept in private.legacy_values'
);

-- status backfilled from lead_status
select is(
    (select array_agg(status order by user_id_instagram) from public.leads where user_id_instagram like 'legacy_ig_%'),
    array['new', 'qualified', 'won', 'lost', 'new'],
    'status is backfilled from the legacy lead_status'
);
select is(
    (select array_agg(coalesce(gender, '-') order by user_id_instagram) from public.leads where user_id_instagram like 'legacy_ig_%'),
    array['female', 'male', 'female', '-', '-'],
    'legacy gender spellings are normalized (Femme, H, empty)'
);
select is(
    (select status_changed_at from public.leads where user_id_instagram = 'legacy_ig_3'),
    '2026-03-09 12:00+00'::timestamptz,
    'status_changed_at of a legacy lead is its last update'
);
select is((select count(*)::int from public.lead_status_events where coach_id in ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222')), 5, 'every legacy lead gets its current status as first event');
select is((select count(*)::int from public.coach_settings where coach_id in ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222')), 2, 'every legacy coach gets default settings');
select is((select timezone from public.coachs where email = 'one@legacy.example'), 'Europe/Paris', 'timezone defaults to Europe/Paris');

-- messages normalized and derived columns backfilled
select is(
    (select coach_id from public.messages where text = 'Hello'),
    '11111111-1111-4111-8111-111111111111'::uuid,
    'a legacy message without coach_id takes its lead''s coach'
);
select is(
    (select array_agg(direction order by created_at) from public.messages where lead_id = 'aaaaaaaa-0000-4000-8000-000000000002'),
    array['out', 'in', 'out', 'out'],
    'legacy directions inbound/outbound become in/out'
);
select is(
    (select array_agg(message_number order by created_at) from public.messages
     where lead_id = 'aaaaaaaa-0000-4000-8000-000000000002' and direction = 'out'),
    array[1, 2, 3],
    'outbound legacy messages are numbered'
);
select is(
    (select array_agg(is_replied order by created_at) from public.messages
     where lead_id = 'aaaaaaaa-0000-4000-8000-000000000002' and direction = 'out'),
    array[true, false, false],
    'the reply after DM 1 marks DM 1 replied'
);
select is(
    (select (total_messages_sent, total_messages_received, last_contact_at)::text from public.leads
     where user_id_instagram = 'legacy_ig_2'),
    (3, 1, '2026-03-04 10:30+00'::timestamptz)::text,
    'lead counters and last contact are backfilled from legacy messages'
);
select is((select count(*)::int from public.message_sequences where coach_id in ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222')), 2, 'a sequence for each legacy lead with outbound messages');
select is(
    (select call_booked_at from public.message_sequences where lead_id = 'aaaaaaaa-0000-4000-8000-000000000003'),
    '2026-03-09 12:00+00'::timestamptz,
    'a legacy won lead has its call milestones from its status history'
);

-- the upgraded tables behave like fresh ones
select is(
    (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'r' and not c.relrowsecurity),
    0,
    'RLS is enabled on every upgraded table'
);
select throws_ok(
    $$insert into public.leads (coach_id, user_id_instagram, status)
      values ('11111111-1111-4111-8111-111111111111', 'legacy_new', 'maybe')$$,
    '23514', null,
    'an unknown status is rejected after the upgrade'
);
select throws_ok(
    $$insert into public.leads (coach_id, user_id_instagram, age)
      values ('11111111-1111-4111-8111-111111111111', 'legacy_new', 150)$$,
    '23514', null,
    'the age check holds after the upgrade'
);
select throws_ok(
    $$insert into public.messages (lead_id, coach_id, direction, text)
      values ('aaaaaaaa-0000-4000-8000-000000000004', '11111111-1111-4111-8111-111111111111', 'out', 'x')$$,
    '23503', null,
    'a message for a lead of another coach is rejected after the upgrade'
);
select lives_ok(
    $$insert into public.messages (lead_id, coach_id, direction, text, created_at)
      values ('aaaaaaaa-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'out', 'Hi', '2026-03-10 10:00+00')$$,
    'a new message on an upgraded lead is accepted'
);

select * from finish();
rollback;
