-- The no_data alert (docs/kpis.md, "Alerts"): the coach's weekly rhythm (per local weekday and hour over the 4 local
-- weeks before the day of its last message), the messages that rhythm expects during the silence (threshold 5, at
-- least 1 hour), in two time zones and across both DST changes, computed by hand; a quiet Sunday does not alert where
-- a silent Tuesday at the same hours does; it clears when a message arrives, through the upkeep.
--
-- Rhythm fixture (both coaches, local wall-clock times, each of the 28 days D-28 to D-1, so each weekday 4 times):
-- 1 message at 01:30, 2 at 02:30, 4 at 03:30, 3 at 10:15; once, on D-9 (a Friday), one at 05:00; one at 00:00 on
-- D-28 (the first day counted, a Sunday); one at 23:59 on D-29 (a Saturday, before the window). Divided by the
-- 4 weeks, the rhythm is, for every weekday, 1 an hour at 01h, 2 at 02h, 4 at 03h, 3 at 10h; Sunday 00h 1/4,
-- Friday 05h 1/4; every other weekday-hour 0. Element (isodow - 1) * 24 + hour + 1 (Monday 00h first).
-- Paris: D = Sunday 2026-03-29 (02:00 -> 03:00, no local hour 2); New York: D = Sunday 2026-11-01 (02:00 EDT ->
-- 01:00 EST, hour 1 twice). The last message is at 00:30 on D.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(30);
\ir helpers/auth.psql
\ir helpers/alerts.psql

select tests.create_coach('alert-no-data-paris@example.com', 'Europe/Paris') as paris \gset
select tests.create_coach('alert-no-data-ny@example.com', 'America/New_York') as ny \gset

create temporary table fixture (coach uuid, d date);
insert into fixture values (:'paris', '2026-03-29'), (:'ny', '2026-11-01');
select tests.alert_messages(f.coach, 'rhythm', 'out', f.d - 28, f.d - 1, '01:30', 1),
    tests.alert_messages(f.coach, 'rhythm', 'in', f.d - 28, f.d - 1, '02:30', 2),
    tests.alert_messages(f.coach, 'rhythm', 'out', f.d - 28, f.d - 1, '03:30', 4),
    tests.alert_messages(f.coach, 'rhythm', 'in', f.d - 28, f.d - 1, '10:15', 3),
    tests.alert_message(f.coach, 'rhythm', 'in', (f.d - 9) + time '05:00'),
    tests.alert_message(f.coach, 'rhythm', 'out', (f.d - 28) + time '00:00'),
    tests.alert_message(f.coach, 'rhythm', 'out', (f.d - 29) + time '23:59'),
    tests.alert_message(f.coach, 'rhythm', 'out', f.d + time '00:30')
from fixture as f;

-- the rhythm: the hand-computed 168 values, laid out weekday by weekday
select is(private.alert_rhythm(:'paris', 'Europe/Paris', '2026-03-29'),
    (select array_agg(case
            when h.hour = 1 then 1 when h.hour = 2 then 2 when h.hour = 3 then 4 when h.hour = 10 then 3
            when d.isodow = 7 and h.hour = 0 then 0.25 when d.isodow = 5 and h.hour = 5 then 0.25
            else 0 end::numeric order by d.isodow, h.hour)
        from generate_series(1, 7) as d(isodow), generate_series(0, 23) as h(hour)),
    'Paris: messages per local weekday and hour over the 4 weeks before D, divided by 4');
select is(private.alert_rhythm(:'ny', 'America/New_York', '2026-11-01'),
    private.alert_rhythm(:'paris', 'Europe/Paris', '2026-03-29'),
    'New York: the same local weekdays and hours (its days are in its own time zone)');
select is(array[(r.r)[145], (r.r)[102], (r.r)[6], (r.r)[144], (r.r)[4]], array[0.25, 0.25, 0, 0, 4]::numeric[],
    'Sunday 00h = 1/4 (D-28), Friday 05h = 1/4 (D-9), Monday 05h = 0, Saturday 23h = 0 (D-29 is before the window), Monday 03h = 4')
from (select private.alert_rhythm(:'paris', 'Europe/Paris', '2026-03-29') as r) as r;
select is(cardinality(private.alert_rhythm(:'paris', 'Europe/Paris', '2026-03-29')), 168, '7 x 24 values');
select is(private.alert_rhythm(:'paris', 'America/New_York', '2026-03-29')
        = private.alert_rhythm(:'paris', 'Europe/Paris', '2026-03-29'), false,
    'the same messages read in another time zone give another rhythm');

-- expected messages across the spring-forward night (Paris, Sunday D 00:30 -> 04:00: Sunday 00h half, 01h whole,
-- 02h absent, 03h whole)
select is(round(private.alert_expected_messages(private.alert_rhythm(:'paris', 'Europe/Paris', '2026-03-29'), 'Europe/Paris',
        tests.alert_at(:'paris', '2026-03-29 00:30'), tests.alert_at(:'paris', '2026-03-29 04:00')), 6),
    5.125, 'Paris spring forward: 0.5 x 1/4 + 1 + (no hour 2) + 4 = 5.125');
select is(round(private.alert_expected_messages(private.alert_rhythm(:'paris', 'Europe/Paris', '2026-03-29'), 'Europe/Paris',
        tests.alert_at(:'paris', '2026-03-29 00:30'), tests.alert_at(:'paris', '2026-03-29 03:58')), 6),
    4.991667, 'until 03:58: 0.125 + 1 + 4 x 58/60 = 4.991667');

-- expected across the fall-back night (New York, Sunday D 00:30 EDT -> 03:15 EST: 00h half, 01h twice, 02h whole,
-- 03h a quarter)
select is(round(private.alert_expected_messages(private.alert_rhythm(:'ny', 'America/New_York', '2026-11-01'), 'America/New_York',
        tests.alert_at(:'ny', '2026-11-01 00:30'), tests.alert_at(:'ny', '2026-11-01 03:15')), 6),
    5.125, 'New York fall back: 0.5 x 1/4 + 2 h x 1 + 2 + 0.25 x 4 = 5.125');
select is(extract(epoch from tests.alert_at(:'ny', '2026-11-01 03:15') - tests.alert_at(:'ny', '2026-11-01 00:30')) / 3600,
    3.75, 'that silence lasted 3.75 real hours (2.75 on the wall clock)');

-- the alert, both sides of the threshold of 5 expected messages
select is((tests.alert_after_refresh(:'paris', 'no_data', '2026-03-29 03:58')).key, null,
    'Paris 03:58: 4.99 expected, no alert');
select is((tests.alert_after_refresh(:'paris', 'no_data', '2026-03-29 03:59')).key, 'no_data',
    'Paris 03:59: 0.125 + 1 + 4 x 59/60 = 5.06 expected, the alert');
select is((select a.severity from private.coach_alerts as a where a.coach_id = :'paris' and a.key = 'no_data'), 'critical',
    'no_data is critical');
select is((select a.message from private.coach_alerts as a where a.coach_id = :'paris' and a.key = 'no_data'),
    'Aucune donnée reçue depuis le 29/03/2026 à 00:30 (fuseau horaire Europe/Paris), soit 2 h sans message : à votre rythme des 4 dernières semaines aux mêmes jours et heures, environ 5 messages seraient arrivés. Vérifiez ManyChat et le workflow n8n.',
    'its French message, in the coach''s time zone, named (2 h 29 real minutes rounded)');
select is((select a.numbers from private.coach_alerts as a where a.coach_id = :'paris' and a.key = 'no_data'),
    jsonb_build_object('last_message_at', tests.alert_at(:'paris', '2026-03-29 00:30'), 'silent_hours', 2.5,
        'expected_messages', 5.1, 'min_expected', 5),
    'its numbers (2.483 h, 5.058 expected)');
select is((select a.link from private.coach_alerts as a where a.coach_id = :'paris' and a.key = 'no_data'),
    'https://app.manychat.com/', 'it links to ManyChat, where the flow is switched on');
select is((tests.alert_after_refresh(:'ny', 'no_data', '2026-11-01 03:13')).key, null,
    'New York 03:13 EST: 0.125 + 2 + 2 + 4 x 13/60 = 4.99 expected, no alert');
select is((tests.alert_after_refresh(:'ny', 'no_data', '2026-11-01 03:14')).key, 'no_data',
    'New York 03:14 EST: 5.06 expected, the alert');

-- at least one hour of silence, whatever the rhythm
select is((select count(*) from private.alert_no_data(:'paris', 'UTC', '2026-06-01 10:00Z', array_fill(20::numeric, array[168]),
    '2026-06-01 10:59Z'))::integer, 0, '59 minutes of silence for a coach of 20 messages an hour: no alert (under 1 h)');
select is((select count(*) from private.alert_no_data(:'paris', 'UTC', '2026-06-01 10:00Z', array_fill(20::numeric, array[168]),
    '2026-06-01 11:00Z'))::integer, 1, 'one hour: the alert');
select is((select count(*) from private.alert_no_data(:'paris', 'UTC', '2026-06-01 10:00Z', array_fill(0::numeric, array[168]),
    '2026-07-01 10:00Z'))::integer, 0, 'a coach without any rhythm is never told (a month of silence, 0 expected)');
select is(round(private.alert_expected_messages(array_fill(1::numeric, array[168]), 'UTC', '2026-06-01 10:00Z', '2026-07-01 10:00Z'), 6),
    672.0, 'a silence counts at most the 4 weeks of the rhythm (28 x 24 hours at 1 an hour)');

-- a quiet night: the Saturday evening (D-1) expects nothing after 10h but D-29's 23:59
select is((tests.alert_after_refresh(:'paris', 'no_data', '2026-03-28 23:59')).key, null,
    'before the last message was sent, the rule reads only what had arrived then (Saturday D-1 10:15 to 23:59: 0.75 x 9/4 at 10h, 0 from 11h to 22h, 59/60 x 1/4 at 23h = 1.93)');

-- clears itself when data arrives
select tests.alert_message(:'paris', 'rhythm', 'in', '2026-03-29 04:30');
select is((tests.alert_after_refresh(:'paris', 'no_data', '2026-03-29 04:31')).key, null, 'a message arrives: the alert clears');

-- A quiet Sunday does not alert; a silent Tuesday at the same hours does. Paris, from Sunday 2026-05-17: Monday to
-- Saturday one message at 9:15, 10:15, ..., 17:15, up to Monday 06-15; Sundays one at 9:15 only (the last one on
-- Sunday 06-14); then one on Tuesday 06-16 at 9:15. On Sunday 2026-06-14 (window 05-17 to
-- 06-13: 4 of each weekday) the rhythm is 1 an hour from 09h to 17h on Monday to Saturday, 1 at 09h on Sundays.
select tests.create_coach('alert-no-data-sunday@example.com', 'Europe/Paris') as quiet \gset
select tests.alert_lead(:'quiet', 'sunday') is not null as lead;
insert into public.messages (lead_id, coach_id, direction, text, created_at)
select tests.alert_lead(:'quiet', 'sunday'), :'quiet', 'in', 'x', tests.alert_at(:'quiet', d::date + make_time(h.hour, 15, 0))
from generate_series(date '2026-05-17', date '2026-06-15', interval '1 day') as d, generate_series(9, 17) as h(hour)
where extract(isodow from d) <> 7 or h.hour = 9;
select tests.alert_message(:'quiet', 'sunday', 'in', '2026-06-16 09:15');
select is(round(private.alert_expected_messages(private.alert_rhythm(:'quiet', 'Europe/Paris', '2026-06-14'), 'Europe/Paris',
        tests.alert_at(:'quiet', '2026-06-14 09:15'), tests.alert_at(:'quiet', '2026-06-14 17:00')), 6),
    0.75, 'Sunday 09:15 -> 17:00: 0.75 x 1 at 09h, then Sundays expect nothing (a rhythm by hour of day alone expected 0.75 + 7 x 12/14 = 6.75)');
select is((tests.alert_after_refresh(:'quiet', 'no_data', '2026-06-14 17:00')).key, null,
    'a quiet Sunday afternoon: no alert');
select is((tests.alert_after_refresh(:'quiet', 'no_data', '2026-06-16 17:00')).numbers ->> 'expected_messages', '7.8',
    'a silent Tuesday, 09:15 -> 17:00: 0.75 x 1 + 7 x 1 = 7.75 expected (its 4 Tuesdays 05-19 to 06-09), the alert');
select is((select a.message from private.coach_alerts as a where a.coach_id = :'quiet' and a.key = 'no_data'),
    'Aucune donnée reçue depuis le 16/06/2026 à 09:15 (fuseau horaire Europe/Paris), soit 8 h sans message : à votre rythme des 4 dernières semaines aux mêmes jours et heures, environ 8 messages seraient arrivés. Vérifiez ManyChat et le workflow n8n.',
    'its message (7.75 h and 7.75 messages, rounded)');

-- through the upkeep, at the real clock: a coach whose rhythm is 2 messages an hour, silent for 6 hours (its
-- messages cover the 4 weeks before today whole)
select tests.create_coach('alert-no-data-live@example.com', tests.midday_timezone()) as live \gset
insert into public.messages (lead_id, coach_id, direction, text, created_at)
select tests.alert_lead(:'live', 'live'), :'live', 'in', 'x', g
from generate_series(now() - interval '29 days', now() - interval '6 hours', interval '30 minutes') as g;
select private.kpi_upkeep() is not null as upkeep;
select is((select a.numbers ->> 'expected_messages' from private.coach_alerts as a where a.coach_id = :'live' and a.key = 'no_data'),
    '12.0', 'the upkeep raised it: 6 hours at 2 messages an hour');
select is((select cardinality(s.rhythm) from private.alert_coach_state as s where s.coach_id = :'live'), 168,
    'and kept the coach''s weekly rhythm');
select tests.alert_message(:'live', 'live', 'out', now() at time zone tests.midday_timezone());
select private.kpi_upkeep() is not null as upkeep;
select is((select count(*) from private.coach_alerts as a where a.coach_id = :'live' and a.key = 'no_data')::integer, 0,
    'the next pass after a message clears it');

select * from finish();
rollback;
