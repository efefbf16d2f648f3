-- The keys of a period document (get_dashboard with a period) are exactly those of the contract
-- web/src/dashboard-types.ts (PeriodDashboard), listed here by hand, and get_kpi_definitions() has a KpiDefinitionV2
-- for every KPI of it: a key added, renamed or dropped on either side fails this test.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(42);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

select tests.create_coach('kpi-period-shape@example.com') as coach \gset
select tests.kpi_fixture(:'coach');
select private.kpi_upkeep() is not null as upkeep;
select tests.authenticate_as(:'coach');
select public.get_dashboard(period => '30d') as doc \gset
select public.get_dashboard(period => 'all') as all_doc \gset
select public.get_dashboard(period => 'range', period_start => (now() at time zone 'Europe/Paris')::date - 99,
    period_end => (now() at time zone 'Europe/Paris')::date) as long_doc \gset
select public.get_kpi_definitions() as defs \gset
select tests.clear_authentication();

create function pg_temp.keys(j jsonb) returns text[] language sql as
    $$ select coalesce(array_agg(k order by k), '{}') from jsonb_object_keys(j) as k $$;
create function pg_temp.sorted(a text[]) returns text[] language sql as
    $$ select array_agg(x order by x) from unnest(a) as x $$;

select is(pg_temp.keys(:'doc'::jsonb), pg_temp.sorted(array['version', 'coach', 'last_updated', 'min_sample', 'has_leads',
    'period', 'activity', 'reply_rates', 'qualification', 'demographics', 'pipeline', 'performance', 'trend']),
    'PeriodDashboard (no glossary in the document)');
select is(:'doc'::jsonb -> 'version', '2'::jsonb, 'version 2');
select is(pg_temp.keys(:'doc'::jsonb -> 'coach'), pg_temp.sorted(array['id', 'name', 'timezone', 'currency']), 'coach');
select is(pg_temp.keys(:'doc'::jsonb -> 'period'),
    pg_temp.sorted(array['key', 'start', 'end', 'days', 'previous', 'bucket', 'timezone']), 'Period');
select is(pg_temp.keys(:'doc'::jsonb #> '{period,previous}'), pg_temp.sorted(array['start', 'end', 'until']), 'Period.previous');
select is(:'all_doc'::jsonb #> '{period,previous}', 'null'::jsonb, 'all has no previous period');
select is(pg_temp.keys(:'doc'::jsonb -> 'activity'), pg_temp.sorted(array['new_leads', 'messages_sent',
    'messages_received', 'avg_messages_per_lead', 'top_sources', 'avg_time_to_action_minutes']), 'activity');
select is(pg_temp.keys(:'doc'::jsonb #> '{activity,new_leads}'), pg_temp.sorted(array['value', 'previous', 'change_pct', 'comparable']),
    'Metric');
select is(:'all_doc'::jsonb #> '{activity,new_leads,previous}', 'null'::jsonb, 'all: a Metric has no previous value');
select is(pg_temp.keys(:'doc'::jsonb #> '{activity,top_sources,0}'),
    pg_temp.sorted(array['label', 'lead_count', 'percentage', 'previous_count']), 'PeriodRankedItem');
select is(pg_temp.keys(:'doc'::jsonb #> '{reply_rates,0}'), pg_temp.sorted(array['message_number', 'rate', 'rating']),
    'reply_rates[]');
select is(pg_temp.keys(:'doc'::jsonb #> '{reply_rates,0,rate}'),
    pg_temp.sorted(array['value', 'num', 'den', 'low_sample', 'previous', 'change_points', 'comparable']), 'PeriodRate');
select is(pg_temp.keys(:'doc'::jsonb #> '{reply_rates,0,rate,previous}'),
    pg_temp.sorted(array['value', 'num', 'den', 'low_sample']), 'PeriodRate.previous is a Rate');
select is(:'all_doc'::jsonb #> '{reply_rates,0,rate,previous}', 'null'::jsonb, 'all: a PeriodRate has no previous rate');
select is(pg_temp.keys(:'doc'::jsonb -> 'qualification'), pg_temp.sorted(array['qualified_leads', 'qualification_rate',
    'lead_magnets_sent', 'emails_captured', 'calls_proposed', 'calls_booked', 'funnel', 'call_booking_rate',
    'call_conversion_rate', 'no_show_rate']), 'qualification');
select is(pg_temp.keys(:'doc'::jsonb #> '{qualification,funnel,1}'), pg_temp.sorted(array['step', 'count', 'rate_from_previous']),
    'funnel[]');
select is((select array_agg(f ->> 'step') from jsonb_array_elements(:'doc'::jsonb #> '{qualification,funnel}') as f),
    array['leads_contacted', 'qualified', 'calls_proposed', 'calls_booked'], 'funnel steps in FunnelStep order');
select is(pg_temp.keys(:'doc'::jsonb #> '{qualification,no_show_rate}'),
    pg_temp.sorted(array['value', 'num', 'den', 'low_sample', 'previous', 'change_points', 'comparable', 'estimated']), 'no_show_rate');
select is(pg_temp.keys(:'doc'::jsonb -> 'demographics'), pg_temp.sorted(array['men', 'women', 'other', 'unknown_gender',
    'average_age', 'top_professions']), 'demographics');
select is(pg_temp.keys(:'doc'::jsonb -> 'pipeline'), pg_temp.sorted(array['new_leads', 'engaged_leads', 'won_leads',
    'lost_leads', 'relance_leads', 'leads_to_follow_up', 'follow_up_counts', 'follow_up_rate', 'follow_up', 'follow_up_as_of',
    'lost_in_period', 'lost_rate', 'lost_reasons']), 'pipeline');
select is(pg_temp.keys(:'doc'::jsonb #> '{pipeline,follow_up_counts}'), pg_temp.sorted(array['high', 'medium', 'low']),
    'pipeline.follow_up_counts');
select is(jsonb_typeof(:'doc'::jsonb #> '{period,previous,until}'), 'string', '30d ends today: its previous period has a cut');
select is(pg_temp.keys(:'doc'::jsonb #> '{pipeline,follow_up_rate}'), pg_temp.sorted(array['value', 'num', 'den', 'low_sample']),
    'follow_up_rate is a snapshot Rate');
select is(pg_temp.keys(:'doc'::jsonb #> '{pipeline,follow_up,0}'), pg_temp.sorted(array['lead_id', 'instagram_username',
    'first_name', 'status', 'days_without_contact', 'priority']), 'FollowUpLead');
select is(pg_temp.keys(:'doc'::jsonb -> 'performance'), pg_temp.sorted(array['revenue', 'revenue_sources', 'payments_connected',
    'deals_closed', 'average_deal_value',
    'setter_cost', 'setter_cost_estimated', 'acquisition_cost', 'roi', 'ai_efficiency', 'time_saved',
    'best_conversion_moment', 'lead_quality_by_source', 'speed_to_lead']), 'performance');
select is(pg_temp.keys(:'doc'::jsonb #> '{performance,revenue_sources}'), pg_temp.sorted(array['stripe', 'coach', 'setter']),
    'performance.revenue_sources');
select is(pg_temp.keys(:'doc'::jsonb #> '{performance,time_saved}'),
    pg_temp.sorted(array['hours', 'messages', 'minutes_per_message', 'estimated']), 'time_saved');
select is(pg_temp.keys(:'doc'::jsonb #> '{performance,best_conversion_moment}'),
    pg_temp.sorted(array['weekday', 'hour', 'count', 'low_sample']), 'best_conversion_moment');
select is(pg_temp.keys(:'doc'::jsonb #> '{performance,lead_quality_by_source,0}'), pg_temp.sorted(array['source', 'leads',
    'qualified', 'calls_booked', 'won', 'revenue', 'qualification_rate', 'booking_rate', 'win_rate']), 'SourceQuality');
select is(pg_temp.keys(:'doc'::jsonb #> '{performance,speed_to_lead}'),
    pg_temp.sorted(array['median_minutes', 'p90_minutes', 'sample', 'low_sample']), 'speed_to_lead');
select is(pg_temp.keys(:'doc'::jsonb -> 'trend'), pg_temp.sorted(array['bucket', 'dates', 'new_leads', 'messages_sent',
    'dm1_sent', 'dm1_replied', 'dm1_reply_rate', 'qualified', 'calls_booked', 'deals_won', 'revenue']), 'trend');
-- 30 days, daily: one value per day in every series
select is((select array_agg(distinct jsonb_array_length(v.value)) from jsonb_each(:'doc'::jsonb -> 'trend') as v
           where jsonb_typeof(v.value) = 'array'), array[30], 'trend: 30 daily buckets in every series');
select is(:'doc'::jsonb #>> '{trend,dates,0}', :'doc'::jsonb #>> '{period,start}', 'trend: the first bucket is the period start');
-- 100 days (the fixture's first lead is 20 days old, a range may start 90 days before it): weekly buckets, Monday first, the first one clipped to the period start
select is(:'long_doc'::jsonb #>> '{period,bucket}', 'week', 'a period longer than 90 days has weekly buckets');
select is(:'long_doc'::jsonb #>> '{trend,dates,0}', :'long_doc'::jsonb #>> '{period,start}',
    'weekly trend: the first bucket starts at the period start');
select is((select count(*)::int from jsonb_array_elements_text(:'long_doc'::jsonb #> '{trend,dates}') with ordinality as d (day, n)
           where d.n > 1 and extract(isodow from d.day::date) <> 1), 0, 'weekly trend: every later bucket starts on a Monday');
select is(jsonb_array_length(:'long_doc'::jsonb #> '{trend,new_leads}'), jsonb_array_length(:'long_doc'::jsonb #> '{trend,dates}'),
    'weekly trend: one value per bucket');

-- the glossary: a KpiDefinitionV2 per KPI key of the document, nothing else
select is((select count(*)::int from jsonb_each(:'defs'::jsonb) as d
           where pg_temp.keys(d.value) <> array['better', 'denominator', 'formula', 'label', 'period', 'snapshot']), 0,
    'KpiDefinitionV2');
select is(
    (select coalesce(array_agg(p order by p), '{}') from (
        select s || '.' || k as p
        from unnest(array['activity', 'qualification', 'demographics', 'pipeline', 'performance']) as s,
             jsonb_object_keys(:'doc'::jsonb -> s) as k
        union all select 'reply_rates' union all select 'trend'
        union all select 'reply_rates.' || (r ->> 'message_number') from jsonb_array_elements(:'doc'::jsonb -> 'reply_rates') as r
     ) as x where not (:'defs'::jsonb) ? p),
    '{}'::text[], 'every KPI key of the period document has a definition (each reply rate too)');
select is(
    (select coalesce(array_agg(d.key order by d.key), '{}') from jsonb_each(:'defs'::jsonb) as d
     where d.key not in ('reply_rates', 'trend') and d.key !~ '^reply_rates\.'
        and not (:'doc'::jsonb #> string_to_array(d.key, '.')) is not null),
    '{}'::text[], 'every definition names a KPI of the period document');
select is(
    (select array_agg(d.key order by d.key) from jsonb_each(:'defs'::jsonb) as d where d.key ~ '^reply_rates\.'),
    (select array_agg('reply_rates.' || (r ->> 'message_number') order by (r ->> 'message_number')::int)
     from jsonb_array_elements(:'doc'::jsonb -> 'reply_rates') as r),
    'reply_rates.N: one definition per message_number of the document''s reply rates');
select is(
    (select array_agg(d.key order by d.key) from jsonb_each(:'defs'::jsonb) as d where (d.value ->> 'snapshot')::boolean),
    array['performance.payments_connected', 'performance.setter_cost_estimated', 'pipeline.engaged_leads', 'pipeline.follow_up', 'pipeline.follow_up_as_of',
        'pipeline.follow_up_counts',
        'pipeline.follow_up_rate', 'pipeline.leads_to_follow_up', 'pipeline.lost_leads', 'pipeline.new_leads',
        'pipeline.relance_leads', 'pipeline.won_leads'],
    'snapshot KPIs ("now", whatever the period) say so, with no period meaning');

select * from finish();
rollback;
