-- Calendly and Stripe webhook events: matching, payments, bookings, and the coach's "à rattacher".

create or replace function private.provider_match(coach uuid, refs text[], emails text[], handles text[], customer text)
returns table(lead_id uuid, matched_by text)
language sql
stable
security invoker
set search_path = ''
as $$
    select m.lead_id, m.matched_by
    from (
        select l.id as lead_id, 'reference' as matched_by, 1 as rank
        from unnest(refs) as r (ref)
        join public.leads as l on l.coach_id = coach
            and l.id::text = lower(btrim(r.ref))
        where btrim(r.ref) ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        union all
        select (array_agg(l.id))[1], 'email', 2
        from public.leads as l
        where l.coach_id = coach
            and lower(l.email) in (select lower(btrim(e)) from unnest(emails) as e where btrim(e) <> '')
        having count(*) = 1
        union all
        select (array_agg(l.id))[1], 'instagram', 3
        from public.leads as l
        where l.coach_id = coach
            and lower(l.instagram_username) in (
                select lower(regexp_replace(btrim(h),
                    '^(https?://)?(www\.)?(instagram\.com/|ig\.me/m/)?@?([A-Za-z0-9._]+)/?$', '\4'))
                from unnest(handles) as h
                where btrim(h) ~* '^(https?://)?(www\.)?(instagram\.com/|ig\.me/m/)?@?[A-Za-z0-9._]{1,30}/?$')
        having count(*) = 1
        union all
        select (array_agg(distinct p.lead_id))[1], 'customer', 4
        from public.lead_payments as p
        where p.coach_id = coach and p.customer_ref = customer and p.lead_id is not null
        having count(distinct p.lead_id) = 1
    ) as m
    order by m.rank
    limit 1;
$$;

comment on function private.provider_match(uuid, text[], text[], text[], text) is
    'The lead of a webhook event: the first of a lead id among refs (reference), a unique lead with one of the emails (email), a unique lead with one of the Instagram handles or profile links (instagram), the unique lead of earlier payments of the same Stripe customer (customer). No row when none matches (the event is "à rattacher").';

revoke execute on function private.provider_match(uuid, text[], text[], text[], text) from public;

create or replace function private.currency_minor_units(currency text)
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
    select case
        when upper(currency) in ('BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND',
            'VUV', 'XAF', 'XOF', 'XPF') then 1
        when upper(currency) in ('BHD', 'JOD', 'KWD', 'OMR', 'TND') then 1000
        else 100
    end;
$$;

comment on function private.currency_minor_units(text) is
    'How many smallest units make one unit of a currency, as Stripe counts amounts: 1 for zero-decimal currencies (JPY…), 1000 for three-decimal ones (KWD…), else 100 (EUR: 120000 = 1 200,00).';

revoke execute on function private.currency_minor_units(text) from public;

create or replace function private.stripe_payment_entries(target_lead uuid)
returns table(kind text, at timestamp with time zone, details jsonb)
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

revoke execute on function private.stripe_payment_entries(uuid) from public;

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

revoke execute on function private.settle_lead_payments(uuid) from public;

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

revoke execute on function private.settle_stripe_payment(uuid, text) from public;

create or replace function private.stripe_event_fields(event jsonb)
returns table(subject text, refs text[], emails text[], customer text)
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

revoke execute on function private.stripe_event_fields(jsonb) from public;

-- The other payments of a Stripe customer whose events matched no lead get the lead of one of its payments
-- (instalments of one customer are one lead's), whatever order their events arrived in, and are recomputed.
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

comment on function private.match_customer_payments(uuid, text) is
    'Gives the unmatched Stripe events of a customer the lead of that customer''s matched payments (matched_by customer, only when they name one lead) and recomputes their payments: the instalments of a customer end with its lead whatever order their events arrived in.';

revoke execute on function private.match_customer_payments(uuid, text) from public;

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

comment on function private.receive_stripe_event(uuid, jsonb) is
    'Records a verified Stripe event for a coach (the stripe-webhook function calls it after checking the signature): checkout.session.completed, payment_intent.succeeded and charge.refunded are kept once per event id (a replay answers duplicate and writes nothing), matched to a lead (client_reference_id or metadata.lead_id, then the customer''s email, then the customer of an earlier payment) or kept unmatched, and their payment recomputed; the customer''s unmatched payments then get its lead (private.match_customer_payments). Other types answer ignored. Returns {status: recorded|duplicate|ignored, event_id, lead_id, matched_by}. Errors: PT404 unknown coach, 22023 not a Stripe event.';

revoke execute on function private.receive_stripe_event(uuid, jsonb) from public;

create or replace function private.calendly_event_fields(event jsonb)
returns table(event_key text, subject text, occurred_at timestamp with time zone, refs text[], emails text[], handles text[])
language sql
immutable
security invoker
set search_path = ''
as $$
    select
        (event ->> 'event') || ':' || coalesce(p -> 'no_show' ->> 'uri', p ->> 'uri'),
        coalesce(case when p ->> 'uri' like '%/invitees/%' then p ->> 'uri' end, p ->> 'invitee', p -> 'invitee' ->> 'uri'),
        coalesce(
            case event ->> 'event'
                when 'invitee.created' then p ->> 'created_at'
                when 'invitee.canceled' then p -> 'cancellation' ->> 'created_at'
                when 'invitee_no_show.created' then p -> 'no_show' ->> 'created_at'
            end,
            event ->> 'created_at')::timestamptz,
        array_remove(array[p -> 'tracking' ->> 'utm_content'], null),
        array_remove(array[p ->> 'email'], null),
        array(select qa ->> 'answer' from jsonb_array_elements(coalesce(p -> 'questions_and_answers', '[]')) as qa
            where qa ->> 'answer' is not null)
    from (select event -> 'payload' as p) as x;
$$;

comment on function private.calendly_event_fields(jsonb) is
    'The fields of a Calendly webhook event that matter here: event_key (event name and the uri of the invitee or no-show: Calendly sends no event id), subject (the invitee uri), occurred_at (invitee created, cancellation or no-show time, else the event''s created_at), lead references (tracking.utm_content), emails (the invitee''s), handles (every answer of the booking form).';

revoke execute on function private.calendly_event_fields(jsonb) from public;

create or replace function private.derive_call_at(target_lead uuid)
returns void
language sql
volatile
security invoker
set search_path = ''
as $$
    update public.leads as l
    set call_at = x.start_time, outcome_recorded_at = clock_timestamp()
    from (
        select (
            select (b.payload -> 'payload' -> 'scheduled_event' ->> 'start_time')::timestamptz
            from public.provider_events as b
            where b.lead_id = target_lead and b.provider = 'calendly' and b.event_type = 'invitee.created'
                and not exists (
                    select 1 from public.provider_events as c
                    where c.coach_id = b.coach_id and c.provider = 'calendly' and c.subject_ref = b.subject_ref
                        and c.event_type = 'invitee.canceled')
            order by b.occurred_at desc, b.id desc
            limit 1) as start_time
    ) as x
    where l.id = target_lead
        and exists (select 1 from public.provider_events as v where v.lead_id = target_lead and v.provider = 'calendly')
        and l.call_at is distinct from x.start_time;
$$;

comment on function private.derive_call_at(uuid) is
    'Sets leads.call_at to the start of the lead''s latest Calendly booking not cancelled (null when all were), from the stored events: the same whatever order they arrived in.';

revoke execute on function private.derive_call_at(uuid) from public;

create or replace function private.apply_calendly_event(v public.provider_events)
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    p constant jsonb := v.payload -> 'payload';
    entry jsonb := jsonb_build_object('event_key', v.event_key);
    result text;
    lead public.leads;
begin
    if v.lead_id is null then
        return;
    end if;
    if v.event_type = 'invitee.created' then
        result := private.place_lead_status_event(v.lead_id, 'call_booked', v.occurred_at, 'calendly', null,
            entry || jsonb_build_object('start_time', p -> 'scheduled_event' ->> 'start_time'));
        if result = 'unchanged' then
            entry := entry || jsonb_build_object('start_time', p -> 'scheduled_event' ->> 'start_time');
        end if;
    elsif v.event_type = 'invitee.canceled' and coalesce((p ->> 'rescheduled')::boolean, false) is false then
        -- a reschedule cancels the old booking and books the new one: only a plain cancellation reopens the call
        perform private.place_lead_status_event(v.lead_id, 'call_proposed', v.occurred_at, 'calendly', null, entry);
    end if;
    if v.event_type in ('invitee_no_show.created', 'invitee_no_show.deleted')
        or (v.event_type = 'invitee.created' and result = 'unchanged') then
        select l.* into lead from public.leads as l where l.id = v.lead_id for no key update;
        insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at, source, kind, details)
        select lead.id, lead.coach_id, lead.status, lead.status, v.occurred_at, 'calendly',
            case v.event_type when 'invitee_no_show.created' then 'call_no_show'
                when 'invitee_no_show.deleted' then 'call_no_show_undone' else 'call_scheduled' end,
            entry
        where not exists (
            select 1 from public.lead_status_events as e
            where e.lead_id = lead.id and e.source = 'calendly' and e.details ->> 'event_key' = v.event_key);
        perform private.normalize_lead_history(lead.id);
        perform private.derive_call_showed(lead.id);
    end if;
    perform private.derive_call_at(v.lead_id);
end;
$$;

comment on function private.apply_calendly_event(public.provider_events) is
    'Applies a stored Calendly event to its lead: invitee.created places call_booked (source calendly, at the booking time; a lead already past it gets a call_scheduled entry), a plain invitee.canceled places call_proposed (a reschedule does not), invitee_no_show.created / .deleted add call_no_show / call_no_show_undone entries and recompute call_showed; then the meeting time. Idempotent.';

revoke execute on function private.apply_calendly_event(public.provider_events) from public;

create or replace function private.receive_calendly_event(coach uuid, event jsonb)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    fields record;
    match record;
    stored public.provider_events;
    earlier public.provider_events;
begin
    if not exists (select 1 from public.coachs as c where c.id = coach) then
        raise exception 'coach not found' using errcode = 'PT404';
    end if;
    if jsonb_typeof(event) is distinct from 'object' or jsonb_typeof(event -> 'payload') is distinct from 'object'
        or event ->> 'event' is null or event ->> 'created_at' is null then
        raise exception using errcode = '22023', message = 'invalid field "event": not a Calendly webhook event (event, created_at, payload)';
    end if;
    if event ->> 'event' not in ('invitee.created', 'invitee.canceled', 'invitee_no_show.created', 'invitee_no_show.deleted') then
        return jsonb_build_object('status', 'ignored', 'type', event ->> 'event');
    end if;
    select * into fields from private.calendly_event_fields(event);
    if fields.subject is null or fields.event_key is null then
        raise exception using errcode = '22023', message = 'invalid field "payload": no invitee uri';
    end if;
    -- the booking's lead, when an earlier event of it was matched or attached
    select v.lead_id, v.matched_by into match
    from public.provider_events as v
    where v.coach_id = coach and v.provider = 'calendly' and v.subject_ref = fields.subject and v.lead_id is not null
    order by v.occurred_at, v.id
    limit 1;
    if match.lead_id is null then
        select * into match from private.provider_match(coach, fields.refs, fields.emails, fields.handles, null);
    end if;
    insert into public.provider_events (coach_id, provider, event_key, event_type, subject_ref, occurred_at, payload,
        lead_id, matched_by)
    values (coach, 'calendly', fields.event_key, event ->> 'event', fields.subject, fields.occurred_at, event,
        match.lead_id, match.matched_by)
    on conflict (coach_id, provider, event_key) do nothing
    returning * into stored;
    if stored.id is null then
        return jsonb_build_object('status', 'duplicate', 'event_key', fields.event_key);
    end if;
    perform private.apply_calendly_event(stored);
    -- events of the booking that came before and matched nothing now have its lead (the no-show events carry no
    -- email)
    for earlier in
        update public.provider_events as u
        set lead_id = stored.lead_id, matched_by = stored.matched_by
        where u.coach_id = coach and u.provider = 'calendly' and u.subject_ref = fields.subject
            and u.lead_id is null and stored.lead_id is not null
        returning u.*
    loop
        perform private.apply_calendly_event(earlier);
    end loop;
    return jsonb_build_object('status', 'recorded', 'event_id', stored.id, 'lead_id', stored.lead_id,
        'matched_by', stored.matched_by);
end;
$$;

comment on function private.receive_calendly_event(uuid, jsonb) is
    'Records a verified Calendly event for a coach (the calendly-webhook function calls it after checking the signature): invitee.created, invitee.canceled, invitee_no_show.created and .deleted are kept once per event (name + uri: a replay answers duplicate and writes nothing), matched to a lead (the booking''s earlier events, then tracking.utm_content = lead id, the invitee''s email, an answer naming the lead''s Instagram handle) or kept unmatched, and applied. Other events answer ignored. Returns {status: recorded|duplicate|ignored, event_id, lead_id, matched_by}. Errors: PT404 unknown coach, 22023 not a Calendly event.';

revoke execute on function private.receive_calendly_event(uuid, jsonb) from public;

create or replace function private.unmatched_provider_events(coach_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
    select coalesce(jsonb_agg(x.item order by x.occurred_at desc, x.id desc), '[]'::jsonb)
    from (
        select distinct on (v.provider, v.subject_ref) v.id, v.occurred_at,
            jsonb_build_object(
                'event_id', v.id,
                'provider', v.provider,
                'event_type', v.event_type,
                'subject_ref', v.subject_ref,
                'occurred_at', v.occurred_at,
                'email', coalesce(o -> 'customer_details' ->> 'email', o ->> 'customer_email',
                    o -> 'billing_details' ->> 'email', o ->> 'receipt_email', o ->> 'email'),
                'name', coalesce(o ->> 'name', o -> 'customer_details' ->> 'name', o -> 'billing_details' ->> 'name'),
                'amount_minor', coalesce(o ->> 'amount_received', o ->> 'amount_total', o ->> 'amount')::bigint,
                'currency', upper(o ->> 'currency'),
                'start_time', o -> 'scheduled_event' ->> 'start_time') as item
        from public.provider_events as v
        cross join lateral (select coalesce(v.payload -> 'data' -> 'object', v.payload -> 'payload') as o) as p (o)
        where v.coach_id = private.check_coach_access(unmatched_provider_events.coach_id)
            and v.lead_id is null
            and not exists (
                select 1 from public.provider_events as m
                where m.coach_id = v.coach_id and m.provider = v.provider and m.subject_ref = v.subject_ref
                    and m.lead_id is not null)
        order by v.provider, v.subject_ref, v.occurred_at desc, v.id desc
    ) as x;
$$;

comment on function private.unmatched_provider_events(uuid) is
    'The document of public.get_unmatched_provider_events. Security definer: checks the caller (private.check_coach_access).';

revoke execute on function private.unmatched_provider_events(uuid) from public;
grant execute on function private.unmatched_provider_events(uuid) to authenticated, service_role;

create or replace function private.attach_event_to_lead(target_event bigint, target_lead uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    lead public.leads := private.outcome_lead(target_lead);
    event public.provider_events;
    attached public.provider_events;
begin
    if target_event is null then
        raise exception 'event_id is required' using errcode = '22004';
    end if;
    select v.* into event from public.provider_events as v where v.id = target_event for update;
    if event.id is null then
        raise exception 'event not found' using errcode = 'PT404';
    end if;
    if event.coach_id <> lead.coach_id then
        raise exception 'permission denied: this event belongs to another coach' using errcode = '42501';
    end if;
    if exists (
        select 1 from public.provider_events as m
        where m.coach_id = event.coach_id and m.provider = event.provider and m.subject_ref = event.subject_ref
            and m.lead_id is not null
    ) then
        raise exception using errcode = '22023', message = 'invalid field "event_id": already attached to a lead';
    end if;
    for attached in
        update public.provider_events as v
        set lead_id = lead.id, matched_by = 'coach', attached_by = auth.uid(), attached_at = now()
        where v.coach_id = event.coach_id and v.provider = event.provider and v.subject_ref = event.subject_ref
        returning v.*
    loop
        if attached.provider = 'calendly' then
            perform private.apply_calendly_event(attached);
        end if;
    end loop;
    if event.provider = 'stripe' then
        perform private.settle_stripe_payment(event.coach_id, event.subject_ref);
    end if;
    return private.lead_outcome_json(lead.id);
end;
$$;

comment on function private.attach_event_to_lead(bigint, uuid) is
    'Attaches an unmatched webhook event, with every event of its payment or booking, to one of the signed-in coach''s leads (matched_by coach) and applies them. Security definer: checks the caller (private.outcome_lead; 22004, PT404 no such event, 42501 another coach''s event, 22023 already attached).';

revoke execute on function private.attach_event_to_lead(bigint, uuid) from public;
grant execute on function private.attach_event_to_lead(bigint, uuid) to authenticated;

create or replace function public.get_unmatched_provider_events(coach_id uuid default auth.uid())
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select private.unmatched_provider_events(get_unmatched_provider_events.coach_id);
end;

comment on function public.get_unmatched_provider_events(uuid) is
    'The coach''s "à rattacher" (default: the caller''s): the Stripe payments and Calendly bookings that matched no lead, one per payment or booking, latest first: [{event_id, provider, event_type, subject_ref, occurred_at, email, name, amount_minor, currency, start_time}]. Errors: 42501 another coach''s id (admins may read any), 22004 no coach id, PT404 unknown coach.';

revoke execute on function public.get_unmatched_provider_events(uuid) from public, anon;
grant execute on function public.get_unmatched_provider_events(uuid) to authenticated, service_role;

create or replace function public.attach_provider_event(event_id bigint, lead_id uuid)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.attach_event_to_lead(attach_provider_event.event_id, attach_provider_event.lead_id);
end;

comment on function public.attach_provider_event(bigint, uuid) is
    'The signed-in coach attaches an unmatched Stripe or Calendly event (and every event of its payment or booking) to one of its leads, which then gets the payment or the booking as if it had matched. Returns the lead''s outcome. Errors: 22023 ''invalid field "event_id": already attached to a lead'', 22004 no id, 42501 not a signed-in coach, another coach''s lead or event (403), PT404 no such lead or event (404).';

revoke execute on function public.attach_provider_event(bigint, uuid) from public, anon, service_role;
grant execute on function public.attach_provider_event(bigint, uuid) to authenticated;
