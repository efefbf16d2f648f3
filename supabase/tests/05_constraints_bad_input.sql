-- Bad input gets a clear error from a constraint and leaves nothing half-written.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(16);
\ir helpers/auth.psql

select tests.create_coach('bad-a@example.com') as coach_a \gset
select tests.create_coach('bad-b@example.com') as coach_b \gset
insert into public.leads (id, coach_id, user_id_instagram)
values ('f0000000-0000-4000-8000-00000000000a', :'coach_a', 'bad_ig_a');

select throws_ok(
    format($$insert into public.leads (coach_id, user_id_instagram, status) values (%L, 'bad_1', 'maybe')$$, :'coach_a'),
    '23514', 'new row for relation "leads" violates check constraint "leads_status_valid"',
    'an unknown status is rejected'
);
select throws_ok(
    format($$insert into public.leads (coach_id, user_id_instagram, age) values (%L, 'bad_2', -3)$$, :'coach_a'),
    '23514', 'new row for relation "leads" violates check constraint "leads_age_range"',
    'a negative age is rejected'
);
select throws_ok(
    format($$insert into public.leads (coach_id, user_id_instagram, gender) values (%L, 'bad_3', 'Homme')$$, :'coach_a'),
    '23514', 'new row for relation "leads" violates check constraint "leads_gender_valid"',
    'a gender outside male/female/other is rejected'
);
select throws_ok(
    format($$insert into public.leads (coach_id, user_id_instagram, status, lost_reason) values (%L, 'bad_4', 'lost', 'weather')$$, :'coach_a'),
    '23514', 'new row for relation "leads" violates check constraint "leads_lost_reason_valid"',
    'an unknown lost reason is rejected'
);
select throws_ok(
    format($$insert into public.leads (coach_id, user_id_instagram, deal_value) values (%L, 'bad_5', -1)$$, :'coach_a'),
    '23514', 'new row for relation "leads" violates check constraint "leads_deal_value_positive"',
    'a negative deal value is rejected'
);
select throws_ok(
    format($$insert into public.leads (coach_id, user_id_instagram) values (%L, 'bad_ig_a')$$, :'coach_b'),
    '23505', 'duplicate key value violates unique constraint "leads_user_id_instagram_key"',
    'an Instagram id already taken (even by another coach) is rejected'
);
select throws_ok(
    $$insert into public.leads (coach_id, user_id_instagram) values ('00000000-0000-4000-8000-000000000000', 'bad_6')$$,
    '23503', 'insert or update on table "leads" violates foreign key constraint "leads_coach_id_fkey"',
    'a lead of an unknown coach is rejected'
);
select throws_ok(
    format($$insert into public.messages (lead_id, coach_id, direction, text) values ('f0000000-0000-4000-8000-00000000000a', %L, 'out', 'x')$$, :'coach_b'),
    '23503', 'insert or update on table "messages" violates foreign key constraint "messages_lead_fkey"',
    'a message for a lead of another coach is rejected'
);
select throws_ok(
    format($$insert into public.messages (lead_id, coach_id, direction, text) values ('f0000000-0000-4000-8000-00000000000a', %L, 'sideways', 'x')$$, :'coach_a'),
    '23514', 'new row for relation "messages" violates check constraint "messages_direction_valid"',
    'an unknown direction is rejected'
);
select throws_ok(
    format($$insert into public.messages (lead_id, coach_id, direction, text) values ('f0000000-0000-4000-8000-00000000000a', %L, 'out', repeat('x', 4001))$$, :'coach_a'),
    '23514', 'new row for relation "messages" violates check constraint "messages_text_length"',
    'an oversized message is rejected'
);
select throws_ok(
    $$insert into public.coachs (name, email, timezone) values ('Tz', 'tz@example.com', 'Mars/Olympus')$$,
    '23514', 'new row for relation "coachs" violates check constraint "coachs_timezone_valid"',
    'an unknown time zone is rejected'
);
select throws_ok(
    $$insert into public.coachs (name, email) values ('Dup', 'BAD-A@example.com')$$,
    '23505', 'duplicate key value violates unique constraint "coachs_email_lower_key"',
    'a coach email is unique whatever its case'
);
select throws_ok(
    format($$update public.coach_settings set default_no_show_rate = 1.5 where coach_id = %L$$, :'coach_a'),
    '23514', 'new row for relation "coach_settings" violates check constraint "coach_settings_no_show_rate_range"',
    'a no-show rate above 100 % is rejected'
);

-- Nothing half-written: a statement with one bad row writes none of its rows nor their derived data.
select throws_ok(
    format($$insert into public.messages (lead_id, coach_id, direction, text) values
        ('f0000000-0000-4000-8000-00000000000a', %1$L, 'out', 'good'),
        ('f0000000-0000-4000-8000-00000000000a', %1$L, 'out', repeat('x', 5000))$$, :'coach_a'),
    '23514', null,
    'a batch with one oversized message fails'
);
select is(
    (select (count(m.id), min(l.total_messages_sent))::text
     from public.leads as l left join public.messages as m on m.lead_id = l.id
     where l.id = 'f0000000-0000-4000-8000-00000000000a'),
    (0, 0)::text,
    'and leaves no message and no counter change behind'
);
select is(
    (select count(*)::int from public.leads where user_id_instagram in ('bad_1', 'bad_2', 'bad_3', 'bad_4', 'bad_5', 'bad_6')),
    0,
    'no rejected lead was written'
);

select * from finish();
rollback;
