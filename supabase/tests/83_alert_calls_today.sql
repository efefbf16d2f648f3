-- The calls_today alert (docs/kpis.md, "Alerts"): the calls that start on the coach's local today by Calendly's time
-- (leads.call_at), and the calls booked that day whose start is not known (lead_facts.booked_day), by hand in two time
-- zones on DST days: Paris, anna booked 2026-03-29 00:30 CET (03-28 23:30Z); New York, gil booked 2026-11-01 23:30
-- EST (11-02 04:30Z) and hal at 08:00, then ivy (booked 10-28, her call at 01:30 EST on 11-01, the second 01:30 of
-- that night, 06:30Z) and jo (booked 11-01 09:00, his call on 11-03 at 10:00); Paris, seven leads booked on 2026-04-02.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(13);
\ir helpers/auth.psql
\ir helpers/alerts.psql

select tests.create_coach('alert-calls-paris@example.com', 'Europe/Paris') as paris \gset
select tests.create_coach('alert-calls-ny@example.com', 'America/New_York') as ny \gset
select tests.alert_lead(:'paris', 'anna'), tests.alert_move(:'paris', 'anna', 'call_booked', '2026-03-29 00:30'),
    tests.alert_lead(:'ny', 'gil'), tests.alert_move(:'ny', 'gil', 'call_booked', '2026-11-01 23:30'),
    tests.alert_lead(:'ny', 'hal'), tests.alert_move(:'ny', 'hal', 'call_booked', '2026-11-01 08:00');
select tests.alert_lead(:'paris', 'p' || i), tests.alert_move(:'paris', 'p' || i, 'call_booked', '2026-04-02 09:00'::timestamp + make_interval(mins => i))
from generate_series(1, 7) as i;
select private.kpi_upkeep() is not null as upkeep;

select is((tests.alert_after_refresh(:'paris', 'calls_today', '2026-03-28 23:59')).key, null,
    'Paris 03-28: no call (anna''s is 03-29 locally, 03-28 in UTC)');
select is((tests.alert_after_refresh(:'paris', 'calls_today', '2026-03-29 18:00')).message,
    '1 call réservé aujourd’hui : Anna.', 'Paris 03-29: anna');
select is((select (a.severity, a.link, a.numbers ->> 'count', a.numbers ->> 'day')::text from private.coach_alerts as a
    where a.coach_id = :'paris' and a.key = 'calls_today'), '(info,/dashboard?periode=aujourdhui,1,2026-03-29)',
    'info, linking to today''s dashboard');
select is((tests.alert_after_refresh(:'ny', 'calls_today', '2026-11-01 23:59')).message,
    '2 calls réservés aujourd’hui : Hal, Gil.', 'New York 11-01: hal then gil (11-02 in UTC), in booking order');
select is((tests.alert_after_refresh(:'ny', 'calls_today', '2026-11-02 00:01')).key, null, 'New York 11-02: none');
-- Calendly's call times: a call today counts whenever it was booked; a booking today for another day does not
select tests.alert_lead(:'ny', 'ivy'), tests.alert_move(:'ny', 'ivy', 'call_booked', '2026-10-28 12:00'),
    tests.alert_lead(:'ny', 'jo'), tests.alert_move(:'ny', 'jo', 'call_booked', '2026-11-01 09:00');
update public.leads set call_at = '2026-11-01 06:30Z' where id = tests.alert_lead(:'ny', 'ivy');
update public.leads set call_at = tests.alert_at(:'ny', '2026-11-03 10:00') where id = tests.alert_lead(:'ny', 'jo');
select private.kpi_upkeep() is not null as upkeep;
select is((tests.alert_after_refresh(:'ny', 'calls_today', '2026-11-01 23:59')).message,
    '3 calls aujourd’hui : Ivy à 01:30, Hal, Gil.', 'New York 11-01: ivy''s call at 01:30 EST (booked days before), hal and gil booked that day; not jo (his call is on the 3rd)');
select is((select a.numbers -> 'leads' -> 0 ->> 'call_at' from private.coach_alerts as a where a.coach_id = :'ny' and a.key = 'calls_today'),
    '2026-11-01T06:30:00+00:00', 'the numbers carry the call''s start');
select is((tests.alert_after_refresh(:'ny', 'calls_today', '2026-11-03 08:00')).message, '1 call aujourd’hui : Jo à 10:00.',
    'New York 11-03: jo''s call, at its local time');
select is((tests.alert_after_refresh(:'ny', 'calls_today', '2026-10-28 20:00')).key, null,
    'ivy was booked on 10-28, but her call is known to be on 11-01: not a call of 10-28');
select is((tests.alert_after_refresh(:'paris', 'calls_today', '2026-04-02 20:00')).message,
    '7 calls réservés aujourd’hui : P1, P2, P3, P4, P5 et 2 autres.', 'more than five: the first five and how many more');
select is((select jsonb_array_length(a.numbers -> 'leads') from private.coach_alerts as a
    where a.coach_id = :'paris' and a.key = 'calls_today'), 7, 'numbers lists them all (up to 20)');
select (tests.alert_after_refresh(:'paris', 'calls_today', '2026-04-02 20:00')).fingerprint as seven \gset
select tests.alert_lead(:'paris', 'p8'), tests.alert_move(:'paris', 'p8', 'call_booked', '2026-04-02 20:30');
select private.kpi_upkeep() is not null as upkeep;
select isnt((tests.alert_after_refresh(:'paris', 'calls_today', '2026-04-02 21:00')).fingerprint, :'seven',
    'another call booked changes the fingerprint');
select is((tests.alert_after_refresh(:'paris', 'calls_today', '2026-04-03 00:00')).key, null, 'the next day it is gone');

select * from finish();
rollback;
