-- get_kpi_leads (drill-down): on a randomized fixture (2 coaches, Paris and New York), for every period and every
-- count of the period document that has leads behind it (labelled ones too), the list's total equals the count and
-- the list has that many leads; pages follow one another without gap or repeat; callers are checked by actor and bad
-- input fails with 22023.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(20);
\ir helpers/auth.psql
\ir helpers/kpi_random_fixture.psql

select setseed(0.2626);
select tests.create_coach('drill-paris@example.com', 'Europe/Paris') as paris \gset
select tests.create_coach('drill-ny@example.com', 'America/New_York') as ny \gset
select tests.random_events(:'paris', 'dp', 45) + tests.random_events(:'ny', 'dny', 45) as staged \gset
select tests.deliver_events();
do $$ begin loop exit when (private.kpi_upkeep() ->> 'queued')::integer = 0; end loop; end $$;

-- the range: the 41 days around a DST change (tests.last_dst_day: more than 30 days ago, so the range is in the past
-- on any day of the year)
create temporary table docs as
select c.id as coach, v.period, v.period_start, v.period_end, public.get_dashboard(c.id, v.period, v.period_start, v.period_end) as doc
from public.coachs as c
cross join lateral (values ('today', null::date, null::date), ('7d', null, null), ('30d', null, null), ('90d', null, null),
    ('all', null, null), ('range', tests.last_dst_day(c.timezone) - 20, tests.last_dst_day(c.timezone) + 20)) as v (period, period_start, period_end)
where c.id in (:'paris', :'ny');

create temporary table expected as
select d.coach, d.period, d.period_start, d.period_end, x.kpi, x.n
from docs as d
cross join lateral (
    select 'activity.new_leads', (d.doc #>> '{activity,new_leads,value}')::int
    union all select 'qualification.emails_captured', (d.doc #>> '{qualification,emails_captured,value}')::int
    union all select 'demographics.unknown_gender', (d.doc #>> '{demographics,unknown_gender,value}')::int
    union all select 'qualification.qualified_leads', (d.doc #>> '{qualification,qualified_leads,value}')::int
    union all select 'qualification.calls_proposed', (d.doc #>> '{qualification,calls_proposed,value}')::int
    union all select 'qualification.calls_booked', (d.doc #>> '{qualification,calls_booked,value}')::int
    union all select 'qualification.lead_magnets_sent', (d.doc #>> '{qualification,lead_magnets_sent,value}')::int
    union all select 'performance.deals_closed', (d.doc #>> '{performance,deals_closed,value}')::int
    union all select 'pipeline.lost_in_period', (d.doc #>> '{pipeline,lost_in_period,value}')::int
    union all select 'reply_rates.' || r.n, (r.item #>> '{rate,den}')::int
        from jsonb_array_elements(d.doc -> 'reply_rates') with ordinality as r (item, n)
    union all select 'activity.top_sources:' || (i ->> 'label'), (i ->> 'lead_count')::int
        from jsonb_array_elements(d.doc #> '{activity,top_sources}') as i
    union all select 'performance.lead_quality_by_source:' || (i ->> 'source'), (i ->> 'leads')::int
        from jsonb_array_elements(d.doc #> '{performance,lead_quality_by_source}') as i
    union all select 'demographics.top_professions:' || (i ->> 'label'), (i ->> 'lead_count')::int
        from jsonb_array_elements(d.doc #> '{demographics,top_professions}') as i
    union all select 'pipeline.lost_reasons:' || (i ->> 'label'), (i ->> 'lead_count')::int
        from jsonb_array_elements(d.doc #> '{pipeline,lost_reasons}') as i
    union all select 'qualification.funnel:' || (s ->> 'step'), (s #>> '{count,value}')::int
        from jsonb_array_elements(d.doc #> '{qualification,funnel}') as s
) as x (kpi, n);

create temporary table lists as
select e.*, public.get_kpi_leads(e.kpi, e.coach, e.period, e.period_start, e.period_end, null, 500) as list
from expected as e;

select cmp_ok((select count(*)::int from lists), '>', 250, 'hundreds of (coach, period, count) lists');
select cmp_ok((select count(*)::int from lists where n > 0), '>', 150, 'most of them not empty');
select is((select count(*)::int from lists where (list ->> 'total')::int <> n), 0,
    'every list''s total equals the count of the period document');
select is((select count(*)::int from lists where jsonb_array_length(list -> 'rows') <> n), 0,
    'every list holds that many leads');
select is((select count(*)::int from lists, jsonb_array_elements(list -> 'rows') as r
           where r ->> 'event_at' is null or r ->> 'lead_id' is null), 0, 'every row has its lead and event time');
select is((select count(*)::int from lists where list -> 'next' <> 'null'::jsonb), 0, 'a list that fits in a page has no next page');

-- pages of 7: every lead once, in the list's order (most recent event first)
create temporary table paged (n serial, lead_id text, page integer);
do $$
declare
    coach uuid := (select id from public.coachs where email = 'drill-paris@example.com');
    cursor_text text;
    page jsonb;
    k integer := 0;
begin
    loop
        page := public.get_kpi_leads('activity.new_leads', coach, 'all', null, null, cursor_text, 7);
        k := k + 1;
        insert into paged (lead_id, page) select r ->> 'lead_id', k from jsonb_array_elements(page -> 'rows') as r;
        cursor_text := page ->> 'next';
        exit when cursor_text is null or k > 100;
    end loop;
end $$;
select is((select array_agg(lead_id order by n) from paged),
    (select array_agg(r ->> 'lead_id' order by o) from lists, jsonb_array_elements(list -> 'rows') with ordinality as x (r, o)
     where coach = :'paris' and period = 'all' and kpi = 'activity.new_leads'),
    'pages of 7 give the whole list once, in order');
select cmp_ok((select max(page) from paged), '>', 3, 'over several pages');
select is((select count(*)::int from paged where page < (select max(page) from paged) group by page order by 1 desc limit 1), 7,
    'every page but the last holds 7 leads');

-- callers
select tests.create_user('drill-admin@example.com', '{"role": "admin"}') as admin \gset
select (select n from expected where coach = :'ny' and period = 'all' and kpi = 'activity.new_leads') as ny_leads,
    (select n from expected where coach = :'paris' and period = 'all' and kpi = 'activity.new_leads') as paris_leads \gset
select tests.authenticate_as_anon();
select throws_ok(format('select public.get_kpi_leads(%L, %L)', 'activity.new_leads', :'paris'), '42501',
    'permission denied for function get_kpi_leads', 'anon cannot drill down');
select tests.authenticate_as(:'ny');
select throws_ok(format('select public.get_kpi_leads(%L, %L)', 'activity.new_leads', :'paris'), '42501',
    'permission denied: a coach can only read its own dashboard', 'a coach cannot list another coach''s leads');
select is((public.get_kpi_leads('activity.new_leads', period => 'all') ->> 'total')::int,
    :'ny_leads'::int, 'a coach lists its own leads');
select tests.authenticate_as(:'admin');
select is((public.get_kpi_leads('activity.new_leads', :'paris', 'all') ->> 'total')::int,
    :'paris_leads'::int, 'an admin lists any coach''s leads');
select tests.authenticate_as_service_role();
select throws_ok($$select public.get_kpi_leads('activity.new_leads')$$, '22004',
    'coach_id is required: sign in as a coach or pass a coach id', 'the service role must name the coach');

-- bad input
select tests.authenticate_as(:'paris');
select throws_ok($$select public.get_kpi_leads('activity.messages_sent')$$, '22023',
    'invalid parameter "kpi": "activity.messages_sent" is not a count with leads behind it', 'a count of messages has no lead list');
select throws_ok($$select public.get_kpi_leads('activity.top_sources')$$, '22023',
    'invalid parameter "kpi": "activity.top_sources" is not a count with leads behind it', 'a ranked list needs its label');
select throws_ok($$select public.get_kpi_leads('activity.new_leads:story')$$, '22023',
    'invalid parameter "kpi": "activity.new_leads:story" is not a count with leads behind it', 'a plain count takes no label');
select throws_ok($$select public.get_kpi_leads('activity.new_leads', page_size => 0)$$, '22023',
    'invalid parameter "page_size": must be between 1 and 500', 'a page size of 0');
select throws_ok($$select public.get_kpi_leads('activity.new_leads', after => 'page-2')$$, '22023',
    'invalid parameter "after": not a cursor this function returned', 'a made-up cursor');
select throws_ok($$select public.get_kpi_leads('activity.new_leads', period => 'year')$$, '22023',
    'invalid parameter "period": "year" is not one of today, 7d, 30d, 90d, all, range', 'a bad period');
select tests.clear_authentication();

select * from finish();
rollback;
