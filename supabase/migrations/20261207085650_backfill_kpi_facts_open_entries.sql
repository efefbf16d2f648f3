-- Purpose: fill open_keys and open_counts of the existing day, week and month rows of private.kpi_facts from their counts and maps, coach by coach, under the KPI writers' lock.

set local lock_timeout = '500ms';
set local statement_timeout = '300s';

-- Under the KPI writers' lock, so no upkeep pass changes the maps meanwhile (a pass that ran after the previous
-- migration already set the open entries of the rows it wrote, through the trigger). One statement per coach; the
-- work is bounded by the coach's day, week and month rows (days of history), not by leads.
select pg_catalog.pg_advisory_xact_lock(private.kpi_upkeep_lock());

do $$
declare
    coach uuid;
begin
    for coach in select c.id from public.coachs as c order by c.id loop
        update private.kpi_facts as k
        set open_keys = x.keys, open_counts = x.counts
        from private.kpi_facts as f
        cross join lateral private.kpi_open_entries(f) as x
        where k.coach_id = coach and k.grain in ('day', 'week', 'month')
            and f.coach_id = k.coach_id and f.grain = k.grain and f.day = k.day;
    end loop;
end;
$$;
