-- Purpose: the entries of a lead's history that an outcome of the coach or Stripe took precedence over: kept whole (the mistake and the fix both stay), out of the history the KPIs read.

set lock_timeout = '500ms';

-- lead_status_events is the effective history, the one every KPI reads. When the coach or Stripe records an outcome
-- (won, lost, back to follow-up), a contradicting entry is moved here, never deleted: a status n8n or Calendly
-- sends after that outcome, an earlier won or lost the coach replaces (docs/kpis.md, "Outcomes: who wins").
create table public.lead_events_set_aside (
    id bigint generated always as identity primary key,
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
    constraint lead_events_set_aside_lead_fkey foreign key (lead_id, coach_id)
        references public.leads (id, coach_id) on delete cascade,
    constraint lead_events_set_aside_reason_valid check (reason in ('after_outcome', 'replaced_by_outcome')),
    constraint lead_events_set_aside_source_valid check (source in ('n8n', 'coach', 'calendly', 'stripe'))
);

create index lead_events_set_aside_lead_id_coach_id_idx on public.lead_events_set_aside (lead_id, coach_id);
create index lead_events_set_aside_coach_id_idx on public.lead_events_set_aside (coach_id);

alter table public.lead_events_set_aside enable row level security;

-- One policy per command and role: a coach reads its own rows, an admin (app_metadata) reads all; only the outcome
-- functions (security definer) write.
create policy lead_events_set_aside_select_authenticated on public.lead_events_set_aside
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

revoke insert, update, delete, truncate on table public.lead_events_set_aside from anon, authenticated;

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
