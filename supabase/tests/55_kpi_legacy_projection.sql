-- The legacy document (get_dashboard() without a period) is a projection of the incremental facts
-- (private.kpi_legacy_document over private.coach_dashboard_kpis, which private.kpi_legacy_row fills from the facts),
-- and it equals the document the first engine computed (helpers/legacy_reference.psql: its view query, follow-up rule
-- and dashboard function, copied verbatim) on the fixtures: the hand-made one of helpers/kpi_fixture.psql and the
-- randomized 3-coach / 2-time-zone one of helpers/kpi_random_fixture.psql. Every key, section by section, except:
--   - last_updated: the view's refresh time (time-dependent; equal here, both in this transaction);
--   - performance.time_saved: the DMs of the last 30 local days (the 30d window) instead of the last 30 x 24 hours
--     (time-dependent: a DM of 30 days ago counts or not depending on the hour);
--   - performance.speed_to_lead: the last 30 local days too, and its median and p90 read from the wait buckets
--     (exact below 10 minutes, then the bucket's upper bound) instead of percentile_cont, as period documents;
--   - definitions: the glossary is now the one of period documents (private.kpi_period_definitions) plus the five
--     keys only the legacy document has; the old glossary is gone. Checked: a definition for every KPI key.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(40);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql
\ir helpers/kpi_random_fixture.psql
\ir helpers/legacy_reference.psql

select tests.create_coach('legacy-projection@example.com') as hand \gset
select tests.kpi_fixture(:'hand');
select setseed(0.2718);
select tests.create_coach('legacy-paris-1@example.com', 'Europe/Paris') as paris1 \gset
select tests.create_coach('legacy-paris-2@example.com', 'Europe/Paris') as paris2 \gset
select tests.create_coach('legacy-ny@example.com', 'America/New_York') as ny \gset
select tests.random_events(:'paris1', 'lp1', 60) + tests.random_events(:'paris2', 'lp2', 60)
    + tests.random_events(:'ny', 'lny', 60) > 0 as staged;
select tests.deliver_events();
do $$ begin loop exit when (private.kpi_upkeep() ->> 'queued')::integer = 0; end loop; end $$;
-- the old document read kpi_daily for the week before (its refresh rebuilt the last 15 days)
select public.rebuild_kpi_daily(current_date - 15, current_date + 1) >= 0 as rebuilt;
select private.refresh_dashboard_kpis() is not null as refreshed;

create temporary table docs as
select c.coach, tests.legacy_document(c.coach) as old, public.get_dashboard(c.coach) as new
from unnest(array[:'hand', :'paris1', :'paris2', :'ny']::uuid[]) with ordinality as c (coach, n)
order by c.n;

create function pg_temp.section(doc jsonb, key text) returns jsonb language sql as $$
    select case key when 'performance' then (doc -> key) - 'time_saved' - 'speed_to_lead' else doc -> key end
$$;

-- 4 coaches x 9 keys
select is(pg_temp.section(d.new, k.key), pg_temp.section(d.old, k.key),
    format('coach %s: %s equals the first engine''s', left(d.coach::text, 8), k.key))
from docs as d
cross join unnest(array['coach', 'min_sample', 'has_leads', 'activity', 'reply_rates', 'qualification', 'demographics',
    'pipeline', 'performance']) as k (key);

-- nothing else: the same keys, the named ones included
select is((select count(*)::int from docs where
        (select array_agg(k order by k) from jsonb_object_keys(new) as k) is distinct from (select array_agg(k order by k) from jsonb_object_keys(old) as k)
        or (select array_agg(k order by k) from jsonb_object_keys(new -> 'performance') as k)
            is distinct from (select array_agg(k order by k) from jsonb_object_keys(old -> 'performance') as k)), 0,
    'the same keys everywhere (time_saved and speed_to_lead included)');
-- the fixture's messages are weeks old, away from the 30-day edge: time saved is the same there
select is((select new #> '{performance,time_saved}' from docs where coach = :'hand'),
    (select old #> '{performance,time_saved}' from docs where coach = :'hand'), 'hand-made fixture: time saved equal too');
-- speed to lead: the same turns (the fixture's are days old), medians and p90 as bucket bounds
select is((select new #> '{performance,speed_to_lead}' from docs where coach = :'hand'),
    '{"sample": 4, "median_minutes": 20, "p90_minutes": 60}'::jsonb,
    'hand-made fixture: the 4 turns (waits l1 10 and 19 min, l5 41, l3 60: buckets 10, 20, 50, 60) give median 20 and p90 60 (the first engine: 30.0 and 54.3 by percentile_cont)');
select is((select count(*)::int from docs as d, jsonb_object_keys(d.new -> 'definitions') as k), 4 * 48,
    'a definition for each of the 48 KPI keys (43 from the period glossary, 5 legacy-only)');
select * from finish();
rollback;
