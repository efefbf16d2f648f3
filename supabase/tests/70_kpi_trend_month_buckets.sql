-- The trend's buckets widen with the period and never number more than 90 (issue 23): day up to 90 days, week up to
-- 366, month beyond; the first bucket starts on the period's first day and, past 90 months, also holds every earlier
-- month. Hand-made fixture, dates relative to the coach's month (M = the first day of today's month, in UTC):
--   range [M-14 + 9 days, today] (> 366 days: monthly, 15 buckets): leads on M-14+8 (before the range), M-14+9 (the
--   range's first day), the last day of M-14, M-13, two on M-6 + 14 days and today; a DM sent on M-13 + 1 day;
--   all from the first lead M-100 + 3 days (101 months: 90 buckets): the first bucket holds M-100 .. M-89.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(16);
\ir helpers/auth.psql

select tests.create_coach('kpi-trend-month@example.com', 'UTC') as coach \gset
select (now() at time zone 'UTC')::date as today, date_trunc('month', now() at time zone 'UTC')::date as m \gset

create function pg_temp.month(k integer) returns date language sql as $$
    select (date_trunc('month', now() at time zone 'UTC') + make_interval(months => k))::date
$$;
create function pg_temp.lead(ig text, day date) returns void language sql as $$
    insert into public.leads (coach_id, user_id_instagram, created_at)
    select c.id, ig, case when day = (now() at time zone 'UTC')::date then now() else day + time '12:00' end
    from public.coachs as c where c.email = 'kpi-trend-month@example.com'
$$;

select pg_temp.lead('before_range', pg_temp.month(-14) + 8);
select pg_temp.lead('range_first_day', pg_temp.month(-14) + 9);
select pg_temp.lead('end_of_first_month', pg_temp.month(-13) - 1);
select pg_temp.lead('second_bucket', pg_temp.month(-13));
select pg_temp.lead('ninth_bucket_a', pg_temp.month(-6) + 14);
select pg_temp.lead('ninth_bucket_b', pg_temp.month(-6) + 14);
select pg_temp.lead('today', :'today');
insert into public.messages (lead_id, coach_id, direction, text, created_at)
select l.id, l.coach_id, 'out', 'Salut', pg_temp.month(-13) + 1 + time '09:00'
from public.leads as l where l.user_id_instagram = 'second_bucket';
select private.kpi_upkeep() is not null as upkeep;

-- the rule
select is(array[private.kpi_trend_bucket(90), private.kpi_trend_bucket(91), private.kpi_trend_bucket(366), private.kpi_trend_bucket(367)],
    array['day', 'week', 'week', 'month'], 'day up to 90 days, week up to 366, month beyond');
select is(private.kpi_trend_max_buckets(), 90, 'at most 90 buckets');

select tests.authenticate_as(:'coach');
select public.get_dashboard(period => 'range', period_start => pg_temp.month(-14) + 9, period_end => :'today') as monthly \gset
select public.get_dashboard(period => 'range', period_start => :'today'::date - 365, period_end => :'today') as weekly \gset
select public.get_dashboard(period => 'all') as whole \gset
select tests.clear_authentication();

-- 1. a range over a year: monthly, the first bucket clipped to the range's first day
select is(:'monthly'::jsonb #>> '{period,bucket}', 'month', 'period.bucket: month past a year');
select is(:'monthly'::jsonb #>> '{trend,bucket}', 'month', 'trend.bucket too');
select is(:'monthly'::jsonb #> '{trend,dates}',
    (select jsonb_agg(to_char(case when k = -14 then pg_temp.month(-14) + 9 else pg_temp.month(k) end, 'YYYY-MM-DD') order by k)
     from generate_series(-14, 0) as k),
    'one bucket per month: the range''s first day, then the first of each month up to this one');
select is(:'monthly'::jsonb #> '{trend,new_leads}', '[2, 1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1]',
    'new leads: the range''s first day and the end of its month, M-13, two in M-6, today (not the day before the range)');
select is(:'monthly'::jsonb #> '{trend,messages_sent}', '[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]', 'the DM in M-13');
select is(:'monthly'::jsonb #> '{trend,dm1_reply_rate}', '[null, 0.0, null, null, null, null, null, null, null, null, null, null, null, null, null]',
    'the DM 1 reply rate of a month: 0 of 1 in M-13, null without a DM 1');
select is((select sum(v::int)::int from jsonb_array_elements_text(:'monthly'::jsonb #> '{trend,new_leads}') as v),
    (:'monthly'::jsonb #>> '{activity,new_leads,value}')::int, 'the buckets add up to the period''s new leads (6)');

-- 2. 366 days: still weekly (at most 54 buckets)
select is(:'weekly'::jsonb #>> '{trend,bucket}', 'week', '366 days: weekly');
select cmp_ok(jsonb_array_length(:'weekly'::jsonb #> '{trend,dates}'), '<=', 54, 'at most 54 weeks');

-- 3. all, from a first lead 100 months ago: 101 months, 90 buckets, the first holding M-100 .. M-89
select pg_temp.lead('first_ever', pg_temp.month(-100) + 3);
select pg_temp.lead('absorbed_a', pg_temp.month(-95) + 20);
select pg_temp.lead('absorbed_b', pg_temp.month(-89));
select pg_temp.lead('second_of_all', pg_temp.month(-88) + 1);
select private.kpi_upkeep() is not null as upkeep;
select tests.authenticate_as(:'coach');
select public.get_dashboard(period => 'all') as whole \gset
select tests.clear_authentication();
select is(jsonb_array_length(:'whole'::jsonb #> '{trend,dates}'), 90, 'all over 101 months: 90 buckets');
select is(array[:'whole'::jsonb #>> '{trend,dates,0}', :'whole'::jsonb #>> '{trend,dates,1}', :'whole'::jsonb #>> '{trend,dates,89}'],
    array[to_char(pg_temp.month(-100) + 3, 'YYYY-MM-DD'), to_char(pg_temp.month(-88), 'YYYY-MM-DD'), to_char(:'m'::date, 'YYYY-MM-DD')],
    'the first bucket starts on the first lead''s day, the second on M-88, the last on this month');
select is(array[(:'whole'::jsonb #>> '{trend,new_leads,0}')::int, (:'whole'::jsonb #>> '{trend,new_leads,1}')::int],
    array[3, 1], 'the first bucket holds the 3 leads of M-100 .. M-89, the second the lead of M-88');
select is((select sum(v::int)::int from jsonb_array_elements_text(:'whole'::jsonb #> '{trend,new_leads}') as v), 11,
    'the buckets add up to every lead (11)');
select is((select jsonb_array_length(d.document #> '{trend,dates}') from private.kpi_documents as d
           where d.coach_id = :'coach' and d.period = 'all'), 90, 'the stored all document has the same 90 buckets');

select * from finish();
rollback;
