-- Purpose: the trigger function of private.kpi_facts packs again only the map an update changed (conversions or speed), not both.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_facts_pack_slots(), as supabase/schemas/40_kpi_slots.sql defines it
create or replace function private.kpi_facts_pack_slots()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
    -- an update packs again only the map that changed (the upkeep changes speed far more often than conversions)
    if tg_op = 'INSERT' or new.conversions is distinct from old.conversions then
        new.conversion_slots := private.kpi_pack_slots(new.conversions, private.kpi_conversion_slot_keys());
    end if;
    if tg_op = 'INSERT' or new.speed is distinct from old.speed then
        new.speed_slots := private.kpi_pack_slots(new.speed, private.kpi_speed_slot_keys());
    end if;
    return new;
end;
$$;

comment on function private.kpi_facts_pack_slots() is
    'Trigger function of private.kpi_facts (before an insert with conversions or speed, and before an update that changes either): sets conversion_slots and speed_slots from the row''s conversions and speed maps (private.kpi_pack_slots; an update only the one whose map changed), so every writer of the maps (the upkeep''s private.kpi_add_contributions, private.kpi_refresh_windows, a rebuild) keeps them.';

revoke execute on function private.kpi_facts_pack_slots() from public;
