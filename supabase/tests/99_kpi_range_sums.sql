-- A range that ends before today reads the sums of both its periods in one pass (private.kpi_range_sums): the current
-- period equals private.kpi_period_sums of it (which reads it alone, with an empty previous period) and its day rows
-- added key by key (conversions and speed through their packed slots included), the previous one equals separate sums
-- on everything a period document reads, and every section computed from the pair equals the section computed from
-- separate sums. On the hand-made fixture of
-- helpers/kpi_fixture.psql (read it first); the hand values come from its table.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(12);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

select tests.create_coach('kpi-range-sums@example.com') as coach \gset
select tests.kpi_fixture(:'coach');
select private.kpi_upkeep() is not null as upkeep;
select (now() at time zone 'Europe/Paris')::date as today \gset

-- 1. Hand values: the range [d-10, d-1] and its previous period [d-20, d-11].
-- current: leads l3 (d-10, post), l4 (d-9, post), l5 (d-8, keyword), l7 (d-3, keyword), l9 (d-1, story) = 5;
-- DMs sent: l3 3 (d-10), l4 1 (d-9), l5 2 (d-8) = 6; professions: comptable l3 l5; no lead lost in it.
select is(
    (select jsonb_build_object('new_leads', (s.cur).new_leads, 'messages_sent', (s.cur).messages_sent,
        'leads_by_source', (select jsonb_object_agg(e.key, e.value) from jsonb_each((s.cur).sources) as e
                            where e.key like 'leads:%'),
        'professions', (s.cur).professions, 'lost_reasons', (s.cur).lost_reasons)
     from private.kpi_range_sums(:'coach', :'today'::date - 10, :'today'::date - 1,
         :'today'::date - 20, :'today'::date - 11) as s),
    '{"new_leads": 5, "messages_sent": 6, "leads_by_source": {"leads:post": 2, "leads:keyword": 2, "leads:story": 1},
      "professions": {"comptable": 2}, "lost_reasons": {}}'::jsonb,
    'current period [d-10, d-1]: 5 leads (post 2, keyword 2, story 1), 6 DMs sent, comptable x2, nobody lost');
-- previous: leads l1 (d-20), l2 (d-15), l8 (d-12), all story = 3; DMs sent: l1 3 (d-20), l2 1 (d-15) = 4; professions:
-- infirmière l1 l2; lost for the first time: l8 (time, d-12), l2 (price, d-11); first win: l1 (d-18, 1000).
select is(
    (select jsonb_build_object('new_leads', (s.prev).new_leads, 'messages_sent', (s.prev).messages_sent,
        'deals_won', (s.prev).deals_won, 'revenue', (s.prev).revenue, 'sources', (s.prev).sources,
        'professions', (s.prev).professions, 'lost_reasons', (s.prev).lost_reasons,
        'conversions', (s.prev).conversions, 'speed', (s.prev).speed,
        'conversion_slots', (s.prev).conversion_slots, 'speed_slots', (s.prev).speed_slots,
        'counts_new_leads', (s.prev).counts -> 'new_leads')
     from private.kpi_range_sums(:'coach', :'today'::date - 10, :'today'::date - 1,
         :'today'::date - 20, :'today'::date - 11) as s),
    '{"new_leads": 3, "messages_sent": 4, "deals_won": 1, "revenue": 1000, "sources": {"leads:story": 3},
      "professions": {"infirmière": 2}, "lost_reasons": {"time": 1, "price": 1}, "conversions": {}, "speed": {},
      "conversion_slots": 0, "speed_slots": 0,
      "counts_new_leads": 3}'::jsonb,
    'previous period [d-20, d-11]: 3 story leads, 4 DMs sent, l1''s win (1000), infirmière x2, lost time and price; only the leads of sources, no conversions or speed (slots 0)');

-- 2. Against separate sums, for every range of 1 to 21 days ending d-1 to d-6 (each with its previous period).
create temporary table pairs on commit drop as
select e, len, s.cur, s.prev,
    private.kpi_period_sums(:'coach', null, :'today'::date - e - len + 1, :'today'::date - e) as cur_alone,
    private.kpi_period_sums(:'coach', null, :'today'::date - e - 2 * len + 1, :'today'::date - e - len) as prev_alone
from generate_series(1, 6) as e
cross join generate_series(1, 21) as len
cross join lateral private.kpi_range_sums(:'coach', :'today'::date - e - len + 1, :'today'::date - e,
    :'today'::date - e - 2 * len + 1, :'today'::date - e - len) as s;

select is((select count(*) from pairs), 126::bigint, '126 ranges');
select is(
    (select count(*) from pairs
     where to_jsonb(cur) - 'updated_at' - 'conversions' - 'speed'
             is distinct from to_jsonb(cur_alone) - 'updated_at' - 'conversions' - 'speed'
         or (cur_alone).conversions
             is distinct from private.kpi_unpack_slots((cur).conversion_slots, private.kpi_conversion_slot_keys())
         or (cur_alone).speed is distinct from private.kpi_unpack_slots((cur).speed_slots, private.kpi_speed_slot_keys())
             || (cur).speed),
    0::bigint,
    'the current period summed beside its previous one equals it summed alone (private.kpi_period_sums, which writes the packed conversions and speed out into the maps): every typed column, every map, the slots');
-- independent of the cover and of the packed slots: the maps of the range's day rows added key by key
select is(
    (select count(*) from pairs
     cross join lateral (
         select private.kpi_jsonb_sum(coalesce(array_agg(d.counts), '{}')) as counts,
             private.kpi_jsonb_sum(coalesce(array_agg(d.sources), '{}')) as sources,
             private.kpi_jsonb_sum(coalesce(array_agg(d.professions), '{}')) as professions,
             private.kpi_jsonb_sum(coalesce(array_agg(d.lost_reasons), '{}')) as lost_reasons,
             private.kpi_jsonb_sum(coalesce(array_agg(d.conversions), '{}')) as conversions,
             private.kpi_jsonb_sum(coalesce(array_agg(d.speed), '{}')) as speed
         from private.kpi_facts as d
         where d.coach_id = :'coach' and d.grain = 'day'
             and d.day between :'today'::date - e - len + 1 and :'today'::date - e) as days
     where jsonb_build_array((cur).counts, (cur).sources, (cur).professions, (cur).lost_reasons,
             private.kpi_unpack_slots((cur).conversion_slots, private.kpi_conversion_slot_keys()),
             private.kpi_unpack_slots((cur).speed_slots, private.kpi_speed_slot_keys()) || (cur).speed,
             (cur).conversion_slots, (cur).speed_slots)
         is distinct from jsonb_build_array(days.counts, days.sources, days.professions, days.lost_reasons,
             days.conversions, days.speed,
             private.kpi_pack_slots(days.conversions, private.kpi_conversion_slot_keys()),
             private.kpi_pack_slots(days.speed, private.kpi_speed_slot_keys()))),
    0::bigint,
    'the current period equals its day rows added key by key: counts, every map, and the packed conversions and speed (and their maps written out)');
select is((select count(*) filter (where (cur).conversions <> '{}') from pairs), 0::bigint,
    'the current period''s conversions stay packed: its conversions map is empty');
select ok(
    (select count(*) filter (where (cur).conversion_slots > 0 and (cur).speed_slots > 0) from pairs) > 10,
    'the ranges compared hold conversions and speed turns (a test of empty maps would prove little)');
select is(
    (select count(*) from pairs
     where (to_jsonb(prev) - 'updated_at' - 'counts' - 'sources' - 'conversions' - 'speed' - 'conversion_slots'
                - 'speed_slots')
             is distinct from (to_jsonb(prev_alone) - 'updated_at' - 'counts' - 'sources' - 'conversions' - 'speed'
                - 'conversion_slots' - 'speed_slots')
         or (prev).sources is distinct from coalesce((select jsonb_object_agg(x.key, x.value)
             from jsonb_each((prev_alone).sources) as x where x.key like 'leads:%'), '{}'::jsonb)),
    0::bigint,
    'the previous period equals separate sums on its typed columns, professions, lost reasons and new leads by source');
select ok(
    (select count(*) filter (where (cur).new_leads > 0 and (prev).new_leads > 0 and (prev).lost_reasons <> '{}')
     from pairs) > 10,
    'the ranges compared hold data in both periods (a test of empty sums would prove little)');

-- 3. Every section that reads the sums gives the same JSON from the pair as from separate sums.
select is(
    (select count(*) from pairs
     cross join lateral private.kpi_resolve_period(:'coach', 'range', :'today'::date - e - len + 1, :'today'::date - e) as p
     cross join lateral (select x from public.coach_settings as x where x.coach_id = :'coach') as st
     where jsonb_build_array(private.kpi_section_activity(cur, prev, true),
             private.kpi_section_reply_rates(cur, prev, true),
             private.kpi_section_qualification(cur, prev, true, 0.2),
             private.kpi_section_demographics(cur, prev, true),
             private.kpi_section_pipeline(:'coach', p.today, cur, prev, true),
             private.kpi_section_performance(:'coach', p, cur, prev, st.x))
         is distinct from jsonb_build_array(private.kpi_section_activity(cur_alone, prev_alone, true),
             private.kpi_section_reply_rates(cur_alone, prev_alone, true),
             private.kpi_section_qualification(cur_alone, prev_alone, true, 0.2),
             private.kpi_section_demographics(cur_alone, prev_alone, true),
             private.kpi_section_pipeline(:'coach', p.today, cur_alone, prev_alone, true),
             private.kpi_section_performance(:'coach', p, cur_alone, prev_alone, st.x))),
    0::bigint,
    'activity, reply rates, qualification, demographics, pipeline and performance are the same from the pair');

-- 4. The document of such a range is built from the pair; one ending today still cuts its previous period.
select tests.authenticate_as(:'coach');
select is(
    public.get_dashboard(period => 'range', period_start => :'today'::date - 10, period_end => :'today'::date - 1)
        #> '{activity,new_leads}',
    '{"value": 5, "previous": 3, "change_pct": 66.7, "comparable": false}'::jsonb,
    'get_dashboard of [d-10, d-1]: 5 new leads against 3 (not comparable: 3 is under the minimum sample)');
-- [d-1, today]: l9 (d-1 23:30) and l6 (today 00:00:01); its previous period [d-3, d-2] (d-2 cut at the time of day
-- now): l7 (d-3 10:00)
select is(
    public.get_dashboard(period => 'range', period_start => :'today'::date - 1, period_end => :'today'::date)
        #> '{activity,new_leads}',
    '{"value": 2, "previous": 1, "change_pct": 100.0, "comparable": false}'::jsonb,
    'a range that ends today (its previous period cut at the time of day) is computed as before: 2 new leads against 1');
select tests.clear_authentication();

select * from finish();
rollback;
