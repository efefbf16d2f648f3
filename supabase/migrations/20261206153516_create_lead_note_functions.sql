-- Purpose: the coach's free notes on a lead: public.add_lead_note and public.edit_lead_note (its author only), security invoker over private definers that check the caller.

set lock_timeout = '500ms';

create or replace function private.lead_note_json(note public.lead_notes)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
    select jsonb_build_object(
        'id', note.id,
        'lead_id', note.lead_id,
        'author_id', note.author_id,
        'body', note.body,
        'event_id', note.event_id,
        'created_at', note.created_at,
        'updated_at', note.updated_at,
        'editable', note.author_id = auth.uid());
$$;

comment on function private.lead_note_json(public.lead_notes) is
    'A note as the note RPCs and get_lead return it (LeadNote in web/src/lead-types.ts): editable is true for its author.';

-- A note's text: trimmed, 1 to 5000 characters.
create or replace function private.check_note_body(body text)
returns text
language plpgsql
immutable
security invoker
set search_path = ''
as $$
begin
    if nullif(btrim(body), '') is null then
        raise exception using errcode = '22023', message = 'invalid field "body": must not be empty';
    end if;
    if char_length(btrim(body)) > 5000 then
        raise exception using errcode = '22023', message = 'invalid field "body": must have at most 5000 characters';
    end if;
    return btrim(body);
end;
$$;

comment on function private.check_note_body(text) is
    'A note''s text trimmed; raises 22023 ''invalid field "body": …'' when it is blank or longer than 5000 characters.';

create or replace function private.write_lead_note(target_lead uuid, body text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    lead public.leads := private.outcome_lead(target_lead);
    note public.lead_notes;
begin
    insert into public.lead_notes (lead_id, coach_id, author_id, body)
    values (lead.id, lead.coach_id, auth.uid(), private.check_note_body(write_lead_note.body))
    returning * into note;
    return private.lead_note_json(note);
end;
$$;

comment on function private.write_lead_note(uuid, text) is
    'Adds a note (1 to 5000 characters, trimmed) by the signed-in coach to one of its leads. Security definer: checks the caller (private.outcome_lead).';

create or replace function private.rewrite_lead_note(target_note uuid, body text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    note public.lead_notes;
    new_body text;
begin
    if target_note is null then
        raise exception 'note_id is required' using errcode = '22004';
    end if;
    select n.* into note from public.lead_notes as n where n.id = target_note for update;
    if note.id is null then
        raise exception 'note not found' using errcode = 'PT404';
    end if;
    if note.author_id is distinct from auth.uid() then
        raise exception 'permission denied: only its author can edit a note' using errcode = '42501';
    end if;
    new_body := private.check_note_body(rewrite_lead_note.body);
    if new_body is distinct from note.body then
        update public.lead_notes as n
        set body = new_body, updated_at = now()
        where n.id = note.id
        returning * into note;
    end if;
    return private.lead_note_json(note);
end;
$$;

comment on function private.rewrite_lead_note(uuid, text) is
    'Changes the text of a note, by its author only. Security definer: checks the caller (22004 no id, PT404 no such note, 42501 not its author).';

revoke all on function private.lead_note_json(public.lead_notes) from public;
revoke all on function private.check_note_body(text) from public;
revoke all on function private.write_lead_note(uuid, text) from public, anon;
revoke all on function private.rewrite_lead_note(uuid, text) from public, anon;
grant execute on function private.write_lead_note(uuid, text) to authenticated;
grant execute on function private.rewrite_lead_note(uuid, text) to authenticated;

create or replace function public.add_lead_note(lead_id uuid, body text)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.write_lead_note(add_lead_note.lead_id, add_lead_note.body);
end;

create or replace function public.edit_lead_note(note_id uuid, body text)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.rewrite_lead_note(edit_lead_note.note_id, edit_lead_note.body);
end;

comment on function public.add_lead_note(uuid, text) is
    'The signed-in coach adds a dated note (1 to 5000 characters, trimmed) to one of its leads. Returns the note {id, lead_id, author_id, body, event_id, created_at, updated_at, editable}. Errors: 22023 ''invalid field "body": …'', 22004 no lead id, 42501 not a signed-in coach or another coach''s lead (403), PT404 no such lead (404).';
comment on function public.edit_lead_note(uuid, text) is
    'The author of a note changes its text (1 to 5000 characters, trimmed); updated_at says when. Returns the note. Errors: 22023 ''invalid field "body": …'', 22004 no note id, 42501 not its author (403), PT404 no such note (404).';

revoke execute on function public.add_lead_note(uuid, text) from public, anon, service_role;
revoke execute on function public.edit_lead_note(uuid, text) from public, anon, service_role;
grant execute on function public.add_lead_note(uuid, text) to authenticated;
grant execute on function public.edit_lead_note(uuid, text) to authenticated;
