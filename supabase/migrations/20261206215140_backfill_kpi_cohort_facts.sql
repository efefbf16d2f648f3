-- Purpose: fill private.kpi_cohort_facts from the lead facts, coach by coach in one transaction under the KPI writers' lock.

set local lock_timeout = '500ms';
set local statement_timeout = '300s';

-- Under the KPI writers' lock, so no upkeep pass changes lead facts meanwhile. A pass that ran after the previous
-- migrations added its differences to an empty table: the sums of the lead facts replace them (not added to them).
-- The work is one read of each coach's lead facts, written as one row per coach and week.
select pg_catalog.pg_advisory_xact_lock(private.kpi_upkeep_lock());

delete from private.kpi_cohort_facts;

select private.kpi_add_cohort_contributions(
    array(select f from private.lead_facts as f where f.coach_id = c.id), '{}'::private.lead_facts[])
from public.coachs as c
order by c.id;
