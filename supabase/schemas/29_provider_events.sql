-- Calendly and Stripe webhooks: their events, the payments they report, each coach's signing secrets.

create table public.provider_events (
    id bigint not null,
    coach_id uuid not null,
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
    constraint provider_events_key_length check (char_length(event_key) between 1 and 500 and char_length(subject_ref) between 1 and 500 and char_length(event_type) between 1 and 100),
    constraint provider_events_matched_by_valid check (matched_by in ('reference', 'email', 'instagram', 'customer', 'coach')),
    constraint provider_events_provider_valid check (provider in ('stripe', 'calendly')),
    constraint provider_events_coach_id_provider_event_key_key unique (coach_id, provider, event_key),
    constraint provider_events_pkey primary key (id),
    constraint provider_events_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade,
    constraint provider_events_lead_fkey foreign key (lead_id, coach_id) references public.leads (id, coach_id) on delete set null (lead_id)
);

alter table public.provider_events alter column id add generated always as identity (
    sequence name public.provider_events_id_seq
    start with 1
    increment by 1
    no minvalue
    no maxvalue
    cache 1
);

alter table public.provider_events enable row level security;

create policy provider_events_select_authenticated on public.provider_events
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

revoke insert, update, delete on table public.provider_events from anon, authenticated;
grant select, references, trigger on table public.provider_events to anon, authenticated;
grant all on table public.provider_events to service_role;

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

create index provider_events_coach_id_subject_ref_idx on public.provider_events (coach_id, provider, subject_ref);
create index provider_events_lead_id_coach_id_idx on public.provider_events (lead_id, coach_id);
create index provider_events_unmatched_idx on public.provider_events (coach_id, occurred_at) where (lead_id is null);

create table public.lead_payments (
    id bigint not null,
    coach_id uuid not null,
    provider text not null,
    payment_ref text not null,
    lead_id uuid,
    amount_minor bigint not null,
    refunded_minor bigint not null default 0,
    currency text not null,
    paid_at timestamptz not null,
    refunded_at timestamptz,
    customer_ref text,
    email text,
    updated_at timestamptz not null default now(),
    constraint lead_payments_amounts_valid check (amount_minor >= 0 and refunded_minor between 0 and amount_minor),
    constraint lead_payments_currency_valid check (currency ~ '^[A-Z]{3}$'),
    constraint lead_payments_provider_valid check (provider = 'stripe'),
    constraint lead_payments_ref_length check (char_length(payment_ref) between 1 and 500),
    constraint lead_payments_coach_id_provider_payment_ref_key unique (coach_id, provider, payment_ref),
    constraint lead_payments_pkey primary key (id),
    constraint lead_payments_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade,
    constraint lead_payments_lead_fkey foreign key (lead_id, coach_id) references public.leads (id, coach_id) on delete set null (lead_id)
);

alter table public.lead_payments alter column id add generated always as identity (
    sequence name public.lead_payments_id_seq
    start with 1
    increment by 1
    no minvalue
    no maxvalue
    cache 1
);

alter table public.lead_payments enable row level security;

create policy lead_payments_select_authenticated on public.lead_payments
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

revoke insert, update, delete on table public.lead_payments from anon, authenticated;
grant select, references, trigger on table public.lead_payments to anon, authenticated;
grant all on table public.lead_payments to service_role;

comment on table public.lead_payments is
    'Payments Stripe reported (checkout.session.completed, payment_intent.succeeded, charge.refunded), one row per payment with its refunds, recomputed from public.provider_events whenever one of its events arrives. A lead''s revenue is the sum of its payments less refunds (in the coach''s currency).';
comment on column public.lead_payments.id is 'Primary key.';
comment on column public.lead_payments.coach_id is 'The coach whose Stripe account was paid.';
comment on column public.lead_payments.provider is 'stripe.';
comment on column public.lead_payments.payment_ref is 'Stripe''s payment intent id (pi_…), else the charge or checkout session id: the subject_ref of its events.';
comment on column public.lead_payments.lead_id is 'The lead who paid; null while unmatched (à rattacher).';
comment on column public.lead_payments.amount_minor is 'Amount paid in the currency''s smallest unit, as Stripe sends it (cents for EUR: 120000 = 1 200,00 €).';
comment on column public.lead_payments.refunded_minor is 'Amount refunded so far, smallest unit (charge.amount_refunded, cumulative).';
comment on column public.lead_payments.currency is 'ISO 4217 code, upper case.';
comment on column public.lead_payments.paid_at is 'When it was paid (the earliest of its events).';
comment on column public.lead_payments.refunded_at is 'When the latest refund happened (its charge.refunded event); null without refund.';
comment on column public.lead_payments.customer_ref is 'Stripe customer id (cus_…), when known: a later instalment of the same customer finds the lead.';
comment on column public.lead_payments.email is 'The payer''s email, when Stripe gave one.';
comment on column public.lead_payments.updated_at is 'When it was last recomputed.';

create index lead_payments_coach_id_customer_ref_idx on public.lead_payments (coach_id, customer_ref);
create index lead_payments_lead_id_coach_id_idx on public.lead_payments (lead_id, coach_id);

create table private.coach_webhook_secrets (
    coach_id uuid not null,
    stripe_webhook_secret text,
    calendly_signing_key text,
    updated_at timestamptz not null default now(),
    constraint coach_webhook_secrets_lengths check (char_length(stripe_webhook_secret) between 8 and 500 and char_length(calendly_signing_key) between 8 and 500),
    constraint coach_webhook_secrets_pkey primary key (coach_id),
    constraint coach_webhook_secrets_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

comment on table private.coach_webhook_secrets is
    'Webhook signing secrets of each coach (update_coach_settings keys stripe_webhook_secret and calendly_signing_key): write-only for the coach (get_coach_settings only says whether each is set), read by the webhook functions to verify signatures. No API grant.';
comment on column private.coach_webhook_secrets.coach_id is 'The coach.';
comment on column private.coach_webhook_secrets.stripe_webhook_secret is 'The signing secret (whsec_…) of the coach''s Stripe webhook endpoint; null when not set.';
comment on column private.coach_webhook_secrets.calendly_signing_key is 'The signing key of the coach''s Calendly webhook subscription; null when not set.';
comment on column private.coach_webhook_secrets.updated_at is 'When a secret was last changed.';
