-- Every KPI of get_dashboard on the hand-made fixture of helpers/kpi_fixture.psql (read it first: the table of the
-- nine leads, their status history and messages). Expected values are computed by hand in the comments.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(48);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

select tests.create_coach('kpi-values@example.com') as coach \gset
select tests.kpi_fixture(:'coach');
-- the KPIs through the materialized view (refresh also rebuilds the last 15 days of kpi_daily)
-- the incremental facts first, then the view that reads them
select private.kpi_upkeep() is not null as upkeep;
select public.refresh_dashboard_kpis() is not null as refreshed;
select tests.authenticate_as(:'coach');
select public.get_dashboard() as doc \gset
select tests.clear_authentication();

-- 1. Activité
-- out: l1 3 + l2 1 + l3 3 + l4 1 + l5 2 = 10; in: l1 2 + l2 1 + l3 1 + l5 2 = 6
select is(:'doc'::jsonb #>> '{activity,messages_sent}', '10', '#1 messages sent');
select is(:'doc'::jsonb #>> '{activity,messages_received}', '6', '#2 messages received');
select is(:'doc'::jsonb #>> '{activity,total_leads}', '9', '#3 total leads');
-- today (Paris): l6 at 00:00:01; l9 is yesterday 23:30 Paris
select is(:'doc'::jsonb #>> '{activity,leads_today}', '1', '#4 leads today (coach time zone)');
-- today and the 6 days before: l6 (d-0), l9 (d-1), l7 (d-3) = 3
select is(:'doc'::jsonb #>> '{activity,leads_week}', '3', '#5 leads of the last 7 days');
-- the week before (d-13..d-7): l8 d-12, l3 d-10, l4 d-9, l5 d-8 = 4 -> (3 - 4) / 4 = -25 %
select is(:'doc'::jsonb #> '{activity,leads_change}', '{"current": 3, "previous": 4, "change_pct": -25.0}'::jsonb,
    'new leads: this week vs the week before (kpi_daily)');
-- outbound this week: none; the week before: l3 3 (d-10) + l4 1 (d-9) + l5 2 (d-8) = 6 -> -100 %
select is(:'doc'::jsonb #> '{activity,messages_sent_change}', '{"current": 0, "previous": 6, "change_pct": -100.0}'::jsonb,
    'messages sent: this week vs the week before (kpi_daily)');
-- (10 + 6) / 9 = 1.78 -> 1.8
select is(:'doc'::jsonb #>> '{activity,avg_messages_per_lead}', '1.8', '#6 average messages per lead');
-- story 4 (l1 l2 l8 l9) 44.4 %, keyword 2 (l5 l7) 22.2 %, post 2 (l3 l4) 22.2 % (ties by name); l6 has no source
select is(:'doc'::jsonb #> '{activity,top_sources}',
    '[{"label": "story", "lead_count": 4, "percentage": 44.4}, {"label": "keyword", "lead_count": 2, "percentage": 22.2},
      {"label": "post", "lead_count": 2, "percentage": 22.2}]'::jsonb, '#7 top 3 sources with % of all leads');
-- (10 + 20) / 2 = 15
select is(:'doc'::jsonb #>> '{activity,avg_time_to_action_minutes}', '15', '#8 average time to action');

-- 2. Taux de réponse
-- DM1 sent l1..l5 = 5, replied l1 (10:11 before 10:21), l2 (10:31), l5 (10:05) = 3 -> 60 % excellent
select is(:'doc'::jsonb #> '{reply_rates,0}',
    '{"message_number": 1, "rate": {"value": 60.0, "num": 3, "den": 5, "low_sample": false}, "rating": "excellent"}'::jsonb,
    '#9 reply rate of DM 1 (60 % is excellent)');
-- DM2 sent l1 l3 l5 = 3, replied l1 (10:41), l3 (12:30) = 2 -> 66.7 %, below the minimum sample
select is(:'doc'::jsonb #> '{reply_rates,1}',
    '{"message_number": 2, "rate": {"value": 66.7, "num": 2, "den": 3, "low_sample": true}, "rating": "excellent"}'::jsonb,
    '#10 reply rate of DM 2');
-- DM3 sent l1 l3 = 2, replied 0
select is(:'doc'::jsonb #> '{reply_rates,2}',
    '{"message_number": 3, "rate": {"value": 0.0, "num": 0, "den": 2, "low_sample": true}, "rating": "to_improve"}'::jsonb,
    '#11 reply rate of DM 3');
select is(:'doc'::jsonb #> '{reply_rates,3}',
    '{"message_number": 4, "rate": {"value": null, "num": 0, "den": 0, "low_sample": true}, "rating": null}'::jsonb,
    '#12 reply rate of DM 4: never sent, no rate, no rating');

-- 3. Qualification & conversion
-- ever qualified or later: l1 l2 l3 l4 = 4 (l7 peaked at engaged, l8 went new -> lost)
select is(:'doc'::jsonb #>> '{qualification,qualified_leads}', '4', '#13 qualified leads (ever)');
select is(:'doc'::jsonb #> '{qualification,qualification_rate}', '{"value": 44.4, "num": 4, "den": 9, "low_sample": false}'::jsonb,
    '#14 qualification rate 4 / 9');
select is(:'doc'::jsonb #>> '{qualification,lead_magnets_sent}', '2', '#15 lead magnets sent (l1 l2)');
select is(:'doc'::jsonb #>> '{qualification,emails_captured}', '2', '#16 emails captured (l1 l3)');
select is(:'doc'::jsonb #>> '{qualification,calls_proposed}', '3', '#17 calls proposed ever (l1 l2 l3)');
select is(:'doc'::jsonb #>> '{qualification,calls_booked}', '3', '#18 calls booked ever (l1 l2 l3)');
-- leads messaged l1..l5 = 5 -> qualified 4 (80 %) -> proposed 3 (75 %) -> booked 3 (100 %)
select is(:'doc'::jsonb #> '{qualification,funnel}',
    '[{"step": "messages_sent", "count": 5, "rate_from_previous": null},
      {"step": "qualified", "count": 4, "rate_from_previous": {"value": 80.0, "num": 4, "den": 5, "low_sample": false}},
      {"step": "calls_proposed", "count": 3, "rate_from_previous": {"value": 75.0, "num": 3, "den": 4, "low_sample": true}},
      {"step": "calls_booked", "count": 3, "rate_from_previous": {"value": 100.0, "num": 3, "den": 3, "low_sample": true}}]'::jsonb,
    '#19 funnel with each step''s % of the step before');
select is(:'doc'::jsonb #> '{qualification,call_booking_rate}', '{"value": 100.0, "num": 3, "den": 3, "low_sample": true}'::jsonb,
    '#20 call booking rate 3 / 3');
-- won ever: l1 -> 1 / 3 = 33.3 %
select is(:'doc'::jsonb #> '{qualification,call_conversion_rate}', '{"value": 33.3, "num": 1, "den": 3, "low_sample": true}'::jsonb,
    '#21 call conversion rate 1 / 3');
-- call outcomes known: l1 showed, l2 did not -> 1 / 2, from data (not estimated)
select is(:'doc'::jsonb #> '{qualification,no_show_rate}',
    '{"value": 50.0, "num": 1, "den": 2, "low_sample": true, "estimated": false}'::jsonb, '#22 no-show rate from call_showed');

-- 4. Démographie: known gender l1 l7 l8 male, l2 l3 female, l4 other = 6; unknown l5 l6 l9 = 3
select is(:'doc'::jsonb #> '{demographics,men}', '{"value": 50.0, "num": 3, "den": 6, "low_sample": false}'::jsonb, '#23 men %');
select is(:'doc'::jsonb #> '{demographics,women}', '{"value": 33.3, "num": 2, "den": 6, "low_sample": false}'::jsonb, '#24 women %');
select is(:'doc'::jsonb #> '{demographics,other}', '{"value": 16.7, "num": 1, "den": 6, "low_sample": false}'::jsonb, '#25 other %');
select is(:'doc'::jsonb #>> '{demographics,unknown_gender}', '3', '#25 unknown gender count');
-- (30 + 40 + 50 + 25 + 20) / 5 = 33.0
select is(:'doc'::jsonb #>> '{demographics,average_age}', '33.0', '#26 average age');
-- ' Infirmière ' and 'infirmière' -> infirmière 2; 'Comptable' and 'comptable ' -> comptable 2; 4 known job titles
select is(:'doc'::jsonb #> '{demographics,top_professions}',
    '[{"label": "comptable", "lead_count": 2, "percentage": 50.0}, {"label": "infirmière", "lead_count": 2, "percentage": 50.0}]'::jsonb,
    '#27 professions normalized (trimmed, case-folded), % of known job titles');

-- 5. Pipeline & relances (current statuses)
select is(:'doc'::jsonb #>> '{pipeline,new_leads}', '2', '#28 new leads (l6 l9)');
select is(:'doc'::jsonb #>> '{pipeline,engaged_leads}', '1', '#29 engaged leads (l5)');
select is(:'doc'::jsonb #>> '{pipeline,won_leads}', '1', '#30 won leads (l1)');
select is(:'doc'::jsonb #> '{pipeline,lost_rate}', '{"value": 22.2, "num": 2, "den": 9, "low_sample": false}'::jsonb,
    '#31 lost leads (l2 l8) and lost rate 2 / 9');
-- open leads: l3 l4 l5 l6 l7 l9 = 6; listed: l4 (qualified, 9 days: high), l7 (relance, 3 days: high), l5 (engaged, 8 days: medium)
select is(:'doc'::jsonb #> '{pipeline,follow_up_rate}', '{"value": 50.0, "num": 3, "den": 6, "low_sample": false}'::jsonb,
    '#32 follow-up rate 3 / 6 open leads');
select is(
    (select jsonb_agg(jsonb_build_array(f ->> 'instagram_username', f ->> 'priority', (f ->> 'days_without_contact')::int))
     from jsonb_array_elements(:'doc'::jsonb #> '{pipeline,follow_up}') as f),
    '[["l4", "high", 9], ["l7", "high", 3], ["l5", "medium", 8]]'::jsonb,
    '#33 follow-up list by priority then days without contact');
select is(:'doc'::jsonb #> '{pipeline,lost_reasons}',
    '[{"label": "price", "lead_count": 1, "percentage": 50.0}, {"label": "time", "lead_count": 1, "percentage": 50.0}]'::jsonb,
    '#34 lost reasons, % of lost leads with a reason');

-- 6. Performance & ROI: l1 won 1000; setter 297 x 1 started 30-day period since the first lead (d-20)
select is(:'doc'::jsonb #>> '{performance,revenue}', '1000.00', '#35 revenue');
select is(:'doc'::jsonb #>> '{performance,deals_closed}', '1', '#36 deals closed');
select is(:'doc'::jsonb #>> '{performance,average_deal_value}', '1000.00', '#37 average deal value');
select is(:'doc'::jsonb #>> '{performance,acquisition_cost}', '297.00', '#38 acquisition cost 297 / 1');
-- (1000 - 297) / 297 = 236.70 %
select is(:'doc'::jsonb #> '{performance,roi}', '{"value": 236.7, "num": 703, "den": 297, "low_sample": false}'::jsonb,
    '#39 ROI');
-- inbound answered by a later outbound: l1 2, l3 1, l5 2 = 5 of 6 (l2's answer got no reply)
select is(:'doc'::jsonb #> '{performance,ai_efficiency}', '{"value": 83.3, "num": 5, "den": 6, "low_sample": false}'::jsonb,
    '#40 AI efficiency');
-- 10 outbound in 30 days x 4.00 min (default) / 60 = 0.67 -> 0.7 h
select is(:'doc'::jsonb #> '{performance,time_saved}',
    '{"hours": 0.7, "messages": 10, "minutes_per_message": 4.00, "estimated": true}'::jsonb, '#41 time saved');
-- first call_booked: l1 d-19 15:00, l2 d-12 15:00 (same weekday, 7 days apart), l3 d-9 09:00; first won: l1 d-18 16:00
select is(:'doc'::jsonb #> '{performance,best_conversion_moment}',
    jsonb_build_object('weekday', extract(isodow from (now() at time zone 'Europe/Paris')::date - 12)::int, 'hour', 15, 'count', 2),
    '#42 best conversion moment (weekday of d-12, 15 h, 2 conversions)');
-- story: 4 leads, qualified l1 l2, booked l1 l2, won l1, 1000; keyword: l5 l7 nothing further; post: l3 l4 qualified, l3 booked
select is(:'doc'::jsonb #> '{performance,lead_quality_by_source}',
    '[{"source": "story", "leads": 4, "qualified": 2, "calls_booked": 2, "won": 1, "revenue": 1000,
       "qualification_rate": {"value": 50.0, "num": 2, "den": 4, "low_sample": true},
       "booking_rate": {"value": 100.0, "num": 2, "den": 2, "low_sample": true},
       "win_rate": {"value": 50.0, "num": 1, "den": 2, "low_sample": true}},
      {"source": "keyword", "leads": 2, "qualified": 0, "calls_booked": 0, "won": 0, "revenue": 0,
       "qualification_rate": {"value": 0.0, "num": 0, "den": 2, "low_sample": true},
       "booking_rate": {"value": null, "num": 0, "den": 0, "low_sample": true},
       "win_rate": {"value": null, "num": 0, "den": 0, "low_sample": true}},
      {"source": "post", "leads": 2, "qualified": 2, "calls_booked": 1, "won": 0, "revenue": 0,
       "qualification_rate": {"value": 100.0, "num": 2, "den": 2, "low_sample": true},
       "booking_rate": {"value": 50.0, "num": 1, "den": 2, "low_sample": true},
       "win_rate": {"value": 0.0, "num": 0, "den": 1, "low_sample": true}}]'::jsonb,
    '#43 lead quality by source');
-- turns: l1 10:11 -> 10:21 (10), l1 10:41 -> 11:00 (19), l3 12:30 -> 13:30 (60), l5 10:05 -> 10:46 (41; 10:06 continues
-- the turn); l2's answer has no reply. Waits 10 19 41 60 fall in the buckets 10, 20, 50, 60 (private.kpi_speed_bucket,
-- as period documents): the median is the bound of the 2nd turn's bucket, 20; the p90 that of the 4th, 60
select is(:'doc'::jsonb #> '{performance,speed_to_lead}', '{"median_minutes": 20, "p90_minutes": 60, "sample": 4}'::jsonb,
    '#44 speed to lead');
select is(:'doc'::jsonb #>> '{has_leads}', 'true', 'has_leads');

select * from finish();
rollback;
