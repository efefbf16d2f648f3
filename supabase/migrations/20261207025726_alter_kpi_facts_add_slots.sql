-- Purpose: private.kpi_facts gains conversion_slots and speed_slots (its conversions and speed maps packed in one number each, kept by a trigger) so a range adds numbers instead of merging maps; the existing rows are filled by the next migration.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- a constant default: no rewrite of the table (the existing rows read 0 until the backfill that follows)
alter table private.kpi_facts
    add column conversion_slots numeric not null default 0,
    add column speed_slots numeric not null default 0;

comment on table private.kpi_facts is
    'Additive KPI facts of a coach over a range of local days [day, end_day]: one local day (grain day), one ISO week (grain week, Monday to Sunday: the weekly trend and the whole weeks of a range), one local month (grain month), or the current preset periods and their previous periods (grains today, 7d, 30d, 90d, all and previous_*: the windows, recomputed when the coach''s day changes). The upkeep adds the differences of the contributions of changed leads to every row whose range holds the day (private.kpi_add_contributions); the typed columns are generated from counts, conversion_slots and speed_slots kept from conversions and speed by a trigger (private.kpi_facts_pack_slots). A preset period reads its window row; any other period sums its whole months, whole weeks and remaining days (private.kpi_range_cover). Rebuilt from scratch by private.kpi_rebuild().';

comment on column private.kpi_facts.conversion_slots is 'The conversions map packed in one whole number, ten digits per weekday-hour slot (private.kpi_pack_slots over private.kpi_conversion_slot_keys()), kept from conversions by the triggers kpi_facts_pack_slots_insert and _update: a range adds its rows'' numbers instead of merging their maps (private.kpi_range_sums).';
comment on column private.kpi_facts.speed_slots is 'The speed map''s 40 fixed buckets (private.kpi_speed_slot_keys(): 1 to 43200 minutes) packed in one whole number, ten digits per bucket (private.kpi_pack_slots), kept from speed by the triggers kpi_facts_pack_slots_insert and _update; the buckets beyond 30 days stay in speed only.';

-- from now on every insert and every change of the maps sets the packed columns (supabase/schemas/40_kpi_slots.sql)
create trigger kpi_facts_pack_slots_insert
    before insert on private.kpi_facts
    for each row
    when (new.conversions <> '{}'::jsonb or new.speed <> '{}'::jsonb)
    execute function private.kpi_facts_pack_slots();

create trigger kpi_facts_pack_slots_update
    before update on private.kpi_facts
    for each row
    when (new.conversions is distinct from old.conversions or new.speed is distinct from old.speed)
    execute function private.kpi_facts_pack_slots();
