-- Purpose: private.lead_search keeps each lead's created_at (its triggers write it), the order in which a search reads a coach's leads.

set lock_timeout = '500ms';

-- Nullable, no default: catalog-only. The rows written before this migration are filled by the next one.
alter table private.lead_search add column created_at timestamp with time zone;

comment on column private.lead_search.created_at is
    'The lead''s created_at (kept by the same triggers): the order of a search''s candidates, newest first, read from lead_search_coach_id_created_at_idx. Null only for a row written before the column existed and not yet filled.';

create or replace function private.sync_lead_search_rows()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    insert into private.lead_search (lead_id, coach_id, search_text, created_at)
    select n.id, n.coach_id, private.lead_search_text(n.first_name, n.last_name, n.instagram_username, n.email), n.created_at
    from new_rows as n
    on conflict (lead_id) do nothing;
    return null;
end;
$$;

comment on function private.sync_lead_search_rows() is
    'Statement trigger function after insert on leads: writes the search text of the new leads into private.lead_search.';

create or replace function private.sync_lead_search_row()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    insert into private.lead_search (lead_id, coach_id, search_text, created_at)
    values (new.id, new.coach_id, private.lead_search_text(new.first_name, new.last_name, new.instagram_username, new.email), new.created_at)
    on conflict (lead_id) do update
    set coach_id = excluded.coach_id, search_text = excluded.search_text, created_at = excluded.created_at;
    return null;
end;
$$;

comment on function private.sync_lead_search_row() is
    'Row trigger function after an update of a lead''s names, Instagram username, email, coach or created_at: rewrites its row of private.lead_search.';

-- created_at moves back when n8n delivers an older event of the lead (private.ingest_lead_row): followed too.
create or replace trigger leads_sync_search_update
    after update of first_name, last_name, instagram_username, email, coach_id, created_at on public.leads
    for each row
    when ((old.first_name, old.last_name, old.instagram_username, old.email, old.coach_id, old.created_at)
        is distinct from (new.first_name, new.last_name, new.instagram_username, new.email, new.coach_id, new.created_at))
    execute function private.sync_lead_search_row();

comment on trigger leads_sync_search_update on public.leads is
    'Keeps private.lead_search when a lead''s names, Instagram username, email, coach or created_at change.';
