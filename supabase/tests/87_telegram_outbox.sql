-- Hot leads to Telegram (docs/deployment.md, "Hot leads to Telegram"): the outbox's queueing (one message per lead and
-- event, only for a connected bot whose token works, not for replayed history), what a message says (by hand), the
-- claim's quiet nights in two time zones across the spring DST change, and its exactly-once rules: a held claim is not
-- claimed again, an expired one is; only the holder marks it; backoff, give-up and revocation; two concurrent
-- claimers (two real sessions through dblink) never get the same message.
begin;
create extension if not exists pgtap with schema extensions;
create extension if not exists dblink with schema extensions;
set local search_path = public, extensions;
select plan(31);
\ir helpers/auth.psql
\ir helpers/alerts.psql

select tests.create_coach('tg-paris@example.com', 'Europe/Paris') as paris \gset
select tests.create_coach('tg-ny@example.com', 'America/New_York') as ny \gset
select tests.create_coach('tg-none@example.com', 'Europe/Paris') as none \gset
select private.telegram_connect(:'paris', '123456:AAbbCCddEEffGGhhIIjjKKllMMnnOOpp', '424242') as connected;
select private.telegram_connect(:'ny', '654321:ZZyyXXwwVVuuTTssRRqqPPooNNmmLLkk', '-100987') as connected;
insert into private.coach_notification_settings (coach_id, telegram_quiet_nights) values (:'paris', true), (:'ny', true);

-- queueing
select tests.alert_lead(:'paris', 'julie') as julie \gset
select tests.alert_message(:'paris', 'julie', 'in', '2026-03-28 21:00');
select tests.alert_message(:'paris', 'julie', 'in', '2026-03-28 21:05');
update public.messages set text = 'Oui je veux bien un appel, je suis dispo demain' where lead_id = :'julie' and created_at = tests.alert_at(:'paris', '2026-03-28 21:05');
update public.messages set text = 'Bonjour' where lead_id = :'julie' and created_at = tests.alert_at(:'paris', '2026-03-28 21:00');
select tests.alert_message(:'paris', 'julie', 'out', '2026-03-28 21:10');
update public.leads set status = 'qualified' where id = :'julie';
select is((select array_agg(o.event || ':' || o.status) from private.telegram_outbox as o where o.lead_id = :'julie'), '{qualified:pending}',
    'a lead that becomes qualified queues one message');
update public.leads set status = 'engaged' where id = :'julie';
update public.leads set status = 'qualified' where id = :'julie';
select is((select count(*) from private.telegram_outbox as o where o.lead_id = :'julie')::integer, 1,
    'qualified a second time: still one message for that event');
update public.leads set status = 'call_booked', call_at = '2026-03-30 12:30Z' where id = :'julie';
select is((select array_agg(o.event order by o.id) from private.telegram_outbox as o where o.lead_id = :'julie'), '{qualified,call_booked}',
    'booking a call queues a second one');
select tests.alert_lead(:'none', 'zoe') as zoe \gset
update public.leads set status = 'qualified' where id = :'zoe';
select is((select count(*) from private.telegram_outbox as o where o.lead_id = :'zoe')::integer, 0, 'no bot: nothing queued');
select tests.alert_lead(:'paris', 'old') as old \gset
insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at)
values (:'old', :'paris', 'new', 'qualified', now() - interval '2 days');
select is((select count(*) from private.telegram_outbox as o where o.lead_id = :'old')::integer, 0,
    'an event older than a day (replayed history) queues nothing');

-- what it says
select is(private.telegram_text(:'julie', 'qualified'),
    E'🔥 Lead qualifié : Julie (@julie)\nDernier message : « Oui je veux bien un appel, je suis dispo demain »\nhttps://www.instagram.com/julie/',
    'qualified: the name, the username, what the lead said last (not the setter), the Instagram link');
select is(private.telegram_text(:'julie', 'call_booked'),
    E'📅 Call réservé : Julie (@julie)\nCall le 30/03 à 14:30\nDernier message : « Oui je veux bien un appel, je suis dispo demain »\nhttps://www.instagram.com/julie/',
    'call booked: with the call''s time in the coach''s zone (12:30Z is 14:30 CEST)');
update public.messages set text = repeat('a', 310) where lead_id = :'julie' and created_at = tests.alert_at(:'paris', '2026-03-28 21:05');
select is(char_length(split_part(private.telegram_text(:'julie', 'qualified'), E'\n', 2)), 322,
    'a long last message is cut to 300 characters (299 and …, in « » after the 20 characters of the label)');

-- quiet nights in two time zones, across Paris's DST change (29 March 2026, 02:00 CET -> 03:00 CEST)
select tests.alert_lead(:'ny', 'gil') as gil \gset
update public.leads set status = 'qualified' where id = :'gil';
update private.telegram_outbox set next_attempt_at = '2026-03-29 00:00Z';
select is(array(select c.event || '@' || c.coach_id from private.telegram_claim('2026-03-29 05:59Z') as c), '{}'::text[],
    '05:59Z: 07:59 CEST in Paris, 01:59 EDT in New York: both quiet');
create temporary table paris_claims as select * from private.telegram_claim('2026-03-29 06:00Z');
select is(array(select c.coach_id::text from paris_claims as c), array[:'paris', :'paris'],
    '06:00Z: 08:00 in Paris (summer time since 01:00Z): Paris''s two go; New York (02:00) still waits');
select count(private.telegram_mark_sent(c.id, c.claim_token, c.id)) as sent from paris_claims as c;
select is(array(select c.lead_id::text from private.telegram_claim('2026-03-29 12:00Z') as c), array[:'gil'],
    '12:00Z: 08:00 EDT in New York: Gil''s goes');
select is(array(select c.text from private.telegram_claim('2026-03-29 12:00Z') as c), '{}'::text[],
    'claimed ones are not claimed again while their lease holds');
select is((select c.bot_token || ' ' || c.chat_id from private.telegram_claim('2026-03-29 12:01Z') as c where c.lead_id = :'gil'),
    '654321:ZZyyXXwwVVuuTTssRRqqPPooNNmmLLkk -100987', 'after the lease (60 s) the claim is taken again, with the bot');
update private.coach_notification_settings set telegram_quiet_nights = false where coach_id = :'ny';

-- sent, failed, backoff
select c.id as gil_id, c.claim_token as gil_token from private.telegram_claim('2026-03-29 12:03Z') as c where c.lead_id = :'gil' \gset
select is(private.telegram_mark_sent(:gil_id, gen_random_uuid(), 1), null, 'another token cannot mark it sent');
select is(private.telegram_mark_failed(:gil_id, :'gil_token', 502, 'Bad Gateway'), 'retry', 'a 502: retried');
select is((select (o.status, o.attempts, o.last_error)::text from private.telegram_outbox as o where o.id = :gil_id),
    '(pending,3,"502 Bad Gateway")', 'pending again, the error kept');
select ok((select o.next_attempt_at between clock_timestamp() + interval '119 seconds' and clock_timestamp() + interval '121 seconds'
    from private.telegram_outbox as o where o.id = :gil_id), 'after its third attempt it waits 2 minutes (30 s, 1 min, 2 min …)');
select is((select count(*) from private.telegram_claim(clock_timestamp()) as c where c.id = :gil_id)::integer, 0,
    'not claimed before its backoff ends');
select c.claim_token as gil_token from private.telegram_claim(clock_timestamp() + interval '3 minutes') as c where c.id = :gil_id \gset
select is(private.telegram_mark_failed(:gil_id, :'gil_token', 429, 'Too Many Requests: retry after 7', 7), 'retry', 'a 429');
select ok((select o.next_attempt_at < clock_timestamp() + interval '8 seconds' from private.telegram_outbox as o where o.id = :gil_id),
    'Telegram''s retry_after is the wait');
update private.telegram_outbox set attempts = 7 where id = :gil_id;
select c.claim_token as gil_token from private.telegram_claim(clock_timestamp() + interval '1 minute') as c where c.id = :gil_id \gset
select is(private.telegram_mark_failed(:gil_id, :'gil_token', null, 'connection reset'), 'given_up', 'the eighth failure gives up');
select is((public.get_notification_settings(:'ny') -> 'telegram' ->> 'last_error'), 'connection reset',
    'the settings show the last failure');
select tests.alert_lead(:'ny', 'hal') as hal \gset
update public.leads set status = 'qualified' where id = :'hal';
select c.id as hal_id, c.claim_token as hal_token from private.telegram_claim(clock_timestamp()) as c where c.lead_id = :'hal' \gset
select is(private.telegram_mark_sent(:hal_id, :'hal_token', 77), true, 'the holder marks it sent');
select is((public.get_notification_settings(:'ny') -> 'telegram' ->> 'last_error'), null,
    'a later success hides the old failure');
select is((select count(*) from private.telegram_claim(clock_timestamp() + interval '1 day') as c where c.id = :hal_id)::integer, 0, 'sent is final');

-- a revoked token stops everything of that bot
select tests.alert_lead(:'ny', 'ivy') as ivy \gset
update public.leads set status = 'qualified' where id = :'ivy';
update public.leads set status = 'call_booked' where id = :'hal';
select c.id as ivy_id, c.claim_token as ivy_token from private.telegram_claim(clock_timestamp()) as c where c.lead_id = :'ivy' \gset
select is(private.telegram_mark_failed(:ivy_id, :'ivy_token', 401, 'Unauthorized'), 'revoked', 'a 401: the token is revoked');
select is((select array_agg(o.status order by o.id) from private.telegram_outbox as o where o.lead_id in (:'ivy', :'hal') and o.status <> 'sent'),
    '{given_up,given_up}', 'this message and the bot''s others are given up');
select is((select (t.revoked_at is not null, t.last_error) from private.coach_telegram as t where t.coach_id = :'ny')::text, '(t,"401 Unauthorized")',
    'the bot is marked revoked, with Telegram''s answer');
select tests.alert_lead(:'ny', 'jo') as jo \gset
update public.leads set status = 'qualified' where id = :'jo';
select is((select count(*) from private.telegram_outbox as o where o.lead_id = :'jo')::integer, 0, 'a revoked bot queues nothing more');

-- two concurrent claimers: two sessions of their own, on a committed coach and lead (removed at the end)
select dblink_connect('tg_a', 'host=127.0.0.1 dbname=' || current_database() || ' user=postgres port=' || current_setting('port')) is not null as a;
select dblink_connect('tg_b', 'host=127.0.0.1 dbname=' || current_database() || ' user=postgres port=' || current_setting('port')) is not null as b;
select dblink_exec('tg_a', $$delete from public.coachs where id = '0d16e57a-0000-4000-8000-000000000087'$$);
select dblink_exec('tg_a', $$insert into public.coachs (id, name, email) values
    ('0d16e57a-0000-4000-8000-000000000087', 'Telegram concurrency', 'tg-concurrency-87@example.com');
    select private.telegram_connect('0d16e57a-0000-4000-8000-000000000087', '111111:AAbbCCddEEffGGhhIIjjKKllMMnnOOpp', '1');
    insert into public.leads (coach_id, user_id_instagram, instagram_username, status)
    select '0d16e57a-0000-4000-8000-000000000087', 'tg-87-' || i, 'tg87_' || i, 'qualified' from generate_series(1, 3) as i$$);
select dblink_exec('tg_a', 'begin');
select dblink_exec('tg_b', 'begin');
select t as claimed_a from dblink('tg_a', $$select count(*)::text from private.telegram_claim(clock_timestamp(), 2)
    where coach_id = '0d16e57a-0000-4000-8000-000000000087'$$) as r(t text) \gset
select t as claimed_b from dblink('tg_b', $$select coalesce(string_agg(id::text, ','), '') from private.telegram_claim(clock_timestamp(), 20)
    where coach_id = '0d16e57a-0000-4000-8000-000000000087'$$) as r(t text) \gset
select is(:'claimed_a' || '+' || (select count(*) from regexp_split_to_table(nullif(:'claimed_b', ''), ',')), '2+1',
    'while A holds two uncommitted claims, B does not wait and gets only the third');
select dblink_exec('tg_a', 'commit');
select dblink_exec('tg_b', 'commit');
select is((select t from dblink('tg_a', $$select count(*)::text || '/' || count(distinct claim_token)::text from private.telegram_outbox
    where coach_id = '0d16e57a-0000-4000-8000-000000000087' and status = 'claimed'$$) as r(t text)), '3/3',
    'three messages, each claimed once');
select dblink_exec('tg_a', $$delete from public.coachs where id = '0d16e57a-0000-4000-8000-000000000087'$$);
select dblink_disconnect('tg_a'), dblink_disconnect('tg_b');

select * from finish();
rollback;
