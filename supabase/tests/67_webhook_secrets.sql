-- The coach's webhook secrets: set through update_coach_settings (stripe_webhook_secret, calendly_signing_key),
-- write-only (get_coach_settings says only whether each is set), in a private table no API role can read; bad values
-- refused without echoing them.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(15);
\ir helpers/auth.psql

select tests.create_coach('secrets-a@example.com') as a \gset
select tests.create_coach('secrets-b@example.com') as b \gset
select tests.create_user('secrets-admin@example.com', '{"role": "admin"}') as admin \gset

select tests.authenticate_as(:'a');
select is(public.get_coach_settings() -> 'stripe_webhook_secret_set', 'false', 'no Stripe secret at first');
select is(public.update_coach_settings('{"stripe_webhook_secret": "whsec_test_0123456789abcdefABCDEF"}')
    - 'updated_at' - 'coach_id' - 'timezone' - 'currency' - 'setter_monthly_cost' - 'setter_cost_estimated'
    - 'minutes_per_manual_message' - 'default_no_show_rate',
    '{"stripe_webhook_secret_set": true, "calendly_signing_key_set": false}', 'coach A sets its Stripe secret: only "set" comes back');
select is(public.update_coach_settings('{"calendly_signing_key": "calendly-key-42"}') -> 'calendly_signing_key_set', 'true',
    'then its Calendly signing key');
select is(public.update_coach_settings('{"currency": "EUR", "stripe_webhook_secret": ""}') -> 'stripe_webhook_secret_set', 'true',
    'a blank secret keeps the stored one');
select ok(public.get_coach_settings()::text !~ '(whsec_|calendly-key)', 'no secret value in the settings document');
select throws_ok($$select public.update_coach_settings('{"stripe_webhook_secret": "sk_live_oops"}')$$, '22023',
    'invalid field "stripe_webhook_secret": must be the signing secret of a Stripe webhook endpoint (whsec_…)',
    'a Stripe API key instead of a webhook secret is refused, without being echoed');
select throws_ok($$select public.update_coach_settings('{"calendly_signing_key": "has space inside"}')$$, '22023',
    'invalid field "calendly_signing_key": must be 8 to 500 printable characters without spaces', 'a key with spaces is refused');
select throws_ok($$select public.update_coach_settings('{"stripe_webhook_secret": "whsec_shorter", "currency": "usd"}')$$, '22023',
    'invalid field "currency": must be a currency code of 3 capital letters (ISO 4217)', 'one bad field: nothing is written');
select throws_ok('select * from private.coach_webhook_secrets', '42501', 'permission denied for schema private',
    'a coach cannot read the secrets table');

select tests.authenticate_as(:'b');
select is(public.get_coach_settings() -> 'stripe_webhook_secret_set', 'false', 'coach B has none');

select tests.authenticate_as(:'admin');
select is(public.get_coach_settings(:'a') -> 'calendly_signing_key_set', 'true', 'an admin sees that coach A''s key is set');
select throws_ok($$select public.update_coach_settings('{"calendly_signing_key": "admin-key-123"}')$$, '42501',
    'permission denied: only a signed-in coach can change its settings', 'an admin sets no secret');

select tests.authenticate_as_service_role();
select throws_ok('select * from private.coach_webhook_secrets', '42501', 'permission denied for table coach_webhook_secrets',
    'the service role cannot read the secrets table either');

select tests.clear_authentication();
select is((select array[stripe_webhook_secret, calendly_signing_key] from private.coach_webhook_secrets where coach_id = :'a'),
    array['whsec_test_0123456789abcdefABCDEF', 'calendly-key-42'], 'what is stored for the webhook functions');
select is((select count(*)::int from information_schema.role_table_grants
    where table_schema = 'private' and table_name = 'coach_webhook_secrets'
        and grantee in ('anon', 'authenticated', 'service_role', 'PUBLIC')), 0, 'no API role has a grant on it');

select * from finish();
rollback;
