-- Purpose: the instalments of a Stripe customer end with the customer's lead whatever order their events arrive in: when a payment finds its lead, the customer's unmatched payments get it too.

set lock_timeout = '500ms';

create or replace function private.match_customer_payments(coach uuid, customer text)
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    lead uuid;
    subject text;
begin
    if customer is null then
        return;
    end if;
    select m.lead_id into lead from private.provider_match(coach, '{}', '{}', '{}', customer) as m;
    if lead is null then
        return;
    end if;
    for subject in
        update public.provider_events as v
        set lead_id = lead, matched_by = 'customer'
        where v.coach_id = coach and v.provider = 'stripe' and v.lead_id is null
            and v.payload -> 'data' -> 'object' ->> 'customer' = customer
            and not exists (
                select 1 from public.provider_events as m
                where m.coach_id = v.coach_id and m.provider = 'stripe' and m.subject_ref = v.subject_ref
                    and m.lead_id is not null)
        returning v.subject_ref
    loop
        perform private.settle_stripe_payment(coach, subject);
    end loop;
end;
$$;

-- function private.receive_stripe_event(uuid, jsonb), as supabase/schemas/39_provider_events_api.sql defines it
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
    perform private.match_customer_payments(coach, (select p.customer_ref from public.lead_payments as p
        where p.coach_id = coach and p.provider = 'stripe' and p.payment_ref = fields.subject));
    return jsonb_build_object('status', 'recorded', 'event_id', new_id, 'lead_id', match.lead_id,
        'matched_by', match.matched_by);
end;
$$;

-- comments
comment on function private.match_customer_payments(uuid, text) is
    'Gives the unmatched Stripe events of a customer the lead of that customer''s matched payments (matched_by customer, only when they name one lead) and recomputes their payments: the instalments of a customer end with its lead whatever order their events arrived in.';

comment on function private.receive_stripe_event(uuid, jsonb) is
    'Records a verified Stripe event for a coach (the stripe-webhook function calls it after checking the signature): checkout.session.completed, payment_intent.succeeded and charge.refunded are kept once per event id (a replay answers duplicate and writes nothing), matched to a lead (client_reference_id or metadata.lead_id, then the customer''s email, then the customer of an earlier payment) or kept unmatched, and their payment recomputed; the customer''s unmatched payments then get its lead (private.match_customer_payments). Other types answer ignored. Returns {status: recorded|duplicate|ignored, event_id, lead_id, matched_by}. Errors: PT404 unknown coach, 22023 not a Stripe event.';

-- privileges
revoke execute on function private.match_customer_payments(uuid, text) from public;
