-- Revenue by source in the windows and ranges: revenue_setter, revenue_coach and revenue_stripe live only in the counts
-- map of private.kpi_facts (no typed column). A window row (7d, 30d, all, ...) rebuilt from the day and month rows, and
-- a range no window holds, must carry them: their sum is the revenue, for every seeded coach (before
-- 20261206194656 the windows had none, and a document showed only what the upkeep had added since).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(4);

select ok((select count(*) from private.kpi_facts as k
           where k.grain = 'day' and k.revenue <> 0) > 0,
    'the seed has won deals with a value (the checks below are not empty)');

select is((select count(*) from private.kpi_facts as k
           where k.grain not in ('day', 'week', 'month') and k.revenue <> 0
               and k.revenue <> coalesce((k.counts ->> 'revenue_setter')::numeric, 0)
                   + coalesce((k.counts ->> 'revenue_coach')::numeric, 0)
                   + coalesce((k.counts ->> 'revenue_stripe')::numeric, 0)),
    0::bigint,
    'every window row with revenue has it by source (setter + coach + stripe = revenue)');

select is((select count(*) from public.coachs as c
           cross join lateral private.kpi_period_sums(c.id, null, current_date - 45, current_date - 1) as s
           where s.revenue <> coalesce((s.counts ->> 'revenue_setter')::numeric, 0)
               + coalesce((s.counts ->> 'revenue_coach')::numeric, 0)
               + coalesce((s.counts ->> 'revenue_stripe')::numeric, 0)),
    0::bigint,
    'a 45-day range summed from day and month rows has its revenue by source');

select is((select count(*) from (select k.document -> 'performance' as p from private.kpi_documents as k
                                     where k.period in ('30d', 'all')) as d
           where (d.p #>> '{revenue,value}')::numeric
               <> (d.p #>> '{revenue_sources,setter}')::numeric + (d.p #>> '{revenue_sources,coach}')::numeric
                   + (d.p #>> '{revenue_sources,stripe}')::numeric),
    0::bigint,
    'the stored 30-day and all documents: revenue_sources adds up to the revenue for every coach');

select * from finish();
rollback;
