-- Purpose: the triggers that keep the open entries of private.kpi_facts fire only when a row's open entries can change (not on an update of its typed counts or slotted speed buckets only, most of the upkeep's), and an inserted row without any keeps the empty default: the same arrays for less upkeep work.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

drop trigger kpi_facts_open_entries_insert on private.kpi_facts;

drop trigger kpi_facts_open_entries_update on private.kpi_facts;

-- as supabase/schemas/41_kpi_open_entries.sql defines them
create trigger kpi_facts_open_entries_insert
    before insert on private.kpi_facts
    for each row
    when (new.grain in ('day', 'week', 'month') and (new.sources <> '{}'::jsonb or new.professions <> '{}'::jsonb
        or new.lost_reasons <> '{}'::jsonb or (new.counts - private.kpi_typed_count_keys()) <> '{}'::jsonb
        or (new.speed - private.kpi_speed_slot_keys()) <> '{}'::jsonb))
    execute function private.kpi_facts_open_entries();

create trigger kpi_facts_open_entries_update
    before update on private.kpi_facts
    for each row
    when (new.grain in ('day', 'week', 'month') and (new.sources is distinct from old.sources
        or new.professions is distinct from old.professions or new.lost_reasons is distinct from old.lost_reasons
        or (new.counts is distinct from old.counts
            and (new.counts - private.kpi_typed_count_keys()) is distinct from (old.counts - private.kpi_typed_count_keys()))
        or (new.speed is distinct from old.speed
            and (new.speed - private.kpi_speed_slot_keys()) is distinct from (old.speed - private.kpi_speed_slot_keys()))))
    execute function private.kpi_facts_open_entries();

comment on function private.kpi_facts_open_entries() is
    'Trigger function of private.kpi_facts (before an insert of a day, week or month row that has open entries, and before an update of one that changes them: its sources, professions or lost reasons, the keys of counts without a typed column, the speed buckets beyond 30 days): sets open_keys and open_counts from the row (private.kpi_open_entries), so every writer of the maps (the upkeep''s private.kpi_add_contributions, a rebuild) keeps them. A row without open entries keeps the empty default; an update of the typed counts or the slotted speed buckets only (most of the upkeep''s: messages, turns) does not call it. Window rows are left empty: a range reads day, week and month rows only.';
