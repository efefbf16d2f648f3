-- The calls_today alert (docs/kpis.md, "Alerts"): the calls booked on the coach's local today (lead_facts.booked_day),
-- by hand in two time zones on DST days: Paris, anna booked 2026-03-29 00:30 CET (03-28 23:30Z); New York, gil booked
-- 2026-11-01 23:30 EST (11-02 04:30Z) and hal at 08:00; Paris, seven leads booked on 2026-04-02.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(9);
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
