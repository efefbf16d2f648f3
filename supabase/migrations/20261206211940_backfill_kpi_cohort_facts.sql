-- Purpose: fill private.kpi_cohort_facts from the lead facts, one statement under the KPI writers' lock.

set local lock_timeout = '500ms';
set local statement_timeout = '300s';

-- Under the KPI writers' lock, so no upkeep pass changes lead facts meanwhile. A pass that ran after the previous
-- migrations added its differences to an empty table: the sums of the lead facts replace them (not added to them).
-- The work is one read of private.lead_facts (each lead's contribution is a few comparisons), written as one row per
-- coach and week.
select pg_catalog.pg_advisory_xact_lock(private.kpi_upkeep_lock());

delete from private.kpi_cohort_facts;

insert into private.kpi_cohort_facts (coach_id, week, leads, still_open, qualified_7, qualified_14, qualified_30,
    booked_7, booked_14, booked_30, won_7, won_14, won_30)
select f.coach_id, c.week, sum(c.leads), sum(c.still_open), sum(c.qualified_7), sum(c.qualified_14),
    sum(c.qualified_30), sum(c.booked_7), sum(c.booked_14), sum(c.booked_30), sum(c.won_7), sum(c.won_14),
    sum(c.won_30)
from private.lead_facts as f
cross join lateral private.kpi_cohort_contributions(f) as c
group by f.coach_id, c.week
order by f.coach_id, c.week;
