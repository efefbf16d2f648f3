-- The Telegram settings by actor, with their exact errors: what get_notification_settings shows of a bot (never its
-- token), telegram_quiet_nights through update_notification_settings, public.disconnect_telegram, and the outbox's
-- functions and tables out of the API roles' reach.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(17);
\ir helpers/auth.psql
\ir helpers/alerts.psql

select tests.create_coach('tg-a@example.com') as a \gset
select tests.create_coach('tg-b@example.com') as b \gset
select tests.create_user('tg-admin@example.com', '{"role": "admin"}') as admin \gset
select private.telegram_connect(:'a', '123456:AAbbCCddEEffGGhhIIjjKKllMMnnOOpp', '@coach_a_alerts') as connected;
select private.telegram_connect(:'b', '654321:ZZyyXXwwVVuuTTssRRqqPPooNNmmLLkk', '5555') as connected;
select tests.alert_lead(:'a', 'ana') as ana \gset
update public.leads set status = 'qualified' where id = :'ana';

select tests.authenticate_as_anon();
select throws_ok('select public.disconnect_telegram()', '42501', 'permission denied for function disconnect_telegram',
    'anon cannot disconnect a bot');

select tests.authenticate_as(:'a');
select is((public.get_notification_settings() -> 'telegram') - 'connected_at',
    '{"chat_id": "@coach_a_alerts", "revoked_at": null, "last_sent_at": null, "last_error": null, "last_error_at": null}'::jsonb,
    'A sees its bot: the chat, no send yet; never the token');
select is(public.get_notification_settings()::text like '%AAbbCC%', false, 'the token appears nowhere in the document');
select is(public.update_notification_settings('{"telegram_quiet_nights": true}') ->> 'telegram_quiet_nights', 'true',
    'A turns quiet nights on');
select throws_ok($$select public.update_notification_settings('{"telegram_quiet_nights": "la nuit"}')$$, '22023',
    'invalid field "telegram_quiet_nights": must be true or false', 'quiet nights must be a boolean');
select throws_ok($$select public.update_notification_settings('{"telegram_token": "123:abc"}')$$, '22023',
    'invalid field "telegram_token": unknown field', 'a token cannot be saved by the RPC (telegram-connect checks it first)');
select throws_ok('select * from private.coach_telegram', '42501', null, 'the bots'' table is out of reach');
select throws_ok('select * from private.telegram_outbox', '42501', null, 'the outbox is out of reach');
select throws_ok($$select private.telegram_connect(auth.uid(), '1:AAbbCCddEEffGGhhIIjjKKllMMnnOOpp', '1')$$, '42501',
    'permission denied for schema private', 'a coach cannot connect a bot without the test message');
select throws_ok('select * from private.telegram_claim(now())', '42501', 'permission denied for schema private',
    'nor claim messages');
select is(public.disconnect_telegram() -> 'telegram', 'null'::jsonb, 'A disconnects its bot');
select tests.clear_authentication();
select is((select (o.status, o.last_error)::text from private.telegram_outbox as o where o.lead_id = :'ana'), '(given_up,"bot déconnecté")',
    'the message not sent yet is dropped');
select is((select count(*) from private.coach_telegram as t where t.coach_id in (:'a', :'b'))::integer, 1,
    'A''s bot is gone, B''s is kept');

select tests.authenticate_as(:'admin');
select is(public.get_notification_settings(:'b') -> 'telegram' ->> 'chat_id', '5555', 'an admin reads B''s bot state');
select throws_ok('select public.disconnect_telegram()', '42501',
    'permission denied: only a signed-in coach can change its settings', 'an admin disconnects no one''s');

select tests.authenticate_as_service_role();
select throws_ok('select public.disconnect_telegram()', '42501', 'permission denied for function disconnect_telegram',
    'the service role does not use the coach''s RPC');
select tests.clear_authentication();
select is(private.telegram_connect(gen_random_uuid(), '1:AAbbCCddEEffGGhhIIjjKKllMMnnOOpp', '1'), null,
    'connecting an unknown coach writes nothing');

select * from finish();
rollback;
