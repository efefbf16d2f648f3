-- comparable on Metric and PeriodRate (docs/kpis.md "Conventions"): a change is comparable when the period has a
-- previous period and neither side is under the low-sample rule (min sample 5): a rate's sample is its denominator,
-- a count's the count itself, an average's or an amount's the number of items behind it.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(16);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

-- counts: both sides at least 5
select is(private.kpi_metric(5, 5, true) -> 'comparable', 'true', 'count 5 vs 5: comparable');
select is(private.kpi_metric(4, 50, true) -> 'comparable', 'false', 'count 4 vs 50: this period under 5');
select is(private.kpi_metric(50, 4, true) -> 'comparable', 'false', 'count 50 vs 4: the previous period under 5');
select is(private.kpi_metric(0, 12, true) -> 'comparable', 'false', 'count 0 vs 12: not comparable (0 is under 5)');
select is(private.kpi_metric(9, null, false) -> 'comparable', 'false', 'no previous period (all): never comparable');
-- averages and amounts: their samples, not their values
select is(private.kpi_metric(2.5, 3.0, true, 5, 5) -> 'comparable', 'true', 'an average of 5 items vs 5 items');
select is(private.kpi_metric(250, 300, true, 5, 4) -> 'comparable', 'false', 'an amount from 4 deals before');
select is(private.kpi_metric(null, 3.0, true, 0, 5) -> 'comparable', 'false', 'an average without a sample');
-- rates: both denominators at least 5
select is(private.kpi_period_rate(1, 5, 4, 5, true) -> 'comparable', 'true', 'rate 1/5 vs 4/5');
select is(private.kpi_period_rate(1, 4, 4, 5, true) -> 'comparable', 'false', 'rate 1/4 (low sample) vs 4/5');
select is(private.kpi_period_rate(1, 5, 0, 0, true) -> 'comparable', 'false', 'rate vs an empty previous period');
select is(private.kpi_period_rate(1, 5, 1, 5, false) -> 'comparable', 'false', 'no previous period');
-- no-show rate: both periods with 5 known outcomes; the default rate (estimated) is never comparable
select is(private.kpi_no_show_rate(1, 5, 2, 5, true, 0.17) -> 'comparable', 'true', 'no-shows 1/5 vs 2/5');
select is(private.kpi_no_show_rate(0, 0, 2, 5, true, 0.17) -> 'comparable', 'false', 'no-show rate from the default: not comparable');

-- in a document (helpers/kpi_fixture.psql, range [d-12, d-8] vs [d-17, d-13]: every number under 5): nothing comparable,
-- and the ROI (low_sample below 5 deals) neither
select tests.create_coach('kpi-comparable@example.com') as coach \gset
select tests.kpi_fixture(:'coach');
select private.kpi_upkeep() is not null as upkeep;
select (now() at time zone 'Europe/Paris')::date as today \gset
select public.get_dashboard(:'coach', 'range', :'today'::date - 12, :'today'::date - 8) as doc \gset
select is((select count(*)::int from jsonb_path_query(:'doc'::jsonb, 'strict $.**.comparable') as c where c = 'true'), 0,
    'fixture: no change is comparable');
select is((select count(*)::int from jsonb_path_query(:'doc'::jsonb, 'strict $.**.comparable')), 38,
    'fixture: 38 Metrics and PeriodRates carry comparable (activity 5, reply rates 4, qualification 16 with the 7 of the funnel, demographics 5, pipeline 2, performance 6)');

select * from finish();
rollback;
