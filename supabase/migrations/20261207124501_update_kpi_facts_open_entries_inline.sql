-- Purpose: writes the open entries of the existing day, week and month rows of private.kpi_facts again, coach by coach under the KPI writers' lock, so that they follow their new storage (in the row, not in the TOAST table); the same values.

set local lock_timeout = '500ms';
set local statement_timeout = '300s';

-- Under the KPI writers' lock, so no upkeep pass writes the rows meanwhile. Appending an empty array makes a new value
-- (the stored one, read whole), which the new storage keeps in the row; the same elements in the same order. No
-- trigger of the table fires: neither the maps nor the counts change. The work is bounded by the coach's day, week
-- and month rows (days of history), not by leads.
select pg_catalog.pg_advisory_xact_lock(private.kpi_upkeep_lock());

do $$
declare
    coach uuid;
begin
    for coach in select c.id from public.coachs as c order by c.id loop
        update private.kpi_facts as k
        set open_keys = k.open_keys || '{}'::text[], open_counts = k.open_counts || '{}'::numeric[]
        where k.coach_id = coach and k.grain in ('day', 'week', 'month') and k.open_keys <> '{}'::text[];
    end loop;
end;
$$;
