-- Purpose: the payments Stripe reported for a coach's leads, one row per payment (its refunds included), derived from the provider events so that any delivery order gives the same rows.

set lock_timeout = '500ms';

create table public.lead_payments (
    id bigint generated always as identity primary key,
    coach_id uuid not null references public.coachs (id) on delete cascade,
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
    constraint lead_payments_provider_valid check (provider = 'stripe'),
    constraint lead_payments_amounts_valid check (amount_minor >= 0 and refunded_minor between 0 and amount_minor),
    constraint lead_payments_currency_valid check (currency ~ '^[A-Z]{3}$'),
    constraint lead_payments_ref_length check (char_length(payment_ref) between 1 and 500),
    constraint lead_payments_coach_id_provider_payment_ref_key unique (coach_id, provider, payment_ref),
    constraint lead_payments_lead_fkey foreign key (lead_id, coach_id)
        references public.leads (id, coach_id) on delete set null (lead_id)
);

create index lead_payments_lead_id_coach_id_idx on public.lead_payments (lead_id, coach_id);
create index lead_payments_coach_id_customer_ref_idx on public.lead_payments (coach_id, customer_ref);

alter table public.lead_payments enable row level security;

-- One policy per command and role: a coach reads its own rows, an admin (app_metadata) reads all; only the Stripe
-- functions (security definer in private) write.
create policy lead_payments_select_authenticated on public.lead_payments
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

revoke insert, update, delete, truncate on table public.lead_payments from anon, authenticated;

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
