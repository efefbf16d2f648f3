-- Purpose: fill the current-status sums of private.kpi_coach_now (revenue of the leads now won, lost reasons, call outcomes) from the lead facts, one statement over at most one row per coach.

set local lock_timeout = '500ms';
set local statement_timeout = '120s';

-- Under the KPI writers' lock, so no upkeep pass changes lead_facts or kpi_coach_now meanwhile.
select pg_catalog.pg_advisory_xact_lock(private.kpi_upkeep_lock());

update private.kpi_coach_now as n
set won_revenue = x.won_revenue, won_valued = x.won_valued, won_revenue_by_source = x.by_source,
    lost_reasons = x.lost_reasons, call_outcomes = x.call_outcomes, no_shows = x.no_shows
from (
    select f.coach_id,
        coalesce(sum(f.deal_value) filter (where f.status = 'won'), 0) as won_revenue,
        count(f.deal_value) filter (where f.status = 'won')::integer as won_valued,
        coalesce((select jsonb_object_agg(s.source, s.amount) from (
            select g.source, sum(g.deal_value) as amount from private.lead_facts as g
            where g.coach_id = f.coach_id and g.status = 'won' and g.source is not null and g.deal_value is not null
            group by g.source having sum(g.deal_value) <> 0) as s), '{}'::jsonb) as by_source,
        coalesce((select jsonb_object_agg(r.lost_reason, r.n) from (
            select g.lost_reason, count(*) as n from private.lead_facts as g
            where g.coach_id = f.coach_id and g.status = 'lost' and g.lost_reason is not null
            group by g.lost_reason) as r), '{}'::jsonb) as lost_reasons,
        count(*) filter (where f.call_showed is not null)::integer as call_outcomes,
        count(*) filter (where not f.call_showed)::integer as no_shows
    from private.lead_facts as f
    group by f.coach_id
) as x
where n.coach_id = x.coach_id;
