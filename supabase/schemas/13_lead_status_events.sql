-- The status history of leads (written by trigger).

create table public.lead_status_events (
    id bigint not null,
    lead_id uuid not null,
    coach_id uuid not null,
    from_status text,
    to_status text not null,
    changed_at timestamptz not null default now(),
    recorded_at timestamptz not null default now(),
    source text not null default 'n8n',
    author_id uuid,
    kind text not null default 'status',
    details jsonb,
    constraint lead_status_events_details_object check (details is null or jsonb_typeof(details) = 'object'),
    constraint lead_status_events_from_status_valid check (
        from_status is null
        or from_status in ('new', 'engaged', 'qualified', 'call_proposed', 'call_booked', 'won', 'lost', 'relance')
    ),
    constraint lead_status_events_kind_valid check (
        kind in ('status', 'call_showed', 'call_no_show', 'call_no_show_undone', 'call_scheduled', 'followed_up', 'payment', 'refund')
    ),
    constraint lead_status_events_source_valid check (source in ('n8n', 'coach', 'calendly', 'stripe')),
    constraint lead_status_events_to_status_valid check (to_status in ('new', 'engaged', 'qualified', 'call_proposed', 'call_booked', 'won', 'lost', 'relance')),
    constraint lead_status_events_pkey primary key (id),
    constraint lead_status_events_lead_fkey foreign key (lead_id, coach_id) references public.leads (id, coach_id) on delete cascade
);

alter table public.lead_status_events alter column id add generated always as identity (
    sequence name public.lead_status_events_id_seq
    start with 1
    increment by 1
    no minvalue
    no maxvalue
    cache 1
);

alter table public.lead_status_events enable row level security;

create policy lead_status_events_select_authenticated on public.lead_status_events
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

grant select, insert, update, delete, references, trigger on table public.lead_status_events to anon, authenticated;
grant all on table public.lead_status_events to service_role;

comment on table public.lead_status_events is
    'Append-only history of lead status changes, written by trigger on leads. Funnel KPIs count stages ever reached from it.';
comment on column public.lead_status_events.id is 'Primary key, in insertion order.';
comment on column public.lead_status_events.lead_id is 'The lead whose status changed.';
comment on column public.lead_status_events.coach_id is 'The lead''s coach (checked by the composite foreign key).';
comment on column public.lead_status_events.from_status is 'Status before the change; null for the lead''s first event.';
comment on column public.lead_status_events.to_status is 'Status after the change.';
comment on column public.lead_status_events.changed_at is 'When the change happened (the event time given by the writer, else the time it was recorded).';
comment on column public.lead_status_events.recorded_at is 'When the row was written.';
comment on column public.lead_status_events.source is 'Where the entry came from: n8n (the setter''s workflow), coach (the dashboard), calendly or stripe (their webhooks).';
comment on column public.lead_status_events.author_id is 'The signed-in user who made the entry (the coach); null for n8n and the webhooks.';
comment on column public.lead_status_events.kind is 'status: a status (from_status -> to_status; the coach''s or Stripe''s won, lost or back to follow-up may repeat the current status, to record their outcome). Otherwise something recorded without a status change, from_status = to_status = the status in effect then: call_showed, call_no_show, call_no_show_undone (Calendly), call_scheduled (a booking of a lead already past call_booked), followed_up (the coach contacted the lead), payment, refund (Stripe).';
comment on column public.lead_status_events.details is 'What was recorded with the entry, e.g. {"deal_value": 1200, "payment_plan": "instalments"}, {"lost_reason": "price"}, {"amount_minor": 40000, "currency": "EUR"}; null for a plain status change.';

create index lead_status_events_coach_id_changed_at_idx on public.lead_status_events (coach_id, changed_at);
create index lead_status_events_lead_id_coach_id_idx on public.lead_status_events (lead_id, coach_id);
