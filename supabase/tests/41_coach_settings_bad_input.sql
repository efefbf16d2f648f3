-- update_coach_settings refuses bad input with 22023 (HTTP 400) naming the field, and writes nothing then, not even
-- the valid fields of the same call.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(16);
\ir helpers/auth.psql

select tests.create_coach('settings-bad@example.com') as coach \gset
select tests.authenticate_as(:'coach');

select throws_ok($$select public.update_coach_settings('[]')$$, '22023',
    'invalid field "settings": must be a JSON object', 'an array is refused');
select throws_ok($$select public.update_coach_settings(null)$$, '22023',
    'invalid field "settings": must be a JSON object', 'null is refused');
select throws_ok($$select public.update_coach_settings('{"setter_cost": 100}')$$, '22023',
    'invalid field "setter_cost": unknown field', 'an unknown field is named');
select throws_ok($$select public.update_coach_settings('{"setter_monthly_cost": "cent"}')$$, '22023',
    'invalid field "setter_monthly_cost": must be a number', 'a cost that is not a number');
select throws_ok($$select public.update_coach_settings('{"setter_monthly_cost": -1}')$$, '22023',
    'invalid field "setter_monthly_cost": must be between 0 and 100000', 'a negative cost');
select throws_ok($$select public.update_coach_settings('{"setter_monthly_cost": 100001}')$$, '22023',
    'invalid field "setter_monthly_cost": must be between 0 and 100000', 'a cost above 100000');
select throws_ok($$select public.update_coach_settings('{"currency": "eur"}')$$, '22023',
    'invalid field "currency": must be a currency code of 3 capital letters (ISO 4217)', 'a currency in lower case');
select throws_ok($$select public.update_coach_settings('{"currency": "EURO"}')$$, '22023',
    'invalid field "currency": must be a currency code of 3 capital letters (ISO 4217)', 'a currency of 4 letters');
select throws_ok($$select public.update_coach_settings('{"currency": ["EUR"]}')$$, '22023',
    'invalid field "currency": must be a string', 'a currency that is not a string');
select throws_ok($$select public.update_coach_settings('{"timezone": "Mars/Olympus_Mons"}')$$, '22023',
    'invalid field "timezone": must be an IANA time zone name (e.g. Europe/Paris)', 'an unknown time zone');
select throws_ok($$select public.update_coach_settings('{"timezone": "UTC+3"}')$$, '22023',
    'invalid field "timezone": must be an IANA time zone name (e.g. Europe/Paris)', 'a POSIX offset is not a time zone name');
select throws_ok($$select public.update_coach_settings('{"minutes_per_manual_message": 61}')$$, '22023',
    'invalid field "minutes_per_manual_message": must be between 0 and 60', 'more than 60 minutes per message');
select throws_ok($$select public.update_coach_settings('{"default_no_show_rate": 17}')$$, '22023',
    'invalid field "default_no_show_rate": must be between 0 and 1', 'a no-show rate given in percent');
select throws_ok($$select public.update_coach_settings('{"default_no_show_rate": true}')$$, '22023',
    'invalid field "default_no_show_rate": must be a number', 'a no-show rate that is not a number');

-- one bad field: nothing of the call is written
select throws_ok($$select public.update_coach_settings('{"setter_monthly_cost": 500, "timezone": "Nowhere"}')$$, '22023',
    'invalid field "timezone": must be an IANA time zone name (e.g. Europe/Paris)', 'a valid cost with a bad time zone');
select is(public.get_coach_settings() - 'updated_at' - 'coach_id',
    '{"timezone": "Europe/Paris", "currency": "EUR", "setter_monthly_cost": 297.00, "setter_cost_estimated": true,
      "minutes_per_manual_message": 4.00, "default_no_show_rate": 0.1700, "stripe_webhook_secret_set": false,
      "calendly_signing_key_set": false}'::jsonb,
    'after the refusals the settings are unchanged, the cost still estimated');

select * from finish();
rollback;
