-- Messages of a lead's conversation, delivered by n8n.

create table public.messages (
    id uuid not null default gen_random_uuid(),
    lead_id uuid not null,
    coach_id uuid not null,
    text text,
    direction text not null,
    created_at timestamptz not null default now(),
    external_id text,
    message_number integer,
    is_replied boolean not null default false,
    replied_at timestamptz,
    updated_at timestamptz not null default now(),
    variant text,
    constraint messages_direction_valid check (direction in ('in', 'out')),
    constraint messages_external_id_length check (char_length(external_id) between 1 and 200),
    constraint messages_message_number_positive check (message_number is null or message_number >= 1),
    constraint messages_text_length check (char_length(text) <= 4000),
    constraint messages_variant_valid check (variant is null or (direction = 'out' and char_length(variant) between 1 and 100)),
    constraint messages_coach_id_external_id_key unique (coach_id, external_id),
    constraint messages_pkey primary key (id),
    constraint messages_lead_fkey foreign key (lead_id, coach_id) references public.leads (id, coach_id) on delete cascade
);

alter table public.messages enable row level security;

create policy messages_select_authenticated on public.messages
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

grant select, insert, update, delete, references, trigger on table public.messages to anon, authenticated;
grant all on table public.messages to service_role;

comment on table public.messages is
    'Every Instagram DM between a lead and the coach''s AI setter. Written by n8n (service_role); derived columns kept by trigger.';
comment on column public.messages.id is 'Primary key.';
comment on column public.messages.lead_id is 'The lead of the conversation (must belong to coach_id).';
comment on column public.messages.coach_id is 'The coach of the conversation.';
comment on column public.messages.text is 'Message text, up to 4000 characters.';
comment on column public.messages.direction is 'in: from the lead; out: from the setter.';
comment on column public.messages.created_at is 'When the message was sent or received (event time).';
comment on column public.messages.external_id is 'ManyChat message id; unique per coach so a redelivered message is recognised.';
comment on column public.messages.message_number is 'Position of an outbound message in the lead''s outbound sequence (1, 2, ...); null for inbound. Maintained by trigger.';
comment on column public.messages.is_replied is 'True when the lead answered this outbound message (an inbound message after it and before the next outbound). Maintained by trigger.';
comment on column public.messages.replied_at is 'Time of the lead''s first answer to this outbound message. Maintained by trigger.';
comment on column public.messages.updated_at is 'Last update, maintained by trigger.';
comment on column public.messages.variant is 'Which version of the script an outbound message is (an A/B branch name such as a ManyChat Randomizer path), up to 100 characters; null when none (shown "sans variante"). A lead''s variant is that of its DM 1 (docs/kpis.md, variants).';

create index messages_coach_id_created_at_idx on public.messages (coach_id, created_at);
create index messages_coach_id_lead_id_created_at_id_idx on public.messages (coach_id, lead_id, created_at, id) include (direction);
comment on index public.messages_coach_id_lead_id_created_at_id_idx is
    'Per-coach message windows of the KPI view (partition by lead, order by created_at, id) as index-only scans.';
create index messages_lead_id_coach_id_created_at_idx on public.messages (lead_id, coach_id, created_at);

create trigger messages_set_updated_at
    before update on public.messages
    for each row execute function private.set_updated_at();
