-- Purpose: Stripe's verified webhook events (checkout.session.completed, payment_intent.succeeded, charge.refunded) become payments and revenue: kept once per event id, one payment per payment intent whatever order its events arrive in, the first payment makes the lead won.

set lock_timeout = '500ms';

-- The history entries a lead's payments call for: one payment entry per payment at its time, one refund entry per
-- refunded payment at its latest refund.
create or replace function private.stripe_payment_entries(target_lead uuid)
returns table (kind text, at timestamptz, details jsonb)
language sql
stable
security invoker
set search_path = ''
as $$
    select x.kind, x.at, x.details
    from public.lead_payments as p
    cross join lateral (values
        ('payment', p.paid_at, jsonb_build_object('payment_ref', p.payment_ref, 'amount_minor', p.amount_minor,
            'currency', p.currency)),
        ('refund', p.refunded_at, case when p.refunded_minor > 0 then jsonb_build_object('payment_ref', p.payment_ref,
            'refunded_minor', p.refunded_minor, 'currency', p.currency) end)
    ) as x (kind, at, details)
    where p.lead_id = target_lead and x.details is not null;
$$;

comment on function private.stripe_payment_entries(uuid) is
    'The payment and refund entries a lead''s Stripe payments call for in its history: (kind, time, details {payment_ref, amount_minor | refunded_minor, currency}).';

revoke all on function private.stripe_payment_entries(uuid) from public;

-- A lead's revenue from Stripe: its payments in the coach's currency less refunds (deal_value, source stripe); the
-- first payment is a won decision at the time it was paid; each payment and refund an entry of the history. Run
-- after any change to the lead's payments: the result depends only on the payments, not on the order of events.
create or replace function private.settle_lead_payments(target_lead uuid)
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    lead public.leads;
    currency_code text;
    first_paid record;
    net numeric;
begin
    select l.* into lead from public.leads as l where l.id = target_lead for no key update;
    if lead.id is null then
        return;
    end if;
    select s.currency into currency_code from public.coach_settings as s where s.coach_id = lead.coach_id;
    select p.payment_ref, p.amount_minor, p.currency, p.paid_at into first_paid
    from public.lead_payments as p
    where p.lead_id = lead.id
    order by p.paid_at, p.id
    limit 1;
    if first_paid.payment_ref is null then
        -- no payment (any more: one was attached to another lead): Stripe's value goes
        update public.leads as l
        set deal_value = null, deal_value_source = null, outcome_recorded_at = clock_timestamp()
        where l.id = lead.id and l.deal_value_source = 'stripe';
        delete from public.lead_status_events as e
        where e.lead_id = lead.id and e.source = 'stripe' and e.kind in ('payment', 'refund');
        return;
    end if;
    perform private.place_lead_status_event(lead.id, 'won', first_paid.paid_at, 'stripe', null,
        jsonb_build_object('payment_ref', first_paid.payment_ref, 'amount_minor', first_paid.amount_minor,
            'currency', first_paid.currency));
    -- A won of Stripe placed for a payment that turned out not to be the first (its events arrived first) is
    -- redundant: the lead is won from the first payment on. It goes, unless another source's status lies between.
    with stale as (
        delete from public.lead_status_events as e
        where e.lead_id = lead.id and e.kind = 'status' and e.source = 'stripe' and e.to_status = 'won'
            and e.changed_at > first_paid.paid_at
            and not exists (
                select 1 from public.lead_status_events as o
                where o.lead_id = lead.id and o.kind = 'status' and o.source <> 'stripe'
                    and o.changed_at > first_paid.paid_at and o.changed_at < e.changed_at)
        returning e.changed_at
    )
    update public.leads as l
    set status_changed_at = first_paid.paid_at
    where l.id = lead.id and l.status = 'won' and l.status_changed_at in (select s.changed_at from stale as s);
    -- One entry per payment and per refunded amount, at their times: entries of a payment whose time or amount
    -- changed since (its events arrived out of order) are replaced.
    delete from public.lead_status_events as e
    where e.lead_id = lead.id and e.source = 'stripe' and e.kind in ('payment', 'refund')
        and not exists (
            select 1 from private.stripe_payment_entries(lead.id) as x
            where x.kind = e.kind and x.at = e.changed_at and x.details = e.details);
    insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at, source, kind, details)
    select lead.id, lead.coach_id, 'won', 'won', x.at, 'stripe', x.kind, x.details
    from private.stripe_payment_entries(lead.id) as x
    where not exists (
        select 1 from public.lead_status_events as e
        where e.lead_id = lead.id and e.source = 'stripe' and e.kind = x.kind and e.changed_at = x.at
            and e.details = x.details);
    perform private.normalize_lead_history(lead.id);
    select sum(p.amount_minor - p.refunded_minor)::numeric / private.currency_minor_units(currency_code) into net
    from public.lead_payments as p
    where p.lead_id = lead.id and p.currency = currency_code;
    if net is not null then
        update public.leads as l
        set deal_value = round(net, 2), deal_value_source = 'stripe', outcome_recorded_at = clock_timestamp()
        where l.id = lead.id
            and (l.deal_value, l.deal_value_source) is distinct from (round(net, 2), 'stripe');
    end if;
end;
$$;

comment on function private.settle_lead_payments(uuid) is
    'Makes a lead agree with its Stripe payments: deal_value = payments less refunds in the coach''s currency (deal_value_source stripe; payments in another currency are kept, not converted), a won decision of Stripe at the first payment''s time, an entry payment per payment and refund per refunded amount; without payments a Stripe value is cleared. Depends only on the payments.';

-- One payment from all the events of its payment intent (subject_ref): amount, refunds, currency, time, customer,
-- email and lead, whatever order they arrived in. Settles the leads it left and joined.
create or replace function private.settle_stripe_payment(coach uuid, subject text)
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    previous_lead uuid;
    payment record;
begin
    select p.lead_id into previous_lead
    from public.lead_payments as p
    where p.coach_id = coach and p.provider = 'stripe' and p.payment_ref = subject;
    select
        max(greatest(
            case when v.event_type = 'checkout.session.completed' and o.value ->> 'payment_status' = 'paid'
                then (o.value ->> 'amount_total')::bigint end,
            case when v.event_type = 'payment_intent.succeeded' then (o.value ->> 'amount_received')::bigint end,
            case when v.event_type = 'charge.refunded' then (o.value ->> 'amount')::bigint end)) as amount,
        coalesce(max((o.value ->> 'amount_refunded')::bigint) filter (where v.event_type = 'charge.refunded'), 0) as refunded,
        upper(min(o.value ->> 'currency')) as currency,
        coalesce(min(v.occurred_at) filter (where v.event_type <> 'charge.refunded'),
            min(to_timestamp((o.value ->> 'created')::bigint))) as paid_at,
        max(v.occurred_at) filter (where v.event_type = 'charge.refunded'
            and (o.value ->> 'amount_refunded')::bigint > 0) as refunded_at,
        max(o.value ->> 'customer') as customer,
        max(coalesce(o.value -> 'customer_details' ->> 'email', o.value ->> 'customer_email',
            o.value -> 'billing_details' ->> 'email', o.value ->> 'receipt_email')) as email,
        (array_agg(v.lead_id order by v.matched_by = 'coach' desc, v.matched_by = 'reference' desc, v.occurred_at, v.id)
            filter (where v.lead_id is not null))[1] as lead_id
    into payment
    from public.provider_events as v
    cross join lateral (select v.payload -> 'data' -> 'object' as value) as o
    where v.coach_id = coach and v.provider = 'stripe' and v.subject_ref = subject;
    if payment.amount is null then
        return; -- an unpaid checkout session only: nothing was paid
    end if;
    insert into public.lead_payments as p (coach_id, provider, payment_ref, lead_id, amount_minor, refunded_minor,
        currency, paid_at, refunded_at, customer_ref, email)
    values (coach, 'stripe', subject, payment.lead_id, payment.amount, least(payment.refunded, payment.amount),
        payment.currency, payment.paid_at, payment.refunded_at, payment.customer, payment.email)
    on conflict (coach_id, provider, payment_ref) do update
    set lead_id = excluded.lead_id, amount_minor = excluded.amount_minor, refunded_minor = excluded.refunded_minor,
        currency = excluded.currency, paid_at = excluded.paid_at, refunded_at = excluded.refunded_at,
        customer_ref = excluded.customer_ref, email = excluded.email, updated_at = now()
    where (p.lead_id, p.amount_minor, p.refunded_minor, p.currency, p.paid_at, p.refunded_at, p.customer_ref, p.email)
        is distinct from (excluded.lead_id, excluded.amount_minor, excluded.refunded_minor, excluded.currency,
            excluded.paid_at, excluded.refunded_at, excluded.customer_ref, excluded.email);
    if previous_lead is distinct from payment.lead_id and previous_lead is not null then
        perform private.settle_lead_payments(previous_lead);
    end if;
    if payment.lead_id is not null then
        perform private.settle_lead_payments(payment.lead_id);
    end if;
end;
$$;

comment on function private.settle_stripe_payment(uuid, text) is
    'Recomputes one payment (public.lead_payments) from every Stripe event of its payment intent: amount (the largest of amount_total of a paid session, amount_received, the charge''s amount), refunds (the largest amount_refunded), currency, paid_at (earliest event), customer, email, lead (attached by the coach, else by reference, else the first match); then settles its lead (and the lead it left).';

-- What one Stripe event says: its subject (payment intent), the lead references and emails it carries.
create or replace function private.stripe_event_fields(event jsonb)
returns table (subject text, refs text[], emails text[], customer text)
language sql
immutable
security invoker
set search_path = ''
as $$
    select
        coalesce(o ->> 'payment_intent', case when event ->> 'type' = 'payment_intent.succeeded' then o ->> 'id' end, o ->> 'id'),
        array_remove(array[o ->> 'client_reference_id', o -> 'metadata' ->> 'lead_id'], null),
        array_remove(array[o -> 'customer_details' ->> 'email', o ->> 'customer_email',
            o -> 'billing_details' ->> 'email', o ->> 'receipt_email'], null),
        o ->> 'customer'
    from (select event -> 'data' -> 'object' as o) as x;
$$;

comment on function private.stripe_event_fields(jsonb) is
    'The fields of a Stripe event that matter here: subject (the payment intent id, else the object''s id), lead references (client_reference_id, metadata.lead_id), emails (customer_details.email, customer_email, billing_details.email, receipt_email) and the customer id.';

-- The entry point of the stripe-webhook function (its signature already verified with Stripe's SDK).
create or replace function private.receive_stripe_event(coach uuid, event jsonb)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    fields record;
    match record;
    new_id bigint;
begin
    if not exists (select 1 from public.coachs as c where c.id = coach) then
        raise exception 'coach not found' using errcode = 'PT404';
    end if;
    if jsonb_typeof(event) is distinct from 'object' or jsonb_typeof(event -> 'data' -> 'object') is distinct from 'object'
        or event ->> 'id' is null or jsonb_typeof(event -> 'created') is distinct from 'number' then
        raise exception using errcode = '22023', message = 'invalid field "event": not a Stripe event (id, type, created, data.object)';
    end if;
    if event ->> 'type' not in ('checkout.session.completed', 'payment_intent.succeeded', 'charge.refunded') then
        return jsonb_build_object('status', 'ignored', 'type', event ->> 'type');
    end if;
    select * into fields from private.stripe_event_fields(event);
    select * into match from private.provider_match(coach, fields.refs, fields.emails, '{}', fields.customer);
    insert into public.provider_events (coach_id, provider, event_key, event_type, subject_ref, occurred_at, payload,
        lead_id, matched_by)
    values (coach, 'stripe', event ->> 'id', event ->> 'type', fields.subject,
        to_timestamp((event ->> 'created')::bigint), event, match.lead_id, match.matched_by)
    on conflict (coach_id, provider, event_key) do nothing
    returning id into new_id;
    if new_id is null then
        return jsonb_build_object('status', 'duplicate', 'event_key', event ->> 'id');
    end if;
    perform private.settle_stripe_payment(coach, fields.subject);
    return jsonb_build_object('status', 'recorded', 'event_id', new_id, 'lead_id', match.lead_id,
        'matched_by', match.matched_by);
end;
$$;

comment on function private.receive_stripe_event(uuid, jsonb) is
    'Records a verified Stripe event for a coach (the stripe-webhook function calls it after checking the signature): checkout.session.completed, payment_intent.succeeded and charge.refunded are kept once per event id (a replay answers duplicate and writes nothing), matched to a lead (client_reference_id or metadata.lead_id, then the customer''s email, then the customer of an earlier payment) or kept unmatched, and their payment recomputed. Other types answer ignored. Returns {status: recorded|duplicate|ignored, event_id, lead_id, matched_by}. Errors: PT404 unknown coach, 22023 not a Stripe event.';

revoke all on function private.settle_lead_payments(uuid) from public;
revoke all on function private.settle_stripe_payment(uuid, text) from public;
revoke all on function private.stripe_event_fields(jsonb) from public;
revoke all on function private.receive_stripe_event(uuid, jsonb) from public, anon, authenticated;
