-- Purpose: fill the maps of the existing week rows of private.kpi_facts from their day rows (before, week rows held the typed counts only), one statement over the week rows, under the KPI writers' lock.

set local lock_timeout = '500ms';
set local statement_timeout = '300s';

-- Under the KPI writers' lock, so no upkeep pass changes day or week rows meanwhile. A pass that ran after the previous
-- migration added its differences to the week maps too: the sums of the day rows replace them (not added to them).
-- The work is bounded by the week rows (coaches x weeks of history, each the sum of at most 7 day rows), not by leads.
select pg_catalog.pg_advisory_xact_lock(private.kpi_upkeep_lock());

update private.kpi_facts as w
set counts = s.counts, sources = s.sources, professions = s.professions, lost_reasons = s.lost_reasons,
    conversions = s.conversions, speed = s.speed, updated_at = now()
from (
    select k.coach_id, k.day,
        private.kpi_jsonb_sum(array_agg(d.counts)) as counts,
        private.kpi_jsonb_sum(array_agg(d.sources)) as sources,
        private.kpi_jsonb_sum(array_agg(d.professions)) as professions,
        private.kpi_jsonb_sum(array_agg(d.lost_reasons)) as lost_reasons,
        private.kpi_jsonb_sum(array_agg(d.conversions)) as conversions,
        private.kpi_jsonb_sum(array_agg(d.speed)) as speed
    from private.kpi_facts as k
    join private.kpi_facts as d on d.coach_id = k.coach_id and d.grain = 'day' and d.day between k.day and k.end_day
    where k.grain = 'week'
    group by k.coach_id, k.day
) as s
where w.coach_id = s.coach_id and w.grain = 'week' and w.day = s.day
    and (w.counts, w.sources, w.professions, w.lost_reasons, w.conversions, w.speed)
        is distinct from (s.counts, s.sources, s.professions, s.lost_reasons, s.conversions, s.speed);
