-- Purpose: the messages table (every DM in or out), created or upgraded in place from the legacy schema.

create table if not exists public.messages (
    id uuid primary key default gen_random_uuid(),
    lead_id uuid not null,
    coach_id uuid not null,
    text text,
    direction text not null,
    created_at timestamptz not null default now()
);

alter table public.messages
    add column if not exists external_id text,
    add column if not exists message_number integer,
    add column if not exists is_replied boolean not null default false,
    add column if not exists replied_at timestamptz,
    add column if not exists updated_at timestamptz not null default now();

-- Legacy rows: a message belongs to its lead's coach, and directions use the two canonical values.
update public.messages as m
set coach_id = l.coach_id
from public.leads as l
where l.id = m.lead_id and m.coach_id is distinct from l.coach_id;

update public.messages
set direction = case
        when lower(btrim(direction)) in ('in', 'inbound', 'incoming', 'received', 'user', 'lead') then 'in'
        when lower(btrim(direction)) in ('out', 'outbound', 'outgoing', 'sent', 'bot', 'ai', 'setter') then 'out'
        else direction
    end
where direction not in ('in', 'out');

-- What the new constraints reject is kept in private.legacy_values: overlong texts are cut, messages without a
-- known lead or direction leave the table whole.
select private.quarantine_legacy_values('public.messages', 'text', 'char_length(t.text) > 4000', 'left(t.text, 4000)');
select private.quarantine_legacy_rows('public.messages',
    't.direction is null or t.direction not in (''in'', ''out'') or not exists (select 1 from public.leads as l where l.id = t.lead_id)');

alter table public.messages
    alter column lead_id set not null,
    alter column coach_id set not null,
    alter column direction set not null;

alter table public.messages
    add constraint messages_direction_valid check (direction in ('in', 'out')),
    add constraint messages_text_length check (char_length(text) <= 4000),
    add constraint messages_external_id_length check (char_length(external_id) between 1 and 200),
    add constraint messages_message_number_positive check (message_number is null or message_number >= 1),
    -- A message can only reference a lead of the same coach.
    add constraint messages_lead_fkey foreign key (lead_id, coach_id)
        references public.leads (id, coach_id) on delete cascade,
    -- Idempotent delivery from n8n: one row per ManyChat message id and coach.
    add constraint messages_coach_id_external_id_key unique (coach_id, external_id);

create index if not exists messages_lead_id_coach_id_created_at_idx on public.messages (lead_id, coach_id, created_at);
create index if not exists messages_coach_id_created_at_idx on public.messages (coach_id, created_at);

create trigger messages_set_updated_at
    before update on public.messages
    for each row execute function private.set_updated_at();

alter table public.messages enable row level security;

-- One policy per command and role: a coach reads its own rows, an admin (app_metadata) reads all.
create policy messages_select_authenticated on public.messages
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

comment on table public.messages is
    'Every Instagram DM between a lead and the coach''s AI setter. Written by n8n (service_role); derived columns kept by trigger.';
comment on column public.messages.id is 'Primary key.';
comment on column public.messages.lead_id is 'The lead of the conversation (must belong to coach_id).';
comment on column public.messages.coach_id is 'The coach of the conversation.';
comment on column public.messages.external_id is 'ManyChat message id; unique per coach so a redelivered message is recognised.';
comment on column public.messages.text is 'Message text, up to 4000 characters.';
comment on column public.messages.direction is 'in: from the lead; out: from the setter.';
comment on column public.messages.message_number is 'Position of an outbound message in the lead''s outbound sequence (1, 2, ...); null for inbound. Maintained by trigger.';
comment on column public.messages.is_replied is 'True when the lead answered this outbound message (an inbound message after it and before the next outbound). Maintained by trigger.';
comment on column public.messages.replied_at is 'Time of the lead''s first answer to this outbound message. Maintained by trigger.';
comment on column public.messages.created_at is 'When the message was sent or received (event time).';
comment on column public.messages.updated_at is 'Last update, maintained by trigger.';
