-- get_notification_settings / update_notification_settings by actor, with their exact errors; nothing is written
-- unless every field is valid.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(22);
\ir helpers/auth.psql

select tests.create_coach('notify-a@example.com') as a \gset
select tests.create_coach('notify-b@example.com') as b \gset
select tests.create_user('notify-admin@example.com', '{"role": "admin"}') as admin \gset

select tests.authenticate_as_anon();
select throws_ok(format('select public.get_notification_settings(%L)', :'a'), '42501',
    'permission denied for function get_notification_settings', 'anon cannot read them');
select throws_ok($$select public.update_notification_settings('{}')$$, '42501',
    'permission denied for function update_notification_settings', 'anon cannot write them');

select tests.authenticate_as(:'a');
select is(public.get_notification_settings(),
    jsonb_build_object('coach_id', :'a', 'hot_lead_hours', 12, 'digest_weekly', true, 'digest_daily', false,
        'telegram_quiet_nights', false, 'telegram', null, 'updated_at', null),
    'the defaults: 12 hours, the weekly digest on, the daily one off, no Telegram bot, Telegram at night');
select throws_ok(format('select public.get_notification_settings(%L)', :'b'), '42501',
    'permission denied: a coach can only read its own settings', 'A cannot read B''s');
select is(public.update_notification_settings('{"hot_lead_hours": 6, "digest_daily": true}') - 'updated_at',
    jsonb_build_object('coach_id', :'a', 'hot_lead_hours', 6, 'digest_weekly', true, 'digest_daily', true,
        'telegram_quiet_nights', false, 'telegram', null),
    'A changes two of them and gets them back');
select is(public.update_notification_settings('{"digest_weekly": "false"}') - 'updated_at',
    jsonb_build_object('coach_id', :'a', 'hot_lead_hours', 6, 'digest_weekly', false, 'digest_daily', true,
        'telegram_quiet_nights', false, 'telegram', null),
    'absent fields are kept; "false" as a string is read');
select ok(public.get_notification_settings() ->> 'updated_at' is not null, 'updated_at is set once saved');
select throws_ok($$select public.update_notification_settings('{"hot_lead_hours": 0}')$$, '22023',
    'invalid field "hot_lead_hours": must be between 1 and 168', 'hours under 1');
select throws_ok($$select public.update_notification_settings('{"hot_lead_hours": 169}')$$, '22023',
    'invalid field "hot_lead_hours": must be between 1 and 168', 'hours over a week');
select throws_ok($$select public.update_notification_settings('{"hot_lead_hours": 1.5}')$$, '22023',
    'invalid field "hot_lead_hours": must be a whole number', 'hours not whole');
select throws_ok($$select public.update_notification_settings('{"hot_lead_hours": "douze"}')$$, '22023',
    'invalid field "hot_lead_hours": must be a number', 'hours not a number');
select throws_ok($$select public.update_notification_settings('{"digest_daily": "oui"}')$$, '22023',
    'invalid field "digest_daily": must be true or false', 'a switch that is not a boolean');
select throws_ok($$select public.update_notification_settings('{"digest": true}')$$, '22023',
    'invalid field "digest": unknown field', 'an unknown field');
select throws_ok($$select public.update_notification_settings('[1]')$$, '22023',
    'invalid field "settings": must be a JSON object', 'not an object');
select throws_ok($$select public.update_notification_settings('{"hot_lead_hours": 3, "digest_daily": 2}')$$, '22023',
    'invalid field "digest_daily": must be true or false', 'one bad field among good ones');
select is(public.get_notification_settings() ->> 'hot_lead_hours', '6', 'and nothing was written');
select throws_ok('select * from private.coach_notification_settings', '42501', null, 'the table is out of reach');

select tests.authenticate_as(:'admin');
select is(public.get_notification_settings(:'a') ->> 'hot_lead_hours', '6', 'an admin reads A''s');
select throws_ok($$select public.update_notification_settings('{"hot_lead_hours": 3}')$$, '42501',
    'permission denied: only a signed-in coach can change its settings', 'an admin changes no one''s');
select throws_ok(format('select public.get_notification_settings(%L)', gen_random_uuid()), 'PT404', 'coach not found',
    'an unknown coach');

select tests.authenticate_as_service_role();
select throws_ok('select public.get_notification_settings()', '22004',
    'coach_id is required: sign in as a coach or pass a coach id', 'the service role names a coach');
select throws_ok($$select public.update_notification_settings('{}')$$, '42501',
    'permission denied for function update_notification_settings', 'the service role does not write them');
select tests.clear_authentication();

select * from finish();
rollback;
