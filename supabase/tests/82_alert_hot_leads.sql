-- The hot_leads alert (docs/kpis.md, "Alerts"): leads now qualified or call_proposed whose last message is theirs,
-- unanswered for more than hot_lead_hours (default 12) real hours and less than 14 days; by hand, in two time zones,
-- across both DST changes, on both sides of the threshold, with the coach's own setting.
-- Paris (2026-03-29: 02:00 -> 03:00):
--   anna  qualified      out 03-28 23:00, in 03-29 01:30 CET (00:30Z)     waits 12 h at 14:30 CEST (12:30Z)
--   ben   call_proposed  in 03-29 03:30 CEST (01:30Z)                     waits 12 h at 15:30
--   chloe qualified      in 03-29 01:00, out 01:10 (answered)             never
--   dan   engaged        in 03-28 12:00                                   never (not hot)
--   eve   call_booked    in 03-28 12:00                                   never (booked)
--   fay   qualified      in 03-14 14:00                                   never (more than 14 days)
-- New York (2026-11-01: 02:00 EDT -> 01:00 EST): gil qualified, in 00:30 EDT (04:30Z): 12 h at 11:30 EST (16:30Z).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(16);
\ir helpers/auth.psql
\ir helpers/alerts.psql

select tests.create_coach('alert-hot-paris@example.com', 'Europe/Paris') as paris \gset
select tests.create_coach('alert-hot-ny@example.com', 'America/New_York') as ny \gset

select tests.alert_message(:'paris', 'anna', 'out', '2026-03-28 23:00'),
    tests.alert_message(:'paris', 'anna', 'in', '2026-03-29 01:30'),
    tests.alert_move(:'paris', 'anna', 'qualified', '2026-03-28 23:00'),
    tests.alert_message(:'paris', 'ben', 'in', '2026-03-29 03:30'),
    tests.alert_move(:'paris', 'ben', 'call_proposed', '2026-03-29 03:30'),
    tests.alert_message(:'paris', 'chloe', 'in', '2026-03-29 01:00'),
    tests.alert_message(:'paris', 'chloe', 'out', '2026-03-29 01:10'),
    tests.alert_move(:'paris', 'chloe', 'qualified', '2026-03-29 01:10'),
    tests.alert_message(:'paris', 'dan', 'in', '2026-03-28 12:00'),
    tests.alert_move(:'paris', 'dan', 'engaged', '2026-03-28 12:00'),
    tests.alert_message(:'paris', 'eve', 'in', '2026-03-28 12:00'),
    tests.alert_move(:'paris', 'eve', 'call_booked', '2026-03-28 12:00'),
    tests.alert_message(:'paris', 'fay', 'in', '2026-03-14 14:00'),
    tests.alert_move(:'paris', 'fay', 'qualified', '2026-03-14 14:00'),
    tests.alert_message(:'ny', 'gil', 'in', '2026-11-01 00:30'),
    tests.alert_move(:'ny', 'gil', 'qualified', '2026-11-01 00:30');
select private.kpi_upkeep() is not null as upkeep;

select is(extract(epoch from tests.alert_at(:'paris', '2026-03-29 14:30') - tests.alert_at(:'paris', '2026-03-29 01:30')) / 3600,
    12.0, 'Paris: 01:30 CET to 14:30 CEST is 12 real hours (13 on the wall clock)');
select is((tests.alert_after_refresh(:'paris', 'hot_leads', '2026-03-29 14:30')).key, null,
    'anna has waited exactly 12 h: not more than 12, no alert');
select is((tests.alert_after_refresh(:'paris', 'hot_leads', '2026-03-29 14:31')).numbers,
    jsonb_build_object('count', 1, 'hours', 12, 'oldest_waiting_since', tests.alert_at(:'paris', '2026-03-29 01:30'),
        'leads', jsonb_build_array(jsonb_build_object('lead_id', tests.alert_lead(:'paris', 'anna'), 'name', 'Anna',
            'instagram_username', 'anna', 'waiting_since', tests.alert_at(:'paris', '2026-03-29 01:30'), 'waiting_hours', 12))),
    'one minute later: anna, and only her (ben 11 h, chloe answered, dan not hot, eve booked, fay too old)');
select is((select (a.severity, a.message, a.link)::text from private.coach_alerts as a where a.coach_id = :'paris' and a.key = 'hot_leads'),
    '(warning,"Anna attend votre réponse depuis 12 h (lead qualifié ou à qui un call a été proposé).",https://ig.me/m/anna)',
    'one lead: its name, its wait, and its Instagram conversation');
select (tests.alert_after_refresh(:'paris', 'hot_leads', '2026-03-29 14:31')).fingerprint as one_lead \gset
select is((tests.alert_after_refresh(:'paris', 'hot_leads', '2026-03-29 15:30')).numbers ->> 'count', '1',
    'ben has waited exactly 12 h at 15:30: still anna alone');
select is((tests.alert_after_refresh(:'paris', 'hot_leads', '2026-03-29 15:31')).message,
    '2 leads chauds attendent votre réponse depuis plus de 12 h : Anna, Ben.', 'then both, longest wait first');
select is((select a.link from private.coach_alerts as a where a.coach_id = :'paris' and a.key = 'hot_leads'),
    '/dashboard?periode=aujourdhui#follow-up-title', 'several leads: the follow-up list');
select isnt((select a.fingerprint from private.coach_alerts as a where a.coach_id = :'paris' and a.key = 'hot_leads'),
    :'one_lead', 'another lead waiting changes the fingerprint');

-- the setter answers: anna leaves the alert
select tests.alert_message(:'paris', 'anna', 'out', '2026-03-29 15:40');
select private.kpi_upkeep() is not null as upkeep;
select is((tests.alert_after_refresh(:'paris', 'hot_leads', '2026-03-29 15:45')).message,
    'Ben attend votre réponse depuis 12 h (lead qualifié ou à qui un call a été proposé).', 'anna answered: ben alone');
-- ben books: he leaves it too
select tests.alert_move(:'paris', 'ben', 'call_booked', '2026-03-29 15:50');
select private.kpi_upkeep() is not null as upkeep;
select is((tests.alert_after_refresh(:'paris', 'hot_leads', '2026-03-29 16:00')).key, null, 'ben booked a call: no alert');

-- 14 days at most
select tests.alert_move(:'paris', 'ben', 'qualified', '2026-03-29 16:00');
select private.kpi_upkeep() is not null as upkeep;
select is((tests.alert_after_refresh(:'paris', 'hot_leads', '2026-04-12 03:29')).numbers ->> 'count', '1',
    'ben qualified again, waiting 13 days 23 h 59: listed');
select is((tests.alert_after_refresh(:'paris', 'hot_leads', '2026-04-12 03:31')).key, null,
    'past 14 days the wait belongs to the follow-up list: no alert');

-- New York, fall back: 12 real hours are 11 on the wall clock
select is((tests.alert_after_refresh(:'ny', 'hot_leads', '2026-11-01 11:30')).key, null,
    'New York: gil has waited exactly 12 h at 11:30 EST (00:30 EDT): no alert');
select is((tests.alert_after_refresh(:'ny', 'hot_leads', '2026-11-01 11:31')).message,
    'Gil attend votre réponse depuis 12 h (lead qualifié ou à qui un call a été proposé).', 'one minute later: the alert');

-- the coach's own threshold (update_notification_settings)
select tests.authenticate_as(:'ny');
select is(public.update_notification_settings('{"hot_lead_hours": 24}') ->> 'hot_lead_hours', '24', 'the coach sets 24 hours');
select tests.clear_authentication();
select is((tests.alert_after_refresh(:'ny', 'hot_leads', '2026-11-01 11:31')).key, null,
    'with 24 hours gil''s 12 h wait no longer alerts');

select * from finish();
rollback;
