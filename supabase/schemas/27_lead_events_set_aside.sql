-- The entries of a lead's history an outcome of the coach or Stripe took precedence over (kept whole, not counted).

create table public.lead_events_set_aside (
    id bigint not null,
    lead_id uuid not null,
    coach_id uuid not null,
    event_id bigint,
    from_status text,
    to_status text not null,
    changed_at timestamptz not null,
    recorded_at timestamptz not null,
    source text not null,
    author_id uuid,
    kind text not null,
    details jsonb,
    set_aside_at timestamptz not null default now(),
    reason text not null,
    set_aside_by bigint,
    constraint lead_events_set_aside_reason_valid check (reason in ('after_outcome', 'replaced_by_outcome')),
    constraint lead_events_set_aside_source_valid check (source in ('n8n', 'coach', 'calendly', 'stripe')),
    constraint lead_events_set_aside_pkey primary key (id),
    constraint lead_events_set_aside_lead_fkey foreign key (lead_id, coach_id) references public.leads (id, coach_id) on delete cascade
);

alter table public.lead_events_set_aside alter column id add generated always as identity (
    sequence name public.lead_events_set_aside_id_seq
    start with 1
    increment by 1
    no minvalue
    no maxvalue
    cache 1
);

alter table public.lead_events_set_aside enable row level security;

create policy lead_events_set_aside_select_authenticated on public.lead_events_set_aside
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

revoke insert, update, delete on table public.lead_events_set_aside from anon, authenticated;
grant select, references, trigger on table public.lead_events_set_aside to anon, authenticated;
grant all on table public.lead_events_set_aside to service_role;

comment on table public.lead_events_set_aside is
    'Entries of a lead''s history set aside because an outcome of the coach or Stripe took precedence (docs/kpis.md, "Outcomes: who wins"): kept whole and shown on the lead page, not counted by any KPI.';
comment on column public.lead_events_set_aside.id is 'Primary key, in the order entries were set aside.';
comment on column public.lead_events_set_aside.lead_id is 'The lead.';
comment on column public.lead_events_set_aside.coach_id is 'The lead''s coach (checked by the composite foreign key).';
comment on column public.lead_events_set_aside.event_id is 'Its id in lead_status_events when it had entered the history; null for an entry set aside on arrival.';
comment on column public.lead_events_set_aside.from_status is 'As in lead_status_events.';
comment on column public.lead_events_set_aside.to_status is 'As in lead_status_events.';
comment on column public.lead_events_set_aside.changed_at is 'When it happened (as in lead_status_events).';
comment on column public.lead_events_set_aside.recorded_at is 'When it was first recorded.';
comment on column public.lead_events_set_aside.source is 'n8n, coach, calendly or stripe.';
comment on column public.lead_events_set_aside.author_id is 'The user who made it, for the coach''s entries.';
comment on column public.lead_events_set_aside.kind is 'As in lead_status_events.';
comment on column public.lead_events_set_aside.details is 'As in lead_status_events.';
comment on column public.lead_events_set_aside.set_aside_at is 'When it was set aside.';
comment on column public.lead_events_set_aside.reason is 'after_outcome: a status of n8n or Calendly dated after a won or lost of the coach or Stripe; replaced_by_outcome: a won or lost that a later outcome of the coach (or a Stripe payment) replaced.';
comment on column public.lead_events_set_aside.set_aside_by is 'The lead_status_events id of the outcome that took precedence.';

create index lead_events_set_aside_coach_id_idx on public.lead_events_set_aside (coach_id);
create index lead_events_set_aside_lead_id_coach_id_idx on public.lead_events_set_aside (lead_id, coach_id);
