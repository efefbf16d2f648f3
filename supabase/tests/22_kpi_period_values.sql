-- Every KPI of a period document on the hand-made fixture of helpers/kpi_fixture.psql (read it first: the nine leads,
-- their status history and messages), for the range [d-12, d-8] (5 Paris days) and its previous period
-- [d-17, d-13], plus today, 7d and all. Expected values are computed by hand in the comments.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(50);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

select tests.create_coach('kpi-period-values@example.com') as coach \gset
select tests.kpi_fixture(:'coach');
select private.kpi_upkeep() is not null as upkeep;
-- the legacy document compared below reads the materialized view and kpi_daily: refreshed first
select public.refresh_dashboard_kpis() is not null as refreshed;
select (now() at time zone 'Europe/Paris')::date as today \gset
select tests.authenticate_as(:'coach');
select public.get_dashboard(period => 'range', period_start => :'today'::date - 12, period_end => :'today'::date - 8) as doc \gset
select public.get_dashboard(period => '7d') as week \gset
select public.get_dashboard(period => 'today') as day \gset
select public.get_dashboard(period => 'all') as all_doc \gset
select public.get_dashboard() as legacy \gset
select tests.clear_authentication();

select is(:'doc'::jsonb -> 'period', jsonb_build_object('key', 'range', 'start', to_char(:'today'::date - 12, 'YYYY-MM-DD'),
    'end', to_char(:'today'::date - 8, 'YYYY-MM-DD'), 'days', 5, 'bucket', 'day', 'timezone', 'Europe/Paris',
    'previous', jsonb_build_object('start', to_char(:'today'::date - 17, 'YYYY-MM-DD'), 'end', to_char(:'today'::date - 13, 'YYYY-MM-DD'),
        'until', null)),
    'the period: 5 Paris days, the previous 5 just before, whole days (it ends before today: until null)');

-- 1. Activité. Created in the range: l8 (d-12), l3 (d-10), l4 (d-9), l5 (d-8) = 4; before: l2 (d-15) = 1
select is(:'doc'::jsonb #> '{activity,new_leads}', '{"value": 4, "previous": 1, "change_pct": 300.0, "comparable": false}', 'new leads');
-- out: l3 3 (d-10), l4 1 (d-9), l5 2 (d-8) = 6; before: l2 1
select is(:'doc'::jsonb #> '{activity,messages_sent}', '{"value": 6, "previous": 1, "change_pct": 500.0, "comparable": false}', 'DMs sent');
-- in: l3 1, l5 2 = 3; before: l2 1
select is(:'doc'::jsonb #> '{activity,messages_received}', '{"value": 3, "previous": 1, "change_pct": 200.0, "comparable": false}', 'messages received');
-- messages of the new leads: l8 0 + l3 4 + l4 1 + l5 4 = 9 / 4 = 2.25 -> 2.3; before l2 2 / 1 = 2.0; (2.3 - 2) / 2 = 15 %
select is(:'doc'::jsonb #> '{activity,avg_messages_per_lead}', '{"value": 2.3, "previous": 2.0, "change_pct": 15.0, "comparable": false}',
    'messages per new lead');
-- post l3 l4 2 (50 %), keyword l5 1, story l8 1 (25 % each, ties by name); before: story l2
select is(:'doc'::jsonb #> '{activity,top_sources}',
    '[{"label": "post", "lead_count": 2, "percentage": 50.0, "previous_count": 0},
      {"label": "keyword", "lead_count": 1, "percentage": 25.0, "previous_count": 0},
      {"label": "story", "lead_count": 1, "percentage": 25.0, "previous_count": 1}]', 'top sources of the new leads');
-- l3 20 min; l2 has none
select is(:'doc'::jsonb #> '{activity,avg_time_to_action_minutes}', '{"value": 20, "previous": null, "change_pct": null, "comparable": false}',
    'average time to action, none before');

-- 2. Taux de réponse. DM 1 sent in the range: l3, l4, l5; answered before DM 2: l5 (10:05); before: l2 answered
select is(:'doc'::jsonb #> '{reply_rates,0}',
    '{"message_number": 1, "rating": "to_improve", "rate": {"value": 33.3, "num": 1, "den": 3, "low_sample": true,
      "previous": {"value": 100.0, "num": 1, "den": 1, "low_sample": true}, "change_points": -66.7, "comparable": false}}', 'DM 1 reply rate');
-- DM 2: l3 12:00 answered 12:30, l5 10:46 not; none before
select is(:'doc'::jsonb #> '{reply_rates,1}',
    '{"message_number": 2, "rating": "good", "rate": {"value": 50.0, "num": 1, "den": 2, "low_sample": true,
      "previous": {"value": null, "num": 0, "den": 0, "low_sample": true}, "change_points": null, "comparable": false}}', 'DM 2 reply rate');
select is(:'doc'::jsonb #> '{reply_rates,2,rate,value}', '0.0', 'DM 3: l3 13:30, not answered');
select is(:'doc'::jsonb #> '{reply_rates,3}',
    '{"message_number": 4, "rating": null, "rate": {"value": null, "num": 0, "den": 0, "low_sample": true,
      "previous": {"value": null, "num": 0, "den": 0, "low_sample": true}, "change_points": null, "comparable": false}}', 'DM 4: none');

-- 3. Qualification. First qualified: l3 d-10, l4 d-9; before: l2 d-15
select is(:'doc'::jsonb #> '{qualification,qualified_leads}', '{"value": 2, "previous": 1, "change_pct": 100.0, "comparable": false}', 'qualified');
-- cohort (DM 1 in the range) l3 l4 l5: qualified l3 l4 = 2 / 3; before l2 1 / 1
select is(:'doc'::jsonb #> '{qualification,qualification_rate}',
    '{"value": 66.7, "num": 2, "den": 3, "low_sample": true, "previous": {"value": 100.0, "num": 1, "den": 1, "low_sample": true},
      "change_points": -33.3, "comparable": false}', 'qualification rate of the DM 1 cohort');
select is(:'doc'::jsonb #> '{qualification,lead_magnets_sent}', '{"value": 0, "previous": 1, "change_pct": -100.0, "comparable": false}',
    'lead magnets: l2''s on d-15');
select is(:'doc'::jsonb #> '{qualification,emails_captured}', '{"value": 1, "previous": 0, "change_pct": null, "comparable": false}',
    'emails of the new leads: l3');
select is(:'doc'::jsonb #> '{qualification,calls_proposed}', '{"value": 1, "previous": 1, "change_pct": 0.0, "comparable": false}',
    'calls proposed: l3 d-10; before l2 d-15');
select is(:'doc'::jsonb #> '{qualification,calls_booked}', '{"value": 2, "previous": 0, "change_pct": null, "comparable": false}',
    'calls booked: l2 d-12 and l3 d-9');
-- cohort l3 l4 l5: 3 contacted, 2 qualified, 1 proposed (l3), 1 booked (l3); before l2: 1, 1, 1, 1
select is(:'doc'::jsonb #> '{qualification,funnel}',
    '[{"step": "leads_contacted", "count": {"value": 3, "previous": 1, "change_pct": 200.0, "comparable": false}, "rate_from_previous": null},
      {"step": "qualified", "count": {"value": 2, "previous": 1, "change_pct": 100.0, "comparable": false},
       "rate_from_previous": {"value": 66.7, "num": 2, "den": 3, "low_sample": true,
           "previous": {"value": 100.0, "num": 1, "den": 1, "low_sample": true}, "change_points": -33.3, "comparable": false}},
      {"step": "calls_proposed", "count": {"value": 1, "previous": 1, "change_pct": 0.0, "comparable": false},
       "rate_from_previous": {"value": 50.0, "num": 1, "den": 2, "low_sample": true,
           "previous": {"value": 100.0, "num": 1, "den": 1, "low_sample": true}, "change_points": -50.0, "comparable": false}},
      {"step": "calls_booked", "count": {"value": 1, "previous": 1, "change_pct": 0.0, "comparable": false},
       "rate_from_previous": {"value": 100.0, "num": 1, "den": 1, "low_sample": true,
           "previous": {"value": 100.0, "num": 1, "den": 1, "low_sample": true}, "change_points": 0.0, "comparable": false}}]',
    'funnel of the DM 1 cohort');
select is(:'doc'::jsonb #> '{qualification,call_booking_rate,value}', '100.0', 'call booking rate: l3 1 / 1');
select is(:'doc'::jsonb #> '{qualification,call_conversion_rate}',
    '{"value": 0.0, "num": 0, "den": 1, "low_sample": true, "previous": {"value": 0.0, "num": 0, "den": 1, "low_sample": true},
      "change_points": 0.0, "comparable": false}', 'call conversion: l3 not won; before l2 not won');
-- calls booked in the range with a known outcome: l2 (no show) 1 / 1; before: none, so the default 17 %, estimated
select is(:'doc'::jsonb #> '{qualification,no_show_rate}',
    '{"value": 100.0, "num": 1, "den": 1, "low_sample": true, "estimated": false,
      "previous": {"value": 17.0, "num": 0, "den": 0, "low_sample": true}, "change_points": null, "comparable": false}', 'no-show rate');

-- 4. Démographie of the new leads: l8 male, l3 female, l4 other, l5 unknown; before: l2 female
select is(:'doc'::jsonb #> '{demographics,men}',
    '{"value": 33.3, "num": 1, "den": 3, "low_sample": true, "previous": {"value": 0.0, "num": 0, "den": 1, "low_sample": true},
      "change_points": 33.3, "comparable": false}', 'men');
select is(:'doc'::jsonb #> '{demographics,women}',
    '{"value": 33.3, "num": 1, "den": 3, "low_sample": true, "previous": {"value": 100.0, "num": 1, "den": 1, "low_sample": true},
      "change_points": -66.7, "comparable": false}', 'women');
select is(:'doc'::jsonb #> '{demographics,other,value}', '33.3', 'other');
select is(:'doc'::jsonb #> '{demographics,unknown_gender}', '{"value": 1, "previous": 0, "change_pct": null, "comparable": false}', 'unknown gender: l5');
-- (50 + 25) / 2 = 37.5; before 40; (37.5 - 40) / 40 = -6.25 % -> -6.3
select is(:'doc'::jsonb #> '{demographics,average_age}', '{"value": 37.5, "previous": 40.0, "change_pct": -6.3, "comparable": false}', 'average age');
select is(:'doc'::jsonb #> '{demographics,top_professions}',
    '[{"label": "comptable", "lead_count": 2, "percentage": 100.0, "previous_count": 0}]', 'professions: l3 and l5 comptable');

-- 5. Pipeline: the snapshot is the legacy document's; over the range, l8 lost d-12, l2 lost d-11
select is(:'doc'::jsonb #> '{pipeline,lost_in_period}', '{"value": 2, "previous": 0, "change_pct": null, "comparable": false}', 'leads lost');
select is(:'doc'::jsonb #> '{pipeline,lost_rate}',
    '{"value": 0.0, "num": 0, "den": 3, "low_sample": true, "previous": {"value": 100.0, "num": 1, "den": 1, "low_sample": true},
      "change_points": -100.0, "comparable": false}', 'lost rate of the DM 1 cohort (l2 lost before)');
select is(:'doc'::jsonb #> '{pipeline,lost_reasons}',
    '[{"label": "price", "lead_count": 1, "percentage": 50.0, "previous_count": 0},
      {"label": "time", "lead_count": 1, "percentage": 50.0, "previous_count": 0}]', 'lost reasons of the leads lost');
select is(
    jsonb_build_array(:'doc'::jsonb #> '{pipeline,new_leads}', :'doc'::jsonb #> '{pipeline,engaged_leads}',
        :'doc'::jsonb #> '{pipeline,won_leads}', :'doc'::jsonb #> '{pipeline,lost_leads}', :'doc'::jsonb #> '{pipeline,relance_leads}',
        :'doc'::jsonb #> '{pipeline,leads_to_follow_up}', :'doc'::jsonb #> '{pipeline,follow_up_rate}', :'doc'::jsonb #> '{pipeline,follow_up}'),
    jsonb_build_array(:'legacy'::jsonb #> '{pipeline,new_leads}', :'legacy'::jsonb #> '{pipeline,engaged_leads}',
        :'legacy'::jsonb #> '{pipeline,won_leads}', :'legacy'::jsonb #> '{pipeline,lost_leads}', :'legacy'::jsonb #> '{pipeline,relance_leads}',
        :'legacy'::jsonb #> '{pipeline,leads_to_follow_up}', :'legacy'::jsonb #> '{pipeline,follow_up_rate}', :'legacy'::jsonb #> '{pipeline,follow_up}'),
    'snapshot: the current pipeline and the follow-up list equal the legacy document''s (new 2, engaged 1, won 1, lost 2, relance 1; l4, l7, l5)');

-- 6. Performance: no win in either period (l1 won d-18); setter 297 x 5 / 30 = 49.50
select is(:'doc'::jsonb #> '{performance,revenue}', '{"value": 0, "previous": 0, "change_pct": null, "comparable": false}', 'revenue');
select is(:'doc'::jsonb #> '{performance,average_deal_value}', '{"value": null, "previous": null, "change_pct": null, "comparable": false}',
    'no deal, no average');
select is(:'doc'::jsonb #> '{performance,setter_cost}', '49.50', 'setter cost over 5 days');
select is(:'doc'::jsonb #> '{performance,setter_cost_estimated}', 'true', 'the default monthly cost is an estimate');
select is(:'doc'::jsonb #> '{performance,roi}',
    '{"value": -100.0, "num": -49.50, "den": 49.50, "low_sample": true,
      "previous": {"value": -100.0, "num": -49.50, "den": 49.50, "low_sample": true}, "change_points": 0.0, "comparable": false}',
    'ROI: no revenue, low sample (0 deals)');
-- inbound in the range: l3 12:30 (answered 13:30), l5 10:05, 10:06 (answered 10:46) = 3 / 3; before l2 10:31 never answered
select is(:'doc'::jsonb #> '{performance,ai_efficiency}',
    '{"value": 100.0, "num": 3, "den": 3, "low_sample": true, "previous": {"value": 0.0, "num": 0, "den": 1, "low_sample": true},
      "change_points": 100.0, "comparable": false}', 'AI efficiency');
select is(:'doc'::jsonb #> '{performance,time_saved}',
    '{"hours": 0.4, "messages": 6, "minutes_per_message": 4.00, "estimated": true}', 'time saved: 6 x 4 min');
-- conversions: l2's call booked d-12 15:00, l3's d-9 09:00, one each: the earlier slot of the week wins the tie
select is(:'doc'::jsonb #> '{performance,best_conversion_moment}',
    (select jsonb_build_object('weekday', s / 24 + 1, 'hour', s % 24, 'count', 1, 'low_sample', true)
     from (select least((extract(isodow from :'today'::date - 12)::int - 1) * 24 + 15,
                        (extract(isodow from :'today'::date - 9)::int - 1) * 24 + 9) as s) as x),
    'best conversion moment');
select is(:'doc'::jsonb #> '{performance,lead_quality_by_source}',
    '[{"source": "post", "leads": 2, "qualified": 2, "calls_booked": 1, "won": 0, "revenue": 0,
       "qualification_rate": {"value": 100.0, "num": 2, "den": 2, "low_sample": true},
       "booking_rate": {"value": 50.0, "num": 1, "den": 2, "low_sample": true},
       "win_rate": {"value": 0.0, "num": 0, "den": 1, "low_sample": true}},
      {"source": "keyword", "leads": 1, "qualified": 0, "calls_booked": 0, "won": 0, "revenue": 0,
       "qualification_rate": {"value": 0.0, "num": 0, "den": 1, "low_sample": true},
       "booking_rate": {"value": null, "num": 0, "den": 0, "low_sample": true},
       "win_rate": {"value": null, "num": 0, "den": 0, "low_sample": true}},
      {"source": "story", "leads": 1, "qualified": 0, "calls_booked": 0, "won": 0, "revenue": 0,
       "qualification_rate": {"value": 0.0, "num": 0, "den": 1, "low_sample": true},
       "booking_rate": {"value": null, "num": 0, "den": 0, "low_sample": true},
       "win_rate": {"value": null, "num": 0, "den": 0, "low_sample": true}}]', 'lead quality by source of the new leads');
-- turns: l3 12:30 -> 13:30 (60 min, bucket 60), l5 10:05 -> 10:46 (41 min, bucket 50; 10:06 continues the turn)
select is(:'doc'::jsonb #> '{performance,speed_to_lead}',
    '{"median_minutes": 50, "p90_minutes": 60, "sample": 2, "low_sample": true}', 'speed to lead from its buckets');

-- trend, one bucket per day d-12 .. d-8
select is(:'doc'::jsonb -> 'trend', jsonb_build_object('bucket', 'day',
    'dates', (select jsonb_agg(to_char(:'today'::date - n, 'YYYY-MM-DD') order by n desc) from generate_series(8, 12) as n),
    'new_leads', '[1, 0, 1, 1, 1]'::jsonb, 'messages_sent', '[0, 0, 3, 1, 2]'::jsonb, 'dm1_sent', '[0, 0, 1, 1, 1]'::jsonb,
    'dm1_replied', '[0, 0, 0, 0, 1]'::jsonb, 'dm1_reply_rate', '[null, null, 0.0, 0.0, 100.0]'::jsonb, 'qualified', '[0, 0, 1, 1, 0]'::jsonb, 'calls_booked', '[1, 0, 0, 1, 0]'::jsonb,
    'deals_won', '[0, 0, 0, 0, 0]'::jsonb, 'revenue', '[0, 0, 0, 0, 0]'::jsonb), 'trend');

-- 7d = [d-6, d0]: the legacy document's week-over-week changes (kpi_daily) say the same
select is(:'week'::jsonb #> '{activity,new_leads}', '{"value": 3, "previous": 4, "change_pct": -25.0, "comparable": false}',
    '7d: new leads l6 l9 l7 vs l8 l3 l4 l5');
select is(jsonb_build_array(:'week'::jsonb #> '{activity,new_leads,value}', :'week'::jsonb #> '{activity,new_leads,previous}'),
    jsonb_build_array(:'legacy'::jsonb #> '{activity,leads_change,current}', :'legacy'::jsonb #> '{activity,leads_change,previous}'),
    '7d new leads = legacy leads_change');
select is(:'week'::jsonb #> '{activity,messages_sent}', '{"value": 0, "previous": 6, "change_pct": -100.0, "comparable": false}', '7d: DMs sent');
-- today = l6 (00:00:01); yesterday up to the same Paris time: l9 (23:30) only when the test runs at 23:30 or later
select is(:'day'::jsonb #> '{activity,new_leads}',
    case when (now() at time zone 'Europe/Paris')::time >= '23:30' then '{"value": 1, "previous": 1, "change_pct": 0.0, "comparable": false}'
        else '{"value": 1, "previous": 0, "change_pct": null, "comparable": false}' end::jsonb,
    'today vs yesterday up to the same local time');
select is(:'day'::jsonb #> '{period,previous}', jsonb_build_object('start', to_char(:'today'::date - 1, 'YYYY-MM-DD'),
    'end', to_char(:'today'::date - 1, 'YYYY-MM-DD'),
    'until', to_char((:'today'::date - 1 + date_trunc('second', (now() at time zone 'Europe/Paris')::time)::time) at time zone 'Europe/Paris'
        at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
    'the previous period of today is yesterday, cut at the same Paris time (the transaction''s now(), in UTC)');

-- all: from the first lead (d-20) to today, no previous period; the setter cost is the legacy one (1 started month)
select is(:'all_doc'::jsonb #>> '{period,start}', to_char(:'today'::date - 20, 'YYYY-MM-DD'), 'all starts on the first lead''s day');
select is(:'all_doc'::jsonb #> '{activity,new_leads}', '{"value": 9, "previous": null, "change_pct": null, "comparable": false}', 'all: 9 leads');
select is(jsonb_build_array(:'all_doc'::jsonb #> '{performance,revenue,value}', :'all_doc'::jsonb #> '{performance,setter_cost}',
        :'all_doc'::jsonb #> '{activity,messages_sent,value}', :'all_doc'::jsonb #> '{performance,ai_efficiency,value}'),
    jsonb_build_array(:'legacy'::jsonb #> '{performance,revenue}', :'legacy'::jsonb #> '{performance,setter_cost}',
        :'legacy'::jsonb #> '{activity,messages_sent}', :'legacy'::jsonb #> '{performance,ai_efficiency,value}'),
    'all: revenue 1000, setter cost 297, 10 DMs, AI efficiency 83.3 as in the legacy document');

select * from finish();
rollback;
