-- Purpose: the coach's free notes on a lead: dated, kept, editable by their author only (through the note RPCs).

set lock_timeout = '500ms';

create table public.lead_notes (
    id uuid primary key default gen_random_uuid(),
    lead_id uuid not null,
    coach_id uuid not null,
    author_id uuid not null,
    body text not null,
    event_id bigint,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint lead_notes_lead_fkey foreign key (lead_id, coach_id)
        references public.leads (id, coach_id) on delete cascade,
    constraint lead_notes_body_length check (char_length(btrim(body)) between 1 and 5000)
);

create index lead_notes_lead_id_coach_id_created_at_idx on public.lead_notes (lead_id, coach_id, created_at);
create index lead_notes_coach_id_idx on public.lead_notes (coach_id);

alter table public.lead_notes enable row level security;

-- One policy per command and role: a coach reads its own rows, an admin (app_metadata) reads all; writes go through
-- public.add_lead_note / public.edit_lead_note (security definer in private).
create policy lead_notes_select_authenticated on public.lead_notes
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

revoke insert, update, delete, truncate on table public.lead_notes from anon, authenticated;

comment on table public.lead_notes is
    'Free notes of the coach on a lead (and the note given with a lost outcome): dated, never deleted, editable by their author through public.edit_lead_note.';
comment on column public.lead_notes.id is 'Primary key.';
comment on column public.lead_notes.lead_id is 'The lead.';
comment on column public.lead_notes.coach_id is 'The lead''s coach (checked by the composite foreign key).';
comment on column public.lead_notes.author_id is 'The user who wrote it (auth.users id); only this user may edit it.';
comment on column public.lead_notes.body is 'The note, 1 to 5000 characters (blank refused).';
comment on column public.lead_notes.event_id is 'The lead_status_events entry the note goes with (the note of a lost outcome); null for a free note.';
comment on column public.lead_notes.created_at is 'When it was written.';
comment on column public.lead_notes.updated_at is 'When it was last edited (equal to created_at if never).';
