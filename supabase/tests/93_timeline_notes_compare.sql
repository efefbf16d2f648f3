-- Timeline notes: the before/after of the headline KPIs around a note, computed by hand on a small fixture (a coach
-- living where it is about noon, so "n days ago" is that local day): as many days each side as the data reaches,
-- the counts and the DM 1 reply rate of each side, changes and the low-sample rule as the period documents give them.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(12);
\ir helpers/auth.psql

select tests.create_coach('notes-compare@example.com', tests.midday_timezone()) as c \gset
select (now() at time zone tests.midday_timezone())::date as today \gset

-- first data 20 days ago (1 lead); 1 lead 12 days ago; 2 leads 8 days ago, DM 1 sent and answered; 6 leads 3 days
-- ago, DM 1 sent, 3 answered
select public.ingest_messages(jsonb_agg(jsonb_build_object('coach_id', :'c', 'user_id_instagram', x.ig,
        'external_id', x.ig || '-' || x.dir, 'direction', x.dir, 'text', 'm', 'created_at', now() - x.ago + x.later))) is not null as delivered
from (
    select 'first' as ig, 'out' as dir, interval '20 days' as ago, interval '0' as later
    union all select 'early', 'out', interval '12 days', interval '0'
    union all select 'b' || i, 'out', interval '8 days', interval '0' from generate_series(1, 2) as i
    union all select 'b' || i, 'in', interval '8 days', interval '1 minute' from generate_series(1, 2) as i
    union all select 'a' || i, 'out', interval '3 days', interval '0' from generate_series(1, 6) as i
    union all select 'a' || i, 'in', interval '3 days', interval '1 minute' from generate_series(1, 3) as i
) as x;
select private.kpi_upkeep() is not null as upkeep;

select tests.authenticate_as(:'c');
select public.add_timeline_note((:'today'::date - 5), 'Nouveau script d’accroche') ->> 'id' as n1 \gset
select public.add_timeline_note((:'today'::date - 20), 'Début') is not null as n2;
select public.add_timeline_note(:'today'::date, 'Pub lancée') is not null as n3;

select (select e from jsonb_array_elements(public.get_timeline_notes()) as e where e ->> 'id' = :'n1') as note \gset
select is((:'note'::jsonb) ->> 'note', 'Nouveau script d’accroche', 'the note as written');
select is((:'note'::jsonb) #> '{compare,days}', '6'::jsonb, '6 days each side: the note is 5 days ago (after: 6 days up to today)');
select is((:'note'::jsonb) #> '{compare,before}', jsonb_build_object('start', :'today'::date - 11, 'end', :'today'::date - 6), 'before: 11 to 6 days ago');
select is((:'note'::jsonb) #> '{compare,after}', jsonb_build_object('start', :'today'::date - 5, 'end', :'today'::date), 'after: from the note to today');
select is((:'note'::jsonb) #> '{compare,new_leads}', '{"value": 6, "previous": 2, "change_pct": 200.0, "comparable": false}'::jsonb,
    'new leads 6 after, 2 before: +200 %, not comparable (2 < 5)');
select is((:'note'::jsonb) #> '{compare,dm1_reply_rate}', '{"value": 50.0, "num": 3, "den": 6, "low_sample": false,
    "previous": {"value": 100.0, "num": 2, "den": 2, "low_sample": true}, "change_points": -50.0, "comparable": false}'::jsonb,
    'DM 1 reply rate 3 of 6 after, 2 of 2 before: -50 points, not comparable');
select is((:'note'::jsonb) #> '{compare,calls_booked}', '{"value": 0, "previous": 0, "change_pct": null, "comparable": false}'::jsonb,
    'no call either side');
select is((:'note'::jsonb) #> '{compare,revenue}', '{"value": 0, "previous": 0, "change_pct": null, "comparable": false}'::jsonb,
    'no revenue either side');

select is((select e -> 'compare' from jsonb_array_elements(public.get_timeline_notes()) as e where e ->> 'note' = 'Début'), 'null'::jsonb,
    'a note on the first data day has nothing before it: no comparison');
select is((select e #> '{compare,days}' from jsonb_array_elements(public.get_timeline_notes()) as e where e ->> 'note' = 'Pub lancée'), '1'::jsonb,
    'a note of today compares today with yesterday');
select is((select e #> '{compare,new_leads,value}' from jsonb_array_elements(public.get_timeline_notes(window_days => 3)) as e where e ->> 'id' = :'n1'),
    '6'::jsonb, 'window of 3 days: after = 5 to 3 days ago (6 leads)');
select is((select jsonb_agg(e ->> 'note') from jsonb_array_elements(public.get_timeline_notes(period => '7d')) as e),
    '["Nouveau script d’accroche", "Pub lancée"]'::jsonb, 'the notes of a period, oldest first');

select * from finish();
rollback;
