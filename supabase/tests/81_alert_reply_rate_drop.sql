-- The reply_rate_drop alert (docs/kpis.md, "Alerts"): the DM 1 reply rate of the 7 whole local days before today
-- against the 28 days before those, one-sided pooled two-proportion z-test, alert at z >= 2.326 with at least 30
-- DMs 1 on each side. Hand-computed on two coaches in two time zones, each window crossing a DST change:
--   baseline (D-35 … D-8): 100 DMs 1 at 12:00, 40 answered, plus one at 23:30 on D-8 (answered): 101 sent, 41 answered;
--   recent (D-7 … D-1): one at 00:30 on D-7 (not answered) and 39 at 12:00: 40 sent;
--   today D: 10 DMs 1, none answered (left out: too young to have been answered).
-- pooled p = (41 + x) / 141, z = (41/101 - x/40) / sqrt(p (1 - p) (1/40 + 1/101)):
--   x = 7: p = 48/141 = 0.340426, z = (0.405941 - 0.175) / 0.088525 = 2.61 -> alert;
--   x = 8: p = 49/141 = 0.347518, z = (0.405941 - 0.200) / 0.088960 = 2.31 -> no alert (just under 2.326).
-- Paris: D = 2026-04-05 (the recent window holds the 2026-03-29 spring forward); New York: D = 2026-03-14 (2026-03-08).
-- In UTC, New York's 23:30 on D-8 is on D-7 and Paris' 00:30 on D-7 is on D-8: local days decide.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(14);
\ir helpers/auth.psql
\ir helpers/alerts.psql

select tests.create_coach('alert-reply-paris@example.com', 'Europe/Paris') as paris \gset
select tests.create_coach('alert-reply-ny@example.com', 'America/New_York') as ny \gset
select tests.create_coach('alert-reply-small@example.com', 'Europe/Paris') as small \gset

create temporary table fixture (coach uuid, d date, recent_replied integer);
insert into fixture values (:'paris', '2026-04-05', 7), (:'ny', '2026-03-14', 8);
select tests.alert_dm1s(f.coach, 'base', f.d - 35, f.d - 8, '12:00', 100, 40),
    tests.alert_dm1(f.coach, 'base_edge', (f.d - 8) + time '23:30', true),
    tests.alert_dm1(f.coach, 'recent_edge', (f.d - 7) + time '00:30', false),
    tests.alert_dm1s(f.coach, 'recent', f.d - 7, f.d - 1, '12:00', 39, f.recent_replied),
    tests.alert_dm1s(f.coach, 'today', f.d, f.d, '09:00', 10, 0)
from fixture as f;
-- too small a sample: 29 DMs 1 in the recent days, none answered, against 100 (60 answered)
select tests.alert_dm1s(:'small', 'base', '2026-03-01', '2026-03-28', '12:00', 100, 60),
    tests.alert_dm1s(:'small', 'recent', '2026-03-29', '2026-04-04', '12:00', 29, 0);
select private.kpi_upkeep() is not null as upkeep;

select is((tests.alert_after_refresh(:'paris', 'reply_rate_drop', '2026-04-05 12:00')).key, 'reply_rate_drop',
    'Paris, 7 of 40 against 41 of 101: z = 2.61, the alert');
select is((select a.numbers from private.coach_alerts as a where a.coach_id = :'paris' and a.key = 'reply_rate_drop'),
    '{"z": 2.61, "min_z": 2.326, "recent": {"to": "2026-04-04", "from": "2026-03-29", "rate": 17.5, "sent": 40, "replied": 7},
      "baseline": {"to": "2026-03-28", "from": "2026-03-01", "rate": 40.6, "sent": 101, "replied": 41}, "min_sample": 30}'::jsonb,
    'its numbers: both windows in local days, the DM 1 at 23:30 on D-8 in the baseline, the one at 00:30 on D-7 recent');
select is((select a.message from private.coach_alerts as a where a.coach_id = :'paris' and a.key = 'reply_rate_drop'),
    'Le taux de réponse au 1er DM baisse : 17,5 % sur les 7 derniers jours (7 sur 40) contre 40,6 % les 28 jours d’avant (41 sur 101), un écart que le hasard n’explique pas.',
    'its French message');
select is((select (a.severity, a.link, a.fingerprint)::text from private.coach_alerts as a where a.coach_id = :'paris' and a.key = 'reply_rate_drop'),
    '(warning,/dashboard?periode=30j#reply_rates,reply_rate_drop:2026-04-05)', 'a warning, linking to the reply rates');
select is((tests.alert_after_refresh(:'ny', 'reply_rate_drop', '2026-03-14 12:00')).key, null,
    'New York, 8 of 40 against 41 of 101: z = 2.31, no alert');
select is((select count(*) from private.alert_reply_rate_drop(:'ny', '2026-03-14', now()))::integer, 0,
    'the rule gives no row under the threshold');

-- the other side of the line in each time zone
delete from public.messages as m
where m.coach_id = :'ny' and m.direction = 'in'
    and m.lead_id = tests.alert_lead(:'ny', 'recent_1');
select private.kpi_upkeep() is not null as upkeep;
select is((tests.alert_after_refresh(:'ny', 'reply_rate_drop', '2026-03-14 12:00')).numbers ->> 'z', '2.61',
    'New York: one answer fewer (7 of 40): z = 2.61, the alert');
select is((select a.numbers #>> '{baseline,sent}' from private.coach_alerts as a where a.coach_id = :'ny' and a.key = 'reply_rate_drop'),
    '101', 'New York: 23:30 on D-8 is in the baseline although it is D-7 in UTC');
select tests.alert_message(:'paris', 'recent_8', 'in', '2026-04-04 18:00');
select private.kpi_upkeep() is not null as upkeep;
select is((tests.alert_after_refresh(:'paris', 'reply_rate_drop', '2026-04-05 12:00')).key, null,
    'Paris: a late answer (8 of 40): z = 2.31, the alert clears');

-- the windows move with the local day: on D + 7 the drop is in the baseline
select is((tests.alert_after_refresh(:'ny', 'reply_rate_drop', '2026-03-21 12:00')).key, null,
    'a week later the recent window is empty (0 < 30 DMs 1): no alert');
select is((tests.alert_after_refresh(:'ny', 'reply_rate_drop', '2026-03-15 00:30')).numbers #>> '{recent,sent}', '43',
    'on D + 1 the recent window holds D''s 10 DMs 1 and D-7 left it (6 of the 39 at 12:00 and the one at 00:30): 40 - 7 + 10');

-- minimum sample
select is((tests.alert_after_refresh(:'small', 'reply_rate_drop', '2026-04-05 12:00')).key, null,
    '0 of 29 against 60 of 100: under the minimum sample of 30, no alert');
select tests.alert_dm1(:'small', 'recent_30', '2026-04-04 12:00', false);
select private.kpi_upkeep() is not null as upkeep;
select is((tests.alert_after_refresh(:'small', 'reply_rate_drop', '2026-04-05 12:00')).numbers #>> '{recent,sent}', '30',
    '0 of 30: the sample is enough, the alert');
select is((select count(*) from private.alert_reply_rate_drop(:'small', '2026-03-29', now()))::integer, 0,
    'with no DM 1 in the recent days, no alert (no division by zero)');

select * from finish();
rollback;
