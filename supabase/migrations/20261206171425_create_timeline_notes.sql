-- Purpose: private.timeline_notes, the dated notes a coach puts on its trend (issue 22), read and written only through RPCs.

set lock_timeout = '500ms';

create table private.timeline_notes (
    id uuid not null default gen_random_uuid(),
    coach_id uuid not null,
    day date not null,
    note text not null,
    created_at timestamptz not null default now(),
    constraint timeline_notes_note_length check (char_length(note) between 1 and 200),
    constraint timeline_notes_pkey primary key (id),
    constraint timeline_notes_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

alter table private.timeline_notes enable row level security;

comment on table private.timeline_notes is
    'Dated notes a coach puts on its own timeline (a new opener, an ad, holidays): markers on the trend chart and the before/after of its headline KPIs (public.get_timeline_notes). Not the notes on a lead. Written and read only through the timeline note RPCs.';
comment on column private.timeline_notes.id is 'Primary key.';
comment on column private.timeline_notes.coach_id is 'The coach whose timeline it is.';
comment on column private.timeline_notes.day is 'The local day the note is about (the coach''s time zone), at most its today.';
comment on column private.timeline_notes.note is 'The note, 1 to 200 characters, trimmed.';
comment on column private.timeline_notes.created_at is 'When it was written.';

create index timeline_notes_coach_id_day_idx on private.timeline_notes (coach_id, day);
