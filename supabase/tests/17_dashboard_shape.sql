-- The keys of get_dashboard's document are exactly those of the contract web/src/dashboard-types.ts (Dashboard),
-- listed here by hand: a key added, renamed or dropped on either side fails this test.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(21);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

select tests.create_coach('kpi-shape@example.com') as coach \gset
select tests.kpi_fixture(:'coach');
select private.kpi_upkeep() is not null as upkeep;
select tests.authenticate_as(:'coach');
select public.get_dashboard() as doc \gset
select tests.clear_authentication();

create function pg_temp.keys(j jsonb) returns text[] language sql as
    $$ select coalesce(array_agg(k order by k), '{}') from jsonb_object_keys(j) as k $$;
create function pg_temp.sorted(a text[]) returns text[] language sql as
    $$ select array_agg(x order by x) from unnest(a) as x $$;

select is(pg_temp.keys(:'doc'::jsonb), pg_temp.sorted(array['coach', 'last_updated', 'min_sample', 'has_leads', 'activity',
    'reply_rates', 'qualification', 'demographics', 'pipeline', 'performance', 'definitions']), 'Dashboard');
select is(pg_temp.keys(:'doc'::jsonb -> 'coach'), pg_temp.sorted(array['id', 'name', 'timezone', 'currency']), 'coach');
select is(pg_temp.keys(:'doc'::jsonb -> 'activity'), pg_temp.sorted(array['messages_sent', 'messages_received',
    'total_leads', 'leads_today', 'leads_week', 'leads_change', 'messages_sent_change', 'avg_messages_per_lead',
    'top_sources', 'avg_time_to_action_minutes']), 'activity');
select is(pg_temp.keys(:'doc'::jsonb #> '{activity,leads_change}'), pg_temp.sorted(array['current', 'previous', 'change_pct']),
    'Change');
select is(pg_temp.keys(:'doc'::jsonb #> '{activity,top_sources,0}'), pg_temp.sorted(array['label', 'lead_count', 'percentage']),
    'RankedItem');
select is(pg_temp.keys(:'doc'::jsonb #> '{reply_rates,0}'), pg_temp.sorted(array['message_number', 'rate', 'rating']),
    'reply_rates[]');
select is(pg_temp.keys(:'doc'::jsonb #> '{reply_rates,0,rate}'), pg_temp.sorted(array['value', 'num', 'den', 'low_sample']),
    'Rate');
select is(pg_temp.keys(:'doc'::jsonb -> 'qualification'), pg_temp.sorted(array['qualified_leads', 'qualification_rate',
    'lead_magnets_sent', 'emails_captured', 'calls_proposed', 'calls_booked', 'funnel', 'call_booking_rate',
    'call_conversion_rate', 'no_show_rate']), 'qualification');
select is(pg_temp.keys(:'doc'::jsonb #> '{qualification,funnel,1}'), pg_temp.sorted(array['step', 'count', 'rate_from_previous']),
    'funnel[]');
select is((select array_agg(f ->> 'step') from jsonb_array_elements(:'doc'::jsonb #> '{qualification,funnel}') as f),
    array['messages_sent', 'qualified', 'calls_proposed', 'calls_booked'], 'funnel steps in order');
select is(pg_temp.keys(:'doc'::jsonb #> '{qualification,no_show_rate}'),
    pg_temp.sorted(array['value', 'num', 'den', 'low_sample', 'estimated']), 'EstimatedRate');
select is(pg_temp.keys(:'doc'::jsonb -> 'demographics'), pg_temp.sorted(array['men', 'women', 'other', 'unknown_gender',
    'average_age', 'top_professions']), 'demographics');
select is(pg_temp.keys(:'doc'::jsonb -> 'pipeline'), pg_temp.sorted(array['new_leads', 'engaged_leads', 'won_leads',
    'lost_leads', 'lost_rate', 'relance_leads', 'leads_to_follow_up', 'follow_up_rate', 'follow_up', 'lost_reasons']), 'pipeline');
select is(pg_temp.keys(:'doc'::jsonb #> '{pipeline,follow_up,0}'), pg_temp.sorted(array['lead_id', 'instagram_username',
    'first_name', 'status', 'days_without_contact', 'priority']), 'FollowUpLead');
select is(pg_temp.keys(:'doc'::jsonb -> 'performance'), pg_temp.sorted(array['revenue', 'deals_closed', 'average_deal_value',
    'setter_cost', 'acquisition_cost', 'roi', 'ai_efficiency', 'time_saved', 'best_conversion_moment',
    'lead_quality_by_source', 'speed_to_lead']), 'performance');
select is(pg_temp.keys(:'doc'::jsonb #> '{performance,time_saved}'),
    pg_temp.sorted(array['hours', 'messages', 'minutes_per_message', 'estimated']), 'time_saved');
select is(pg_temp.keys(:'doc'::jsonb #> '{performance,best_conversion_moment}'), pg_temp.sorted(array['weekday', 'hour', 'count']),
    'best_conversion_moment');
select is(pg_temp.keys(:'doc'::jsonb #> '{performance,lead_quality_by_source,0}'), pg_temp.sorted(array['source', 'leads',
    'qualified', 'calls_booked', 'won', 'revenue', 'qualification_rate', 'booking_rate', 'win_rate']), 'SourceQuality');
select is(pg_temp.keys(:'doc'::jsonb #> '{performance,speed_to_lead}'),
    pg_temp.sorted(array['median_minutes', 'p90_minutes', 'sample']), 'speed_to_lead');
-- every definition has the KpiDefinition keys, and every KPI field of the six sections has a definition
select is((select count(*)::int from jsonb_each(:'doc'::jsonb -> 'definitions') as d
           where pg_temp.keys(d.value) <> array['denominator', 'formula', 'label']), 0, 'KpiDefinition');
select is(
    (select coalesce(array_agg(p order by p), '{}') from (
        select s || '.' || k as p
        from unnest(array['activity', 'qualification', 'demographics', 'pipeline', 'performance']) as s,
             jsonb_object_keys(:'doc'::jsonb -> s) as k
        union all select 'reply_rates'
     ) as x where not (:'doc'::jsonb -> 'definitions') ? p),
    '{}'::text[], 'every KPI key of the document has a definition');

select * from finish();
rollback;
