-- DM 1 to 4 of each lead and the call milestones (kept by triggers).

create table public.message_sequences (
    id uuid not null default gen_random_uuid(),
    coach_id uuid not null,
    lead_id uuid not null,
    msg1_sent_at timestamptz,
    msg1_replied boolean not null default false,
    msg1_replied_at timestamptz,
    msg2_sent_at timestamptz,
    msg2_replied boolean not null default false,
    msg2_replied_at timestamptz,
    msg3_sent_at timestamptz,
    msg3_replied boolean not null default false,
    msg3_replied_at timestamptz,
    msg4_sent_at timestamptz,
    msg4_replied boolean not null default false,
    msg4_replied_at timestamptz,
    call_proposed_at timestamptz,
    call_booked_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint message_sequences_replied_after_sent check (
        (not msg1_replied or msg1_sent_at is not null)
        and (not msg2_replied or msg2_sent_at is not null)
        and (not msg3_replied or msg3_sent_at is not null)
        and (not msg4_replied or msg4_sent_at is not null)
    ),
    constraint message_sequences_lead_id_key unique (lead_id),
    constraint message_sequences_pkey primary key (id),
    constraint message_sequences_lead_fkey foreign key (lead_id, coach_id) references public.leads (id, coach_id) on delete cascade
);

alter table public.message_sequences enable row level security;

create policy message_sequences_select_authenticated on public.message_sequences
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

grant select, insert, update, delete, references, trigger on table public.message_sequences to anon, authenticated;
grant all on table public.message_sequences to service_role;

comment on table public.message_sequences is
    'Per lead: when outbound DMs 1 to 4 were sent and whether each got a reply, plus call milestones. Derived by trigger from messages and lead_status_events.';
comment on column public.message_sequences.id is 'Primary key.';
comment on column public.message_sequences.coach_id is 'The lead''s coach.';
comment on column public.message_sequences.lead_id is 'The lead (one sequence per lead).';
comment on column public.message_sequences.msg1_sent_at is 'When outbound DM 1 was sent.';
comment on column public.message_sequences.msg1_replied is 'Whether the lead answered DM 1 before DM 2.';
comment on column public.message_sequences.msg1_replied_at is 'When the lead answered DM 1.';
comment on column public.message_sequences.msg2_sent_at is 'When outbound DM 2 was sent.';
comment on column public.message_sequences.msg2_replied is 'Whether the lead answered DM 2 before DM 3.';
comment on column public.message_sequences.msg2_replied_at is 'When the lead answered DM 2.';
comment on column public.message_sequences.msg3_sent_at is 'When outbound DM 3 was sent.';
comment on column public.message_sequences.msg3_replied is 'Whether the lead answered DM 3 before DM 4.';
comment on column public.message_sequences.msg3_replied_at is 'When the lead answered DM 3.';
comment on column public.message_sequences.msg4_sent_at is 'When outbound DM 4 was sent.';
comment on column public.message_sequences.msg4_replied is 'Whether the lead answered DM 4 before DM 5.';
comment on column public.message_sequences.msg4_replied_at is 'When the lead answered DM 4.';
comment on column public.message_sequences.call_proposed_at is 'First time the lead reached call_proposed or a later stage.';
comment on column public.message_sequences.call_booked_at is 'First time the lead reached call_booked or a later stage.';
comment on column public.message_sequences.created_at is 'When the row was created.';
comment on column public.message_sequences.updated_at is 'Last update, maintained by trigger.';

create index message_sequences_coach_id_idx on public.message_sequences (coach_id);
create index message_sequences_lead_id_coach_id_idx on public.message_sequences (lead_id, coach_id);

create trigger message_sequences_set_updated_at
    before update on public.message_sequences
    for each row execute function private.set_updated_at();
