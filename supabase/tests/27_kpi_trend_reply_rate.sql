-- The trend's DM 1 reply rate per bucket (trend.dm1_reply_rate), on the hand-made fixture of helpers/kpi_fixture.psql:
-- DM 1 sent on d-20 (l1, answered 10:11), d-15 (l2, answered), d-10 (l3: the answer at 12:30 follows DM 2),
-- d-9 (l4, no answer), d-8 (l5, answered). A bucket's rate is its replied / sent in %, 1 decimal, null without a DM 1;
-- weekly buckets (periods over 90 days) sum their days first. The stored documents of the upkeep carry it too.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(7);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

select tests.create_coach('kpi-trend-rate@example.com') as coach \gset
select tests.kpi_fixture(:'coach');
select private.kpi_upkeep() is not null as upkeep;
select (now() at time zone 'Europe/Paris')::date as today \gset

-- the DM 1 of each day, by hand: (days ago, sent, replied)
create temporary table dm1 (days_ago integer, sent integer, replied integer);
insert into dm1 values (20, 1, 1), (15, 1, 1), (10, 1, 0), (9, 1, 0), (8, 1, 1);

select tests.authenticate_as(:'coach');
select public.get_dashboard(period => 'range', period_start => :'today'::date - 20, period_end => :'today'::date - 8) as daily \gset
select public.get_dashboard(period => 'range', period_start => :'today'::date - 99, period_end => :'today'::date) as weekly \gset
select public.get_dashboard(period => '30d') as month \gset
select tests.clear_authentication();

-- d-20 .. d-8, one bucket a day
select is(:'daily'::jsonb #> '{trend,dm1_sent}', '[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1]', 'daily: DM 1 sent per day');
select is(:'daily'::jsonb #> '{trend,dm1_reply_rate}',
    '[100.0, null, null, null, null, 100.0, null, null, null, null, 0.0, 0.0, 100.0]',
    'daily: 1/1, nothing (null), 0/1, 0/1, 1/1');

-- 100 days: weekly buckets (Monday first, the first clipped to the period start)
select is(:'weekly'::jsonb #>> '{trend,bucket}', 'week', 'a period over 90 days is weekly');
select is(jsonb_array_length(:'weekly'::jsonb #> '{trend,dm1_reply_rate}'), jsonb_array_length(:'weekly'::jsonb #> '{trend,dates}'),
    'weekly: one rate per bucket');
select is(:'weekly'::jsonb #> '{trend,dm1_reply_rate}',
    (select jsonb_agg(round(100.0 * w.replied / nullif(w.sent, 0), 1) order by b.n)
     from jsonb_array_elements_text(:'weekly'::jsonb #> '{trend,dates}') with ordinality as b (first_day, n)
     left join (
         select greatest(:'today'::date - 99, date_trunc('week', :'today'::date - d.days_ago)::date) as first_day,
             sum(d.sent) as sent, sum(d.replied) as replied
         from dm1 as d group by 1
     ) as w on w.first_day = b.first_day::date),
    'weekly: each week''s replies over its DM 1 sent, null for the weeks without one');

-- the 30-day document the upkeep stored (private.kpi_documents) carries the same series as one computed now
select ok((select d.document #> '{trend}' ? 'dm1_reply_rate' from private.kpi_documents as d
           where d.coach_id = :'coach' and d.period = '30d'), 'the stored 30-day document has the series');
select is(:'month'::jsonb #> '{trend,dm1_reply_rate}',
    (select jsonb_agg((select round(100.0 * d.replied / nullif(d.sent, 0), 1) from dm1 as d where d.days_ago = n) order by n desc)
     from generate_series(0, 29) as n),
    '30 days: the days of the fixture at their place, null elsewhere');

select * from finish();
rollback;
