-- Purpose: lead search: pg_trgm, unaccent and btree_gin, the folding of names for search, and private.lead_search (one row per lead, kept by trigger) with its trigram index.

set lock_timeout = '500ms';

-- Supabase installs extensions in the extensions schema; these three ship with PostgreSQL (contrib) and Supabase.
create extension if not exists pg_trgm with schema extensions;
create extension if not exists unaccent with schema extensions;
create extension if not exists btree_gin with schema extensions;

-- unaccent() is stable (its dictionary could change); the folded text is stored, never indexed through the function,
-- so immutable is only a promise that a stored fold is still right: true as long as the unaccent dictionary is the
-- one shipped with PostgreSQL.
create or replace function private.search_fold(value text)
returns text
language sql
immutable
parallel safe
security invoker
set search_path = ''
as $$
    select pg_catalog.lower(extensions.unaccent('extensions.unaccent'::regdictionary, coalesce(value, '')));
$$;

comment on function private.search_fold(text) is
    'Text folded for search: accents removed (unaccent) and lower case, so "Zoé" and "ZOE" both give "zoe"; null gives ''''.';

revoke all on function private.search_fold(text) from public, anon, authenticated;

-- The search text of every lead, in its own table: the trigram index reads a plain column (a recheck costs nothing),
-- and the leads rows themselves are never rewritten for it.
create table private.lead_search (
    lead_id uuid primary key references public.leads (id) on delete cascade,
    coach_id uuid not null,
    search_text text not null
);

comment on table private.lead_search is
    'Folded search text of each lead (first name, last name, Instagram username, email), kept by trigger on leads; read by public.search_leads through its trigram index.';
comment on column private.lead_search.lead_id is 'The lead.';
comment on column private.lead_search.coach_id is 'The lead''s coach: the first column of the index, so a search reads one coach''s entries only.';
comment on column private.lead_search.search_text is 'private.search_fold of first name, last name, Instagram username and email, separated by spaces.';

revoke all on table private.lead_search from public, anon, authenticated, service_role;

-- btree_gin gives the coach id a GIN entry: the index intersects the coach's entries with the trigrams of the query,
-- so a coach's search never visits another coach's leads (and a query under three characters, without trigrams,
-- scans that coach's entries only).
create index lead_search_coach_id_search_text_idx
    on private.lead_search using gin (coach_id, search_text extensions.gin_trgm_ops);

create or replace function private.lead_search_text(first_name text, last_name text, instagram_username text, email text)
returns text
language sql
immutable
parallel safe
security invoker
set search_path = ''
as $$
    select private.search_fold(pg_catalog.concat_ws(' ', first_name, last_name, instagram_username, email));
$$;

comment on function private.lead_search_text(text, text, text, text) is
    'The search text of a lead: private.search_fold of its first name, last name, Instagram username and email joined by spaces.';

revoke all on function private.lead_search_text(text, text, text, text) from public, anon, authenticated;

-- Any writer of leads (n8n's ingest, a restore) keeps the search text; runs as the owner (private is not writable by
-- API roles). Inserts: once per statement. Updates: only when a searched field changes (the message triggers update
-- the lead's counters with every message; they never fire this one).
create or replace function private.sync_lead_search_rows()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
    insert into private.lead_search (lead_id, coach_id, search_text)
    select n.id, n.coach_id, private.lead_search_text(n.first_name, n.last_name, n.instagram_username, n.email)
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
security definer
set search_path = ''
as $$
begin
    insert into private.lead_search (lead_id, coach_id, search_text)
    values (new.id, new.coach_id, private.lead_search_text(new.first_name, new.last_name, new.instagram_username, new.email))
    on conflict (lead_id) do update
    set coach_id = excluded.coach_id, search_text = excluded.search_text;
    return null;
end;
$$;

comment on function private.sync_lead_search_row() is
    'Row trigger function after an update of a lead''s names, Instagram username, email or coach: rewrites its search text in private.lead_search.';

revoke all on function private.sync_lead_search_rows() from public, anon, authenticated, service_role;
revoke all on function private.sync_lead_search_row() from public, anon, authenticated, service_role;

create trigger leads_sync_search_insert
    after insert on public.leads
    referencing new table as new_rows
    for each statement execute function private.sync_lead_search_rows();
create trigger leads_sync_search_update
    after update of first_name, last_name, instagram_username, email, coach_id on public.leads
    for each row
    when ((old.first_name, old.last_name, old.instagram_username, old.email, old.coach_id)
        is distinct from (new.first_name, new.last_name, new.instagram_username, new.email, new.coach_id))
    execute function private.sync_lead_search_row();

comment on trigger leads_sync_search_insert on public.leads is 'Keeps private.lead_search for inserted leads.';
comment on trigger leads_sync_search_update on public.leads is 'Keeps private.lead_search when a lead''s names, Instagram username, email or coach change.';
