-- get_variant_report on a small fixture delivered through ingest_messages, every number computed by hand: a lead's
-- variant is its DM 1's, a later DM counts under its own variant, DMs without one are "sans variante"; a late DM 1
-- moves the lead to its variant; the incremental facts equal a rebuild; a verdict end to end.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(16);
\ir helpers/auth.psql

select tests.create_coach('variant-values@example.com', tests.midday_timezone()) as v \gset

-- L1: DM 1 "A" answered, DM 2 "X" not answered, qualified. L2: DM 1 "A", silent. L3: DM 1 "B" answered, DM 2
-- without a variant answered, call booked. L4: DM 1 without a variant, silent. L5: DM 1 " A " (trimmed) answered, won.
-- L6: DM 1 "A" 40 days ago (outside 30d, inside all).
select public.ingest_messages(jsonb_agg(jsonb_build_object('coach_id', :'v', 'user_id_instagram', x.ig,
        'external_id', x.ext, 'direction', x.dir, 'text', 'm', 'created_at', now() - x.ago, 'variant', x.variant)))
    is not null as delivered
from (values
    ('l1', 'l1-1', 'out', interval '50 minutes', 'A'), ('l1', 'l1-2', 'in', interval '45 minutes', null),
    ('l1', 'l1-3', 'out', interval '40 minutes', 'X'),
    ('l2', 'l2-1', 'out', interval '50 minutes', 'A'),
    ('l3', 'l3-1', 'out', interval '50 minutes', 'B'), ('l3', 'l3-2', 'in', interval '45 minutes', null),
    ('l3', 'l3-3', 'out', interval '40 minutes', null), ('l3', 'l3-4', 'in', interval '35 minutes', null),
    ('l4', 'l4-1', 'out', interval '50 minutes', null),
    ('l5', 'l5-1', 'out', interval '50 minutes', ' A '), ('l5', 'l5-2', 'in', interval '45 minutes', null),
    ('l6', 'l6-1', 'out', interval '40 days', 'A')
) as x (ig, ext, dir, ago, variant);
select public.ingest_lead(jsonb_build_object('coach_id', :'v', 'user_id_instagram', x.ig, 'status', x.status,
        'status_changed_at', now() - interval '30 minutes')) is not null as status
from (values ('l1', 'qualified'), ('l3', 'call_booked'), ('l5', 'won')) as x (ig, status);
select private.kpi_upkeep() is not null as upkeep;

select is((select m.variant from public.messages as m where m.external_id = 'l5-1' and m.coach_id = :'v'), 'A',
    'a variant is stored trimmed');

select public.get_variant_report(:'v', '30d') as r30 \gset
select is(jsonb_array_length(:'r30'::jsonb), 4, 'one entry per DM step');
select is((select jsonb_agg(e -> 'step') from jsonb_array_elements(:'r30'::jsonb) as e), '[1, 2, 3, 4]'::jsonb, 'steps 1 to 4 in order');
select is(:'r30'::jsonb #> '{0,variants}', '[
    {"variant": "A", "sent": 3, "replied": 2, "rate": 66.7, "ci_low": 20.8, "ci_high": 93.9, "low_sample": true,
     "qualified": 2, "booked": 1, "won": 1},
    {"variant": "B", "sent": 1, "replied": 1, "rate": 100.0, "ci_low": 20.7, "ci_high": 100.0, "low_sample": true,
     "qualified": 1, "booked": 1, "won": 0},
    {"variant": null, "sent": 1, "replied": 0, "rate": 0.0, "ci_low": 0.0, "ci_high": 79.3, "low_sample": true,
     "qualified": 0, "booked": 0, "won": 0}
]'::jsonb, 'DM 1 over 30 days: A (L1, L2, L5), B (L3), sans variante (L4), most sent first, with their downstream');
select is(:'r30'::jsonb #> '{0,verdict,status}', '"not_enough_data"'::jsonb, 'DM 1: not enough data');
select is(:'r30'::jsonb #> '{1,variants}', '[
    {"variant": "X", "sent": 1, "replied": 0, "rate": 0.0, "ci_low": 0.0, "ci_high": 79.3, "low_sample": true,
     "qualified": 1, "booked": 0, "won": 0},
    {"variant": null, "sent": 1, "replied": 1, "rate": 100.0, "ci_low": 20.7, "ci_high": 100.0, "low_sample": true,
     "qualified": 1, "booked": 1, "won": 0}
]'::jsonb, 'DM 2 counts under its own variant: X (L1), sans variante (L3)');
select is(:'r30'::jsonb #> '{2}', '{"step": 3, "variants": [], "verdict": {"status": "not_enough_data", "best": null,
    "probability": null, "min_sent": 100, "threshold": 95}}'::jsonb, 'DM 3: no send, no variant');
select is(public.get_variant_report(:'v', 'all') #>> '{0,variants,0,sent}', '4', 'all time: A has L6 too');
select is(public.get_variant_report(:'v', 'range', (select p.start_day from private.kpi_resolve_period(:'v', '30d', null, null) as p),
        (select p.end_day from private.kpi_resolve_period(:'v', '30d', null, null) as p)), :'r30'::jsonb,
    'a range of the same days gives the same report');

-- a DM delivered late, earlier than L2's DM 1, becomes its DM 1: L2's variant is now B, and A its DM 2
select public.ingest_message(jsonb_build_object('coach_id', :'v', 'user_id_instagram', 'l2', 'external_id', 'l2-0',
    'direction', 'out', 'text', 'm', 'created_at', now() - interval '55 minutes', 'variant', 'B')) is not null as late;
select private.kpi_upkeep() is not null as upkeep;
select public.get_variant_report(:'v', '30d') as late \gset
select is((select jsonb_object_agg(coalesce(e ->> 'variant', '-'), e -> 'sent') from jsonb_array_elements(:'late'::jsonb #> '{0,variants}') as e),
    '{"A": 2, "B": 2, "-": 1}'::jsonb, 'DM 1 after the late delivery: A 2, B 2, sans variante 1');
select is((select jsonb_object_agg(coalesce(e ->> 'variant', '-'), e -> 'sent') from jsonb_array_elements(:'late'::jsonb #> '{1,variants}') as e),
    '{"A": 1, "X": 1, "-": 1}'::jsonb, 'DM 2: L2''s former DM 1 counts under A');

-- the incremental facts equal a rebuild
create temporary table variant_facts_before as
select k.grain, k.day, k.step, k.variant, k.sent, k.replied, k.qualified, k.booked, k.won
from private.kpi_variant_facts as k where k.coach_id = :'v';
select private.kpi_rebuild(:'v') is not null as rebuilt;
select set_eq('select k.grain, k.day, k.step, k.variant, k.sent, k.replied, k.qualified, k.booked, k.won
    from private.kpi_variant_facts as k where k.coach_id = ''' || :'v' || '''',
    'select * from variant_facts_before', 'the variant facts after the upkeep equal a rebuild');
select is((select count(*)::integer from private.kpi_variant_facts as k where k.coach_id = :'v' and k.grain = 'month'
        and k.day = date_trunc('month', (now() at time zone tests.midday_timezone()))::date and k.step = 1),
    3, 'month rows hold the month''s DM 1 groups');

-- a lead deleted takes its contributions with it
delete from public.leads as l where l.coach_id = :'v' and l.user_id_instagram = 'l4';
select private.kpi_upkeep() is not null as upkeep;
select is((select jsonb_agg(e -> 'variant') from jsonb_array_elements(public.get_variant_report(:'v', '30d') #> '{0,variants}') as e),
    '["A", "B"]'::jsonb, 'a deleted lead leaves the report');

-- end to end: 100 leads per variant, 42 against 30 replies (96.2 %), then 41 against 30 (94.8 %)
select tests.create_coach('variant-verdict@example.com', tests.midday_timezone()) as w \gset
select public.ingest_messages(jsonb_agg(m)) is not null as delivered
from (
    select jsonb_build_object('coach_id', :'w', 'user_id_instagram', v || i, 'external_id', v || i || '-out',
            'direction', 'out', 'text', 'm', 'created_at', now() - interval '2 days', 'variant', v) as m
    from (values ('A'), ('B')) as x (v), generate_series(1, 100) as i
    union all
    select jsonb_build_object('coach_id', :'w', 'user_id_instagram', v || i, 'external_id', v || i || '-in',
            'direction', 'in', 'text', 'r', 'created_at', now() - interval '1 day')
    from (values ('A', 42), ('B', 30)) as x (v, replies), generate_series(1, 100) as i
    where i <= x.replies
) as b;
select private.kpi_upkeep() is not null as upkeep;
select is(public.get_variant_report(:'w', '7d') #> '{0,verdict}',
    '{"status": "better", "best": "A", "probability": 96.2, "min_sent": 100, "threshold": 95}'::jsonb,
    '100 leads per opener, 42 against 30 replies: A does better (96.2 %)');
delete from public.messages as m where m.coach_id = :'w' and m.external_id = 'A42-in';
select private.kpi_upkeep() is not null as upkeep;
select is(public.get_variant_report(:'w', '7d') #> '{0,verdict,status}', '"too_close"'::jsonb,
    'one reply less (41 against 30, 94.8 %): too close to conclude');

select * from finish();
rollback;
