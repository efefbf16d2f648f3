-- get_alerts, dismiss_alert and list_no_data_alerts by actor (anon, coach A, coach B, admin, service_role) with their
-- exact errors; a dismissal hides an alert of that coach only, until its fingerprint changes.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(34);
\ir helpers/auth.psql
\ir helpers/alerts.psql

select tests.create_coach('alerts-a@example.com') as a \gset
select tests.create_coach('alerts-b@example.com', 'America/New_York') as b \gset
select tests.create_user('alerts-admin@example.com', '{"role": "admin"}') as admin \gset
insert into private.coach_alerts (coach_id, key, severity, message, numbers, link, fingerprint, raised_at)
values (:'a', 'calls_today', 'info', 'calls A', '{}', '/dashboard?periode=aujourdhui', 'c1', '2026-01-01 10:00Z'),
    (:'a', 'hot_leads', 'warning', 'hot A', '{"count": 1}', 'https://ig.me/m/x', 'h1', '2026-01-01 09:00Z'),
    (:'a', 'no_data', 'critical', 'Aucune donnée reçue depuis A', '{"last_message_at": "2026-01-01T08:00:00+00:00"}',
        'https://app.manychat.com/', 'n1', '2026-01-01 11:00Z'),
    (:'a', 'reply_rate_drop', 'warning', 'drop A', '{}', '/dashboard?periode=30j#reply_rates', 'r1', '2026-01-01 08:00Z'),
    (:'b', 'no_data', 'critical', 'Aucune donnée reçue depuis B', '{"last_message_at": "2026-01-01T07:00:00+00:00"}',
        'https://app.manychat.com/', 'n1', '2026-01-01 11:00Z');

-- anon
select tests.authenticate_as_anon();
select throws_ok(format('select * from public.get_alerts(%L)', :'a'), '42501', 'permission denied for function get_alerts',
    'anon cannot read alerts');
select throws_ok($$select public.dismiss_alert('hot_leads', 'h1')$$, '42501', 'permission denied for function dismiss_alert',
    'anon cannot dismiss');
select throws_ok('select * from public.list_no_data_alerts()', '42501', 'permission denied for function list_no_data_alerts',
    'anon cannot list silent coaches');

-- coach A
select tests.authenticate_as(:'a');
select is(array(select g.key from public.get_alerts() as g), array['no_data', 'reply_rate_drop', 'hot_leads', 'calls_today'],
    'A reads its alerts, most severe first (critical, then warnings by raised_at, then info)');
select is((select g.message from public.get_alerts(:'a') as g where g.key = 'no_data'), 'Aucune donnée reçue depuis A',
    'with its own id too');
select is((select (g.severity, g.link, g.fingerprint, g.numbers)::text from public.get_alerts() as g where g.key = 'hot_leads'),
    '(warning,https://ig.me/m/x,h1,"{""count"": 1}")', 'each row: severity, link, fingerprint, numbers');
select throws_ok(format('select * from public.get_alerts(%L)', :'b'), '42501',
    'permission denied: a coach can only read its own dashboard', 'A asking for B''s alerts fails');
select throws_ok(format('select * from public.get_alerts(%L)', gen_random_uuid()), '42501',
    'permission denied: a coach can only read its own dashboard', 'A asking for an unknown id fails the same way');
select throws_ok('select * from public.list_no_data_alerts()', '42501',
    'permission denied: only an admin can list the coaches'' alerts', 'a coach cannot list silent coaches');
select throws_ok($$select public.dismiss_alert('nothing', 'h1')$$, '22023',
    'invalid parameter "alert_key": must be one of no_data, reply_rate_drop, hot_leads, calls_today', 'an unknown key');
select throws_ok($$select public.dismiss_alert(null, 'h1')$$, '22023',
    'invalid parameter "alert_key": must be one of no_data, reply_rate_drop, hot_leads, calls_today', 'no key');
select throws_ok($$select public.dismiss_alert('hot_leads', ' ')$$, '22023',
    'invalid parameter "fingerprint": must be the fingerprint get_alerts returned for the alert (1 to 200 characters)',
    'a blank fingerprint');
select throws_ok($$select public.dismiss_alert('hot_leads', null)$$, '22023',
    'invalid parameter "fingerprint": must be the fingerprint get_alerts returned for the alert (1 to 200 characters)',
    'no fingerprint');
select is(public.dismiss_alert('hot_leads', 'h1'), true, 'A dismisses its hot_leads alert as it is');
select is(array(select g.key from public.get_alerts() as g), array['no_data', 'reply_rate_drop', 'calls_today'],
    'it is hidden');
select is(public.dismiss_alert('no_data', 'n0'), false, 'dismissing a version that is not the current one answers false');
select is((select count(*) from public.get_alerts() as g where g.key = 'no_data')::integer, 1, 'and hides nothing');
select is(public.dismiss_alert('no_data', 'n1'), true, 'A dismisses its no_data alert');
select throws_ok('select * from private.coach_alerts', '42501', null, 'the alerts table is out of reach');
select throws_ok('select * from private.alert_dismissals', '42501', null, 'the dismissals table is out of reach');
select throws_ok($$select private.alert_refresh(auth.uid(), now())$$, '42501', 'permission denied for schema private',
    'the rules are out of reach');

-- coach B: A's dismissals are A's
select tests.authenticate_as(:'b');
select is(array(select g.key from public.get_alerts() as g), array['no_data'], 'B still sees its no_data alert');
select throws_ok(format('select * from public.get_alerts(%L)', :'a'), '42501',
    'permission denied: a coach can only read its own dashboard', 'B asking for A''s alerts fails');

-- admin
select tests.authenticate_as(:'admin');
select is(array(select g.key from public.get_alerts(:'a') as g), array['reply_rate_drop', 'calls_today'],
    'an admin reads A''s alerts as A sees them');
select is(array(select l.name from public.list_no_data_alerts() as l where l.coach_id in (:'a', :'b')), array['Test alerts-b', 'Test alerts-a'],
    'an admin lists every silent coach, longest silence first, whatever they dismissed');
select is((select (l.email, l.timezone, l.last_message_at, l.message)::text from public.list_no_data_alerts() as l where l.coach_id = :'b'),
    '(alerts-b@example.com,America/New_York,"2026-01-01 07:00:00+00","Aucune donnée reçue depuis B")',
    'with the coach''s email, time zone, last message and message');
select throws_ok($$select public.dismiss_alert('no_data', 'n1')$$, '42501',
    'permission denied: only a signed-in coach can dismiss its alerts', 'an admin cannot dismiss (read-only view)');
select throws_ok('select * from public.get_alerts()', 'PT404', 'coach not found', 'an admin has no alerts of its own');

-- service_role
select tests.authenticate_as_service_role();
select is((select count(*) from public.get_alerts(:'b'))::integer, 1, 'the service role reads any coach''s alerts');
select is((select count(*) from public.list_no_data_alerts() as l where l.coach_id in (:'a', :'b'))::integer, 2,
    'and lists silent coaches');
select throws_ok('select * from public.get_alerts()', '22004', 'coach_id is required: sign in as a coach or pass a coach id',
    'without a coach id it is told to pass one');
select throws_ok($$select public.dismiss_alert('no_data', 'n1')$$, '42501', 'permission denied for function dismiss_alert',
    'the service role does not dismiss');
select tests.clear_authentication();

-- until it changes: the upkeep writes another fingerprint (a new message), the alert shows again
update private.coach_alerts set fingerprint = 'h2', message = 'hot A again' where coach_id = :'a' and key = 'hot_leads';
select tests.authenticate_as(:'a');
select is(array(select g.key from public.get_alerts() as g), array['reply_rate_drop', 'hot_leads', 'calls_today'],
    'the hot_leads alert changed: shown again (no_data stays dismissed)');
select tests.clear_authentication();
select tests.alert_message(:'a', 'x', 'in', '2026-01-01 08:00');
select private.alert_refresh(:'a', tests.alert_at(:'a', '2026-01-01 08:30'));
select tests.authenticate_as(:'a');
select is(array(select g.key from public.get_alerts() as g), array[]::text[],
    'a real refresh at 08:30 clears the hand-made rows whose rules do not hold');
select tests.clear_authentication();

select * from finish();
rollback;
