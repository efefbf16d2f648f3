-- Batch ingestion gives what the same messages sent one by one give: numbers, replies, counters and sequences in
-- time order whatever the order inside the batch, duplicates counted once, a replayed batch changes nothing.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(18);
\ir helpers/auth.psql

select tests.create_coach('batch-outcome@example.com') as coach \gset
select set_config('t.coach', :'coach', true);

-- m(prefix, ig, external_id, direction, HH:MI on 2026-07-01 UTC): one message payload; prefix keeps two copies apart
create function pg_temp.m(prefix text, ig text, ext text, dir text, hhmi text) returns jsonb language sql as $$
    select jsonb_build_object('coach_id', current_setting('t.coach'), 'user_id_instagram', prefix || ig,
        'external_id', prefix || ext, 'direction', dir, 'text', 'x', 'created_at', '2026-07-01T' || hhmi || ':00Z');
$$;
-- the batch, in the order received (not the time order), for one prefix
create function pg_temp.batch(prefix text) returns jsonb language sql as $$
    select jsonb_build_array(
        pg_temp.m(prefix, 'known', '-2', 'in', '09:05'),   -- 0: the reply to -1, before it
        pg_temp.m(prefix, 'new', '-n1', 'out', '10:00'),   -- 1: first message of an unknown lead
        pg_temp.m(prefix, 'known', '-1', 'out', '09:00'),  -- 2
        pg_temp.m(prefix, 'known', '-1', 'out', '09:00'),  -- 3: the same message twice in the batch
        pg_temp.m(prefix, 'new', '-n2', 'in', '10:30'),    -- 4
        pg_temp.m(prefix, 'known', '-0', 'out', '08:00'),  -- 5: already stored
        pg_temp.m(prefix, 'known', '-3', 'out', '11:00')   -- 6
    );
$$;
-- what the dashboard reads of one copy, prefix removed
create function pg_temp.derived(prefix text) returns table (external_id text, message_number int, is_replied boolean, replied_at timestamptz)
language sql as $$
    select substr(m.external_id, length(prefix) + 1), m.message_number, m.is_replied, m.replied_at
    from public.messages as m
    where m.coach_id = current_setting('t.coach')::uuid and m.external_id like prefix || '-%'
    order by 1;
$$;
create function pg_temp.lead_state(prefix text) returns table (ig text, created_at timestamptz, status text, sent int, received int, last_contact_at timestamptz)
language sql as $$
    select substr(l.user_id_instagram, length(prefix) + 1), l.created_at, l.status, l.total_messages_sent, l.total_messages_received, l.last_contact_at
    from public.leads as l
    where l.coach_id = current_setting('t.coach')::uuid and l.user_id_instagram like prefix || '%'
    order by 1;
$$;
create function pg_temp.sequence_state(prefix text) returns table (ig text, m1 timestamptz, r1 boolean, m2 timestamptz, r2 boolean, r2_at timestamptz, m3 timestamptz, r3 boolean, m4 timestamptz)
language sql as $$
    select substr(l.user_id_instagram, length(prefix) + 1), s.msg1_sent_at, s.msg1_replied, s.msg2_sent_at, s.msg2_replied,
        s.msg2_replied_at, s.msg3_sent_at, s.msg3_replied, s.msg4_sent_at
    from public.message_sequences as s join public.leads as l on l.id = s.lead_id
    where l.coach_id = current_setting('t.coach')::uuid and l.user_id_instagram like prefix || '%'
    order by 1;
$$;

select tests.authenticate_as_service_role();

-- copy "b": the known lead and its first message exist, then the batch
select public.ingest_lead(jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'bknown', 'created_at', '2026-07-01T07:00:00Z'));
select public.ingest_message(pg_temp.m('b', 'known', '-0', 'out', '08:00'));
select public.ingest_messages(pg_temp.batch('b')) as result \gset

-- 1. the summary and each element's outcome, in the order received
select is((:'result'::jsonb) - 'messages', '{"received": 7, "inserted": 5, "duplicates": 2, "leads_created": 1}'::jsonb,
    'received 7: 5 inserted, 2 duplicates (one inside the batch, one already stored), 1 lead created');
select results_eq(
    format($$select (e ->> 'index')::int, e ->> 'external_id', (e ->> 'inserted')::boolean, (e ->> 'message_number')::int,
        (e ->> 'is_replied')::boolean from jsonb_array_elements(%L::jsonb -> 'messages') as e$$, :'result'),
    $$values (0, 'b-2', true, null::int, false), (1, 'b-n1', true, 1, true), (2, 'b-1', true, 2, true), (3, 'b-1', false, 2, true),
             (4, 'b-n2', true, null, false), (5, 'b-0', false, 1, false), (6, 'b-3', true, 3, false)$$,
    'every element: its message, whether this call inserted it, its number and reply flag after the batch'
);
select is(
    (select count(distinct e ->> 'lead_id')::int from jsonb_array_elements(:'result'::jsonb -> 'messages') as e),
    2, 'the elements name two leads'
);
select ok(
    (select bool_and((e ->> 'message_id') = (select m.id::text from public.messages as m where m.external_id = e ->> 'external_id'))
     from jsonb_array_elements(:'result'::jsonb -> 'messages') as e),
    'each message_id is the stored row of its external_id'
);

-- 2. what is stored, computed by hand: outbound numbered in time order, a reply links the last outbound before it
select results_eq(
    $$select * from pg_temp.derived('b')$$,
    $$values ('-0', 1, false, null::timestamptz), ('-1', 2, true, '2026-07-01 09:05:00+00'::timestamptz), ('-2', null, false, null),
             ('-3', 3, false, null), ('-n1', 1, true, '2026-07-01 10:30:00+00'), ('-n2', null, false, null)$$,
    'numbers and reply flags are those of the time order'
);
select results_eq(
    $$select * from pg_temp.lead_state('b')$$,
    $$values ('known', '2026-07-01 07:00:00+00'::timestamptz, 'new', 3, 1, '2026-07-01 11:00:00+00'::timestamptz),
             ('new', '2026-07-01 10:00:00+00', 'new', 1, 1, '2026-07-01 10:30:00+00')$$,
    'lead counters and last contact; the unknown lead is created, status new, at its first message'
);
select results_eq(
    $$select * from pg_temp.sequence_state('b')$$,
    $$values ('known', '2026-07-01 08:00:00+00'::timestamptz, false, '2026-07-01 09:00:00+00'::timestamptz, true,
              '2026-07-01 09:05:00+00'::timestamptz, '2026-07-01 11:00:00+00'::timestamptz, false, null::timestamptz),
             ('new', '2026-07-01 10:00:00+00', true, null, false, null, null, false, null)$$,
    'message_sequences DM 1 to 4'
);
select is(
    (select count(*)::int from public.lead_status_events as e join public.leads as l on l.id = e.lead_id
     where l.user_id_instagram = 'bnew' and e.from_status is null and e.to_status = 'new' and e.changed_at = '2026-07-01 10:00:00+00'),
    1, 'the created lead has its initial status event at its first message'
);

-- 3. the same messages one by one through ingest_message (copy "s"), in the order received: same result
select public.ingest_lead(jsonb_build_object('coach_id', :'coach', 'user_id_instagram', 'sknown', 'created_at', '2026-07-01T07:00:00Z'));
select public.ingest_message(pg_temp.m('s', 'known', '-0', 'out', '08:00'));
select public.ingest_message(e) from jsonb_array_elements(pg_temp.batch('s')) with ordinality as x(e, n) order by n;
select results_eq($$select * from pg_temp.derived('s')$$, $$select * from pg_temp.derived('b')$$,
    'messages: the batch and one-by-one delivery agree');
select results_eq($$select * from pg_temp.lead_state('s')$$, $$select * from pg_temp.lead_state('b')$$,
    'leads: the batch and one-by-one delivery agree');
select results_eq($$select * from pg_temp.sequence_state('s')$$, $$select * from pg_temp.sequence_state('b')$$,
    'sequences: the batch and one-by-one delivery agree');

-- 4. the batch replayed: everything is a duplicate, nothing moves
select public.ingest_messages(pg_temp.batch('b')) as replay \gset
select is((:'replay'::jsonb) - 'messages', '{"received": 7, "inserted": 0, "duplicates": 7, "leads_created": 0}'::jsonb,
    'a replayed batch inserts nothing');
select is((select count(*)::int from public.messages where coach_id = :'coach' and external_id like 'b-%'), 6, 'still six messages');
select results_eq(
    $$select * from pg_temp.lead_state('b')$$,
    $$values ('known', '2026-07-01 07:00:00+00'::timestamptz, 'new', 3, 1, '2026-07-01 11:00:00+00'::timestamptz),
             ('new', '2026-07-01 10:00:00+00', 'new', 1, 1, '2026-07-01 10:30:00+00')$$,
    'and the counters did not move'
);

-- 5. a later batch with an older message renumbers, and moves the lead's creation back to it
select public.ingest_messages(jsonb_build_array(pg_temp.m('b', 'new', '-n0', 'out', '09:30'))) as late \gset
select is((:'late'::jsonb) #>> '{messages,0,message_number}', '1', 'the late message is DM 1');
select results_eq(
    $$select external_id, message_number, is_replied from pg_temp.derived('b') where external_id like '-n%'$$,
    $$values ('-n0', 1, false), ('-n1', 2, true), ('-n2', null::int, false)$$,
    'the lead''s later messages are renumbered'
);
select is((select created_at from public.leads where user_id_instagram = 'bnew'), '2026-07-01 09:30:00+00'::timestamptz,
    'the lead was created at the earliest thing known of it');

-- 6. an empty batch is answered, writes nothing
select is(public.ingest_messages('[]'), '{"received": 0, "inserted": 0, "duplicates": 0, "leads_created": 0, "messages": []}'::jsonb,
    'an empty batch writes nothing');

select tests.clear_authentication();
select * from finish();
rollback;
