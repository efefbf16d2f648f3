-- The no_data alert (docs/kpis.md, "Alerts"): the coach's rhythm per local hour over the 14 local days before the day
-- of its last message, the messages that rhythm expects during the silence (threshold 5, at least 1 hour), in two
-- time zones and across both DST changes, computed by hand; it clears when a message arrives, through the upkeep.
--
-- Rhythm fixture (both coaches, local wall-clock times, each of the 14 days before D): 1 message at 01:30, 2 at 02:30,
-- 4 at 03:30, 3 at 10:15; once, on D-9, one at 05:00; one at 00:00 on D-14 (the first day counted); one at 23:59 on
-- D-15 (before the window). So the rhythm is r0 = r5 = 1/14, r1 = 1, r2 = 2, r3 = 4, r10 = 3, every other hour 0.
-- Paris: D = 2026-03-29 (02:00 -> 03:00, no local hour 2); New York: D = 2026-11-01 (02:00 EDT -> 01:00 EST, hour 1
-- twice). The last message is at 00:30 on D.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(23);
\ir helpers/auth.psql
\ir helpers/alerts.psql

select tests.create_coach('alert-no-data-paris@example.com', 'Europe/Paris') as paris \gset
select tests.create_coach('alert-no-data-ny@example.com', 'America/New_York') as ny \gset

create temporary table fixture (coach uuid, d date);
insert into fixture values (:'paris', '2026-03-29'), (:'ny', '2026-11-01');
select tests.alert_messages(f.coach, 'rhythm', 'out', f.d - 14, f.d - 1, '01:30', 1),
    tests.alert_messages(f.coach, 'rhythm', 'in', f.d - 14, f.d - 1, '02:30', 2),
    tests.alert_messages(f.coach, 'rhythm', 'out', f.d - 14, f.d - 1, '03:30', 4),
    tests.alert_messages(f.coach, 'rhythm', 'in', f.d - 14, f.d - 1, '10:15', 3),
    tests.alert_message(f.coach, 'rhythm', 'in', (f.d - 9) + time '05:00'),
    tests.alert_message(f.coach, 'rhythm', 'out', (f.d - 14) + time '00:00'),
    tests.alert_message(f.coach, 'rhythm', 'out', (f.d - 15) + time '23:59'),
    tests.alert_message(f.coach, 'rhythm', 'out', f.d + time '00:30')
from fixture as f;

-- the rhythm
select is(private.alert_rhythm(:'paris', 'Europe/Paris', '2026-03-29'),
    array[1 / 14.0, 1, 2, 4, 0, 1 / 14.0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::numeric[],
    'Paris: messages per local hour over the 14 days before D, divided by 14');
select is(private.alert_rhythm(:'ny', 'America/New_York', '2026-11-01'),
    array[1 / 14.0, 1, 2, 4, 0, 1 / 14.0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::numeric[],
    'New York: the same local hours (its days are in its own time zone)');
select is(private.alert_rhythm(:'paris', 'America/New_York', '2026-03-29')
        = private.alert_rhythm(:'paris', 'Europe/Paris', '2026-03-29'), false,
    'the same messages read in another time zone give another rhythm');

-- expected messages across the spring-forward night (Paris, D 00:30 -> 04:00: hour 0 half, 1 whole, 2 absent, 3 whole)
select is(round(private.alert_expected_messages(private.alert_rhythm(:'paris', 'Europe/Paris', '2026-03-29'), 'Europe/Paris',
        tests.alert_at(:'paris', '2026-03-29 00:30'), tests.alert_at(:'paris', '2026-03-29 04:00')), 6),
    round(0.5 / 14 + 1 + 0 + 4, 6), 'Paris spring forward: 0.5 x 1/14 + 1 + (no hour 2) + 4 = 5.0357');
select is(round(private.alert_expected_messages(private.alert_rhythm(:'paris', 'Europe/Paris', '2026-03-29'), 'Europe/Paris',
        tests.alert_at(:'paris', '2026-03-29 00:30'), tests.alert_at(:'paris', '2026-03-29 03:59')), 6),
    round(0.5 / 14 + 1 + 4 * 59 / 60.0, 6), 'one minute earlier: 4.9690');

-- expected across the fall-back night (New York, D 00:30 EDT -> 03:15 EST: hour 0 half, hour 1 twice, 2 whole, 3 quarter)
select is(round(private.alert_expected_messages(private.alert_rhythm(:'ny', 'America/New_York', '2026-11-01'), 'America/New_York',
        tests.alert_at(:'ny', '2026-11-01 00:30'), tests.alert_at(:'ny', '2026-11-01 03:15')), 6),
    round(0.5 / 14 + 2 * 1 + 2 + 0.25 * 4, 6), 'New York fall back: 0.5 x 1/14 + 2 h x 1 + 2 + 0.25 x 4 = 5.0357');
select is(extract(epoch from tests.alert_at(:'ny', '2026-11-01 03:15') - tests.alert_at(:'ny', '2026-11-01 00:30')) / 3600,
    3.75, 'that silence lasted 3.75 real hours (2.75 on the wall clock)');

-- the alert, both sides of the threshold of 5 expected messages
select is((tests.alert_after_refresh(:'paris', 'no_data', '2026-03-29 03:59')).key, null,
    'Paris 03:59: 4.97 expected, no alert');
select is((tests.alert_after_refresh(:'paris', 'no_data', '2026-03-29 04:00')).key, 'no_data',
    'Paris 04:00: 5.04 expected, the alert');
select is((select a.severity from private.coach_alerts as a where a.coach_id = :'paris' and a.key = 'no_data'), 'critical',
    'no_data is critical');
select is((select a.message from private.coach_alerts as a where a.coach_id = :'paris' and a.key = 'no_data'),
    'Aucune donnée reçue depuis le 29/03/2026 à 00:30 (3 h sans message) : à votre rythme des 14 derniers jours, environ 5 messages seraient arrivés. Vérifiez ManyChat et le workflow n8n.',
    'its French message, in the coach''s time (2.5 real hours rounded)');
select is((select a.numbers from private.coach_alerts as a where a.coach_id = :'paris' and a.key = 'no_data'),
    jsonb_build_object('last_message_at', tests.alert_at(:'paris', '2026-03-29 00:30'), 'silent_hours', 2.5,
        'expected_messages', 5.0, 'min_expected', 5),
    'its numbers');
select is((select a.link from private.coach_alerts as a where a.coach_id = :'paris' and a.key = 'no_data'),
    'https://app.manychat.com/', 'it links to ManyChat, where the flow is switched on');
select is((tests.alert_after_refresh(:'ny', 'no_data', '2026-11-01 03:14')).key, null,
    'New York 03:14 EST: 4.97 expected, no alert');
select is((tests.alert_after_refresh(:'ny', 'no_data', '2026-11-01 03:15')).key, 'no_data',
    'New York 03:15 EST: 5.04 expected, the alert');

-- at least one hour of silence, whatever the rhythm
select is((select count(*) from private.alert_no_data(:'paris', 'UTC', '2026-06-01 10:00Z', array_fill(20::numeric, array[24]),
    '2026-06-01 10:59Z'))::integer, 0, '59 minutes of silence for a coach of 20 messages an hour: no alert (under 1 h)');
select is((select count(*) from private.alert_no_data(:'paris', 'UTC', '2026-06-01 10:00Z', array_fill(20::numeric, array[24]),
    '2026-06-01 11:00Z'))::integer, 1, 'one hour: the alert');
select is((select count(*) from private.alert_no_data(:'paris', 'UTC', '2026-06-01 10:00Z', array_fill(0::numeric, array[24]),
    '2026-07-01 10:00Z'))::integer, 0, 'a coach without any rhythm is never told (a month of silence, 0 expected)');
select is(round(private.alert_expected_messages(array_fill(1::numeric, array[24]), 'UTC', '2026-06-01 10:00Z', '2026-07-01 10:00Z'), 6),
    336.0, 'a silence counts at most 14 days of the rhythm');

-- a quiet night: after the evening the rhythm expects nothing until 01:00
select is((tests.alert_after_refresh(:'paris', 'no_data', '2026-03-28 23:59')).key, null,
    'before the last message was sent, the rule reads only what had arrived then (D-1 10:15 + 13 h: hours 11-23 expect 0)');

-- clears itself when data arrives
select tests.alert_message(:'paris', 'rhythm', 'in', '2026-03-29 04:30');
select is((tests.alert_after_refresh(:'paris', 'no_data', '2026-03-29 04:31')).key, null, 'a message arrives: the alert clears');

-- through the upkeep, at the real clock: a coach whose rhythm is 2 messages an hour, silent for 6 hours
select tests.create_coach('alert-no-data-live@example.com', tests.midday_timezone()) as live \gset
insert into public.messages (lead_id, coach_id, direction, text, created_at)
select tests.alert_lead(:'live', 'live'), :'live', 'in', 'x', g
from generate_series(now() - interval '16 days', now() - interval '6 hours', interval '30 minutes') as g;
select private.kpi_upkeep() is not null as upkeep;
select is((select a.numbers ->> 'expected_messages' from private.coach_alerts as a where a.coach_id = :'live' and a.key = 'no_data'),
    '12.0', 'the upkeep raised it: 6 hours at 2 messages an hour');
select tests.alert_message(:'live', 'live', 'out', now() at time zone tests.midday_timezone());
select private.kpi_upkeep() is not null as upkeep;
select is((select count(*) from private.coach_alerts as a where a.coach_id = :'live' and a.key = 'no_data')::integer, 0,
    'the next pass after a message clears it');

select * from finish();
rollback;
