-- The fast path (incremental facts, windows, month and week rows) equals an independent reference on a randomized
-- fixture: 3 coaches in 2 time zones (Paris, New York) with leads around a DST change of each one's zone (the last
-- one more than 30 days ago: the range around it is in the past on any day of the year), more than 2,000
-- messages, every event delivered through the n8n RPCs in a shuffled order and a fifth of them again. For today,
-- 7d, 30d, 90d, all and two ranges (one around the DST change, one of weekly buckets), every period KPI of
-- get_dashboard equals the one computed by helpers/kpi_reference.psql from leads, lead_status_events and messages.
-- Then the full rebuild equals the incremental state.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(51);
\ir helpers/auth.psql
\ir helpers/kpi_reference.psql
\ir helpers/kpi_random_fixture.psql

select setseed(0.1414);
select tests.create_coach('ref-paris-1@example.com', 'Europe/Paris') as paris1 \gset
select tests.create_coach('ref-paris-2@example.com', 'Europe/Paris') as paris2 \gset
select tests.create_coach('ref-ny@example.com', 'America/New_York') as ny \gset
select tests.random_events(:'paris1', 'rp1', 80) + tests.random_events(:'paris2', 'rp2', 80)
    + tests.random_events(:'ny', 'rny', 80) as staged_messages \gset
select tests.deliver_events();
-- every queued change applied (a pass drains at most 20,000 queue rows)
do $$ begin loop exit when (private.kpi_upkeep() ->> 'queued')::integer = 0; end loop; end $$;

create temporary table coaches as
select c.id, c.timezone, (now() at time zone c.timezone)::date as today, tests.last_dst_day(c.timezone) as dst
from public.coachs as c where c.id in (:'paris1', :'paris2', :'ny');

select cmp_ok((select count(*)::int from public.messages where coach_id in (select id from coaches)), '>=', 2000,
    'more than 2,000 messages');
select is((select count(*)::int from public.messages where coach_id in (select id from coaches)), :'staged_messages'::int,
    'every staged message stored once although a fifth was delivered twice, in a shuffled order');
select is((select count(*)::int from coaches where dst is not null and dst + 3 < today
           and ((dst + 1)::timestamp at time zone timezone) - (dst::timestamp at time zone timezone) <> interval '24 hours'), 3,
    'each coach''s fixture has a DST change day (23 or 25 hours), with the range around it wholly before today');
select cmp_ok((select count(*)::int from public.leads as l join coaches as c on c.id = l.coach_id
               where (l.created_at at time zone c.timezone)::date between c.dst - 2 and c.dst + 2), '>', 10,
    'leads are created around the DST changes');

create temporary table periods as
select c.id as coach, v.period, v.period_start, v.period_end
from coaches as c
cross join lateral (values
    ('today', null::date, null::date), ('7d', null, null), ('30d', null, null), ('90d', null, null), ('all', null, null),
    ('range', c.dst - 3, c.dst + 3), ('range', c.today - 150, c.today - 40)
) as v (period, period_start, period_end);

create temporary table cmp as
select p.coach, p.period, p.period_start, d.doc,
    tests.ref_document(p.coach, p.period, (d.doc #>> '{period,start}')::date, (d.doc #>> '{period,end}')::date,
        (d.doc #>> '{period,previous,start}')::date, (d.doc #>> '{period,previous,end}')::date,
        (d.doc #>> '{period,previous,until}')::timestamptz) as ref
from periods as p
cross join lateral (select public.get_dashboard(p.coach, p.period, p.period_start, p.period_end) as doc) as d;

create function pg_temp.mismatches(path text[])
returns text
language sql
as $$
    select coalesce(string_agg(format('%s %s %s: got %s, expected %s', left(coach::text, 8), period, coalesce(period_start::text, ''),
        doc #> path, ref #> path), E'\n'), '')
    from (select * from cmp where doc #> path is distinct from ref #> path limit 3) as x;
$$;

create function pg_temp.check(path text)
returns text
language plpgsql
as $$
declare
    bad integer := (select count(*) from cmp where cmp.doc #> string_to_array(path, '.') is distinct from cmp.ref #> string_to_array(path, '.'));
begin
    if bad = 0 then
        return ok(true, path || ' equals the reference for every coach and period');
    end if;
    return ok(false, path || ' equals the reference for every coach and period')
        || E'\n' || diag(bad || ' differ, e.g.' || E'\n' || pg_temp.mismatches(string_to_array(path, '.')));
end;
$$;

select is((select count(*)::int from cmp), 21, '21 documents: 3 coaches x 7 periods');
select is((select count(*)::int from cmp join coaches as c on c.id = cmp.coach
           where (cmp.doc #>> '{period,start}')::date <> case cmp.period
                when 'today' then c.today when '7d' then c.today - 6 when '30d' then c.today - 29 when '90d' then c.today - 89
                when 'all' then (select min(x.day) from (
                    select (l.created_at at time zone c.timezone)::date as day from public.leads as l where l.coach_id = c.id
                    union all
                    select (m.created_at at time zone c.timezone)::date from public.messages as m where m.coach_id = c.id) as x)
                else cmp.period_start end), 0,
    'each period starts where it should, in the coach''s local days (all: the first lead or message)');
select pg_temp.check(k) from unnest(array[
    'activity.new_leads', 'activity.messages_sent', 'activity.messages_received', 'activity.avg_messages_per_lead',
    'activity.top_sources', 'activity.avg_time_to_action_minutes', 'reply_rates',
    'qualification.qualified_leads', 'qualification.qualification_rate', 'qualification.lead_magnets_sent',
    'qualification.emails_captured', 'qualification.calls_proposed', 'qualification.calls_booked', 'qualification.funnel',
    'qualification.call_booking_rate', 'qualification.call_conversion_rate', 'qualification.no_show_rate',
    'demographics.men', 'demographics.women', 'demographics.other', 'demographics.unknown_gender',
    'demographics.average_age', 'demographics.top_professions',
    'pipeline.lost_in_period', 'pipeline.lost_rate', 'pipeline.lost_reasons',
    'performance.revenue', 'performance.deals_closed', 'performance.average_deal_value', 'performance.setter_cost',
    'performance.acquisition_cost', 'performance.roi', 'performance.ai_efficiency', 'performance.time_saved',
    'performance.best_conversion_moment', 'performance.lead_quality_by_source', 'performance.speed_to_lead',
    'trend']) as k;

-- the data is not trivial: the comparisons above compared numbers, not zeros
select cmp_ok((select min((doc #>> '{activity,messages_sent,value}')::int) from cmp where period = 'all'), '>', 300,
    'every coach has hundreds of DMs over all time');
select cmp_ok((select count(*)::int from cmp where (doc #>> '{qualification,calls_booked,value}')::int > 0
               and (doc #>> '{performance,speed_to_lead,sample}')::int > 0), '>=', 9,
    'most documents have calls booked and speed-to-lead turns');

-- the preset windows hold what the day and month rows sum to
select is((select count(*)::int from coaches as c, unnest(array['today', '7d', '30d', '90d']) as g (grain)
           cross join lateral private.kpi_resolve_period(c.id, g.grain, null, null) as p
           where (select to_jsonb(w) - 'updated_at' - 'grain' - 'day' - 'counts' from private.kpi_period_sums(c.id, g.grain, p.start_day, p.end_day) as w)
               is distinct from (select to_jsonb(s) - 'updated_at' - 'grain' - 'day' - 'counts' from private.kpi_period_sums(c.id, null, p.start_day, p.end_day) as s)),
    0, 'each window equals the sum of its day and month rows');

-- Rebuild: the incremental state equals a rebuild from scratch
create temporary table incremental_facts as
select coach_id, grain, day, end_day, counts, sources, professions, lost_reasons, conversions, speed
from private.kpi_facts where coach_id in (select id from coaches);
create temporary table incremental_leads as
select to_jsonb(f) - 'computed_at' as f from private.lead_facts as f where f.coach_id in (select id from coaches);
create temporary table incremental_now as
select to_jsonb(n) - 'updated_at' - 'follow_up_at' as n from private.kpi_coach_now as n where n.coach_id in (select id from coaches);
select is((select sum(private.kpi_rebuild(id))::int from coaches), 240, 'rebuild of the 3 coaches (240 leads)');
select is(
    (select count(*)::int from (
        (select * from incremental_facts except select coach_id, grain, day, end_day, counts, sources, professions,
            lost_reasons, conversions, speed from private.kpi_facts where coach_id in (select id from coaches))
        union all
        (select coach_id, grain, day, end_day, counts, sources, professions, lost_reasons, conversions, speed
         from private.kpi_facts where coach_id in (select id from coaches) except select * from incremental_facts)) as d),
    0, 'rebuild: the day, week, month and window rows equal the incremental ones');
select is(
    (select count(*)::int from (
        (select f from incremental_leads except select to_jsonb(f) - 'computed_at' from private.lead_facts as f
         where f.coach_id in (select id from coaches))
        union all
        (select to_jsonb(f) - 'computed_at' from private.lead_facts as f where f.coach_id in (select id from coaches)
         except select f from incremental_leads)) as d),
    0, 'rebuild: the lead facts equal the incremental ones');
select is(
    (select count(*)::int from (
        (select n from incremental_now except select to_jsonb(n) - 'updated_at' - 'follow_up_at' from private.kpi_coach_now as n
         where n.coach_id in (select id from coaches))
        union all
        (select to_jsonb(n) - 'updated_at' - 'follow_up_at' from private.kpi_coach_now as n where n.coach_id in (select id from coaches)
         except select n from incremental_now)) as d),
    0, 'rebuild: the current pipeline and follow-up lists equal the incremental ones');

select * from finish();
rollback;
