-- Coach settings by actor: a coach reads and changes its own settings only (update_coach_settings takes no coach
-- id), anon nothing, an admin reads any coach's settings but changes none, the service role reads; saving the setter
-- cost ends its "estimated" state; the tables stay closed to direct writes.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(22);
\ir helpers/auth.psql

select tests.create_coach('settings-a@example.com') as a \gset
select tests.create_coach('settings-b@example.com') as b \gset
select tests.create_user('settings-admin@example.com', '{"role": "admin"}') as admin \gset

-- anon
select tests.authenticate_as_anon();
select throws_ok('select public.get_coach_settings()', '42501', 'permission denied for function get_coach_settings',
    'anon cannot read settings');
select throws_ok($$select public.update_coach_settings('{"currency": "USD"}')$$, '42501',
    'permission denied for function update_coach_settings', 'anon cannot change settings');

-- coach A: the defaults, then a save of all five fields, then a partial save
select tests.authenticate_as(:'a');
select is(public.get_coach_settings() - 'updated_at',
    jsonb_build_object('coach_id', :'a'::uuid, 'timezone', 'Europe/Paris', 'currency', 'EUR',
        'setter_monthly_cost', 297.00, 'setter_cost_estimated', true, 'minutes_per_manual_message', 4.00,
        'default_no_show_rate', 0.1700, 'stripe_webhook_secret_set', false, 'calendly_signing_key_set', false),
    'coach A reads its default settings; the default setter cost is estimated');
select is(public.update_coach_settings('{"setter_monthly_cost": 450, "currency": "CHF", "timezone": "America/Montreal",
        "minutes_per_manual_message": 3.5, "default_no_show_rate": 0.2}') - 'updated_at',
    jsonb_build_object('coach_id', :'a'::uuid, 'timezone', 'America/Montreal', 'currency', 'CHF',
        'setter_monthly_cost', 450.00, 'setter_cost_estimated', false, 'minutes_per_manual_message', 3.50,
        'default_no_show_rate', 0.2000, 'stripe_webhook_secret_set', false, 'calendly_signing_key_set', false),
    'coach A saves the five fields and gets them back; its own cost is not estimated');
select is(public.update_coach_settings('{"currency": "EUR", "timezone": null, "minutes_per_manual_message": ""}') - 'updated_at',
    jsonb_build_object('coach_id', :'a'::uuid, 'timezone', 'America/Montreal', 'currency', 'EUR',
        'setter_monthly_cost', 450.00, 'setter_cost_estimated', false, 'minutes_per_manual_message', 3.50,
        'default_no_show_rate', 0.2000, 'stripe_webhook_secret_set', false, 'calendly_signing_key_set', false),
    'a partial save changes the given field only (null and blank keep the value)');
select is(public.update_coach_settings('{}') ->> 'currency', 'EUR', 'an empty object changes nothing');
select is(public.get_coach_settings(:'a') ->> 'currency', 'EUR', 'coach A may name its own id');
select throws_ok(format('select public.get_coach_settings(%L)', :'b'), '42501',
    'permission denied: a coach can only read its own settings', 'coach A cannot read coach B''s settings');
select is(tests.try_write(format('update public.coach_settings set setter_monthly_cost = 1 where coach_id = %L', :'a')),
    'rows:0', 'coach A cannot write its settings row directly (only through the RPC)');
select is(tests.try_write(format('update public.coachs set timezone = %L where id = %L', 'UTC', :'a')),
    'rows:0', 'coach A cannot write its coach row directly');
select throws_ok($$select private.save_coach_settings('{}')$$, '42501', 'permission denied for schema private',
    'the private function is not reachable by name');

-- coach B: untouched by A's saves
select tests.authenticate_as(:'b');
select is(public.get_coach_settings() - 'updated_at' - 'coach_id',
    '{"timezone": "Europe/Paris", "currency": "EUR", "setter_monthly_cost": 297.00, "setter_cost_estimated": true,
      "minutes_per_manual_message": 4.00, "default_no_show_rate": 0.1700, "stripe_webhook_secret_set": false,
      "calendly_signing_key_set": false}'::jsonb,
    'coach B''s settings are still the defaults');
select is(public.update_coach_settings('{"setter_monthly_cost": 297}') ->> 'setter_cost_estimated', 'false',
    'coach B confirms the default amount: given by the coach, it is no longer estimated');
select throws_ok(format('select public.get_coach_settings(%L)', :'a'), '42501',
    'permission denied: a coach can only read its own settings', 'coach B cannot read coach A''s settings');

-- admin (no coach row of its own): reads anyone's, changes nothing
select tests.authenticate_as(:'admin');
select is(public.get_coach_settings(:'a') ->> 'setter_monthly_cost', '450.00', 'an admin reads coach A''s settings');
select throws_ok('select public.get_coach_settings()', 'PT404', 'coach not found',
    'an admin without a coach row has no settings of its own');
select throws_ok($$select public.update_coach_settings('{"currency": "USD"}')$$, '42501',
    'permission denied: only a signed-in coach can change its settings', 'an admin cannot change settings');

-- service role: reads, never writes through this RPC
select tests.authenticate_as_service_role();
select is(public.get_coach_settings(:'b') ->> 'setter_cost_estimated', 'false', 'the service role reads any coach''s settings');
select throws_ok($$select public.update_coach_settings('{"currency": "USD"}')$$, '42501',
    'permission denied for function update_coach_settings', 'the service role has no settings to change');

-- what was stored, as the owner
select tests.clear_authentication();
select is((select array[c.timezone, s.currency, s.setter_monthly_cost::text, s.minutes_per_manual_message::text,
        s.default_no_show_rate::text] from public.coachs as c join public.coach_settings as s on s.coach_id = c.id where c.id = :'a'),
    array['America/Montreal', 'EUR', '450.00', '3.50', '0.2000'], 'coach A''s rows hold what it saved');
select ok((select setter_cost_confirmed_at is not null from public.coach_settings where coach_id = :'a'),
    'saving the cost stamps setter_cost_confirmed_at');
select is((select count(*)::int from public.coach_settings as s join public.coachs as c on c.id = s.coach_id
        where c.email like 'settings-%' and s.currency <> 'EUR'), 0, 'no other coach''s settings were changed');

select * from finish();
rollback;
