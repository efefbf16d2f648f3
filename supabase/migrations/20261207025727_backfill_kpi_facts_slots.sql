-- Purpose: fill conversion_slots and speed_slots of the existing rows of private.kpi_facts from their maps, coach by coach, under the KPI writers' lock.

set local lock_timeout = '500ms';
set local statement_timeout = '300s';

-- Under the KPI writers' lock, so no upkeep pass changes the maps meanwhile (a pass that ran after the previous
-- migration already set the packed columns of the rows it wrote, through the trigger). One statement per coach; the
-- work is bounded by the rows with conversions or speed (coaches x days, weeks and months of history), not by leads.
select pg_catalog.pg_advisory_xact_lock(private.kpi_upkeep_lock());

do $$
declare
    coach uuid;
begin
    for coach in select c.id from public.coachs as c order by c.id loop
        update private.kpi_facts as k
        set conversion_slots = private.kpi_pack_slots(k.conversions, private.kpi_conversion_slot_keys()),
            speed_slots = private.kpi_pack_slots(k.speed, private.kpi_speed_slot_keys())
        where k.coach_id = coach and (k.conversions <> '{}'::jsonb or k.speed <> '{}'::jsonb);
    end loop;
end;
$$;
