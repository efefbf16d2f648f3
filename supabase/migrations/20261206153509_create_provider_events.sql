-- Purpose: every webhook event Calendly or Stripe sent for a coach, kept whole and once (by the provider's event id), with the lead it was matched or attached to; unmatched ones are the coach's "à rattacher".

set lock_timeout = '500ms';

create table public.provider_events (
    id bigint generated always as identity primary key,
    coach_id uuid not null references public.coachs (id) on delete cascade,
    provider text not null,
    event_key text not null,
    event_type text not null,
    subject_ref text not null,
    occurred_at timestamptz not null,
    received_at timestamptz not null default now(),
    payload jsonb not null,
    lead_id uuid,
    matched_by text,
    attached_by uuid,
    attached_at timestamptz,
    constraint provider_events_provider_valid check (provider in ('stripe', 'calendly')),
    constraint provider_events_key_length check (char_length(event_key) between 1 and 500
        and char_length(subject_ref) between 1 and 500 and char_length(event_type) between 1 and 100),
    constraint provider_events_matched_by_valid check (
        matched_by in ('reference', 'email', 'instagram', 'customer', 'coach')),
    -- one row per provider event: a replay is recognised
    constraint provider_events_coach_id_provider_event_key_key unique (coach_id, provider, event_key),
    -- a deleted lead leaves its events unmatched again (à rattacher), never deletes them
    constraint provider_events_lead_fkey foreign key (lead_id, coach_id)
        references public.leads (id, coach_id) on delete set null (lead_id)
);

create index provider_events_coach_id_subject_ref_idx on public.provider_events (coach_id, provider, subject_ref);
create index provider_events_lead_id_coach_id_idx on public.provider_events (lead_id, coach_id);
create index provider_events_unmatched_idx on public.provider_events (coach_id, occurred_at) where lead_id is null;

alter table public.provider_events enable row level security;

-- One policy per command and role: a coach reads its own rows, an admin (app_metadata) reads all; only the webhook
-- functions and the attach RPC (security definer in private) write.
create policy provider_events_select_authenticated on public.provider_events
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

revoke insert, update, delete, truncate on table public.provider_events from anon, authenticated;

comment on table public.provider_events is
    'Every Calendly and Stripe webhook event received for a coach, verified and kept once per provider event id (a replay changes nothing), with the lead it concerns. An event whose subject (payment, booking) has no lead is "à rattacher": the coach attaches it with public.attach_provider_event.';
comment on column public.provider_events.id is 'Primary key, in arrival order.';
comment on column public.provider_events.coach_id is 'The coach whose webhook URL received it.';
comment on column public.provider_events.provider is 'stripe or calendly.';
comment on column public.provider_events.event_key is 'The provider''s event id: Stripe''s event id (evt_…); for Calendly, which sends none, its event name and the payload''s uri (invitee or no-show).';
comment on column public.provider_events.event_type is 'The provider''s event name, e.g. checkout.session.completed, charge.refunded, invitee.created, invitee_no_show.deleted.';
comment on column public.provider_events.subject_ref is 'What the event is about, shared by the events of one payment or booking: Stripe''s payment intent (else charge or session) id, Calendly''s invitee uri.';
comment on column public.provider_events.occurred_at is 'When it happened at the provider (Stripe''s created, Calendly''s created_at): events apply in this order, whatever order they arrive in.';
comment on column public.provider_events.received_at is 'When the webhook delivered it (first time).';
comment on column public.provider_events.payload is 'The event as the provider sent it (signature verified).';
comment on column public.provider_events.lead_id is 'The lead it concerns; null while unmatched (à rattacher) or after that lead was deleted.';
comment on column public.provider_events.matched_by is 'How the lead was found: reference (lead id in client_reference_id, metadata.lead_id or utm_content), email, instagram (a booking answer), customer (an earlier payment of the same Stripe customer) or coach (attached by the coach); kept when the lead is deleted (lead_id then null).';
comment on column public.provider_events.attached_by is 'The coach who attached it to a lead, when matched_by is coach.';
comment on column public.provider_events.attached_at is 'When the coach attached it.';
