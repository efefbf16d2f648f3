-- The seed gives a usable demo: an admin, coaches who can sign in, 60+ leads over 120 days, 100+ messages, 30+ sequences
-- (its history: 08_seed_history).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(12);

select is(
    (select count(*)::int from auth.users where raw_app_meta_data ->> 'role' = 'admin'), 1,
    'one admin account'
);
select is(
    (select count(*)::int from public.coachs as c join auth.users as u on u.id = c.id), 3,
    'three coaches with an account'
);
select is(
    (select count(*)::int from public.coachs as c where not exists (select 1 from auth.users as u where u.id = c.id)), 1,
    'one legacy coach without an account, to invite'
);
select ok(
    (select bool_and(u.encrypted_password = extensions.crypt('coach-demo-2026', u.encrypted_password))
     from auth.users as u join public.coachs as c on c.id = u.id),
    'every seeded coach has the documented password (bcrypt, as GoTrue stores it)'
);
select is(
    (select count(*)::int from auth.identities where provider = 'email'), 4,
    'each account has its email identity'
);
select cmp_ok((select count(*)::int from public.leads), '>=', 60, '60+ leads');
select cmp_ok((select count(*)::int from public.messages), '>=', 100, '100+ messages');
select cmp_ok((select count(*)::int from public.message_sequences), '>=', 30, '30+ sequences');
select ok(
    (select min(created_at) >= now() - interval '121 days' and max(created_at) <= now() and
            max(created_at) - min(created_at) > interval '115 days' from public.leads),
    'leads are spread over the last 120 days'
);
select is(
    (select count(distinct status)::int from public.leads), 8,
    'every status is represented'
);
select ok(
    (select count(distinct source) >= 4 and count(distinct gender) = 3 and count(distinct lost_reason) = 5
            and count(deal_value) > 0 from public.leads),
    'sources, genders, lost reasons and deal values vary'
);
select is(
    (select count(*)::int from public.leads as l
     where l.total_messages_sent <> (select count(*) from public.messages as m where m.lead_id = l.id and m.direction = 'out')),
    0,
    'seeded lead counters agree with the messages'
);

select * from finish();
rollback;
