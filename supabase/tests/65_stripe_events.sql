-- Stripe's events as the stripe-webhook function hands them over (signature verified): kept once per event id, one
-- payment per payment intent, revenue = payments less refunds in the smallest unit, the first payment makes the lead
-- won; replay, reordering, an unknown lead ("à rattacher", then attached), a refund after two instalments; who may
-- call what.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(29);
\ir helpers/auth.psql
\ir helpers/outcomes.psql

select tests.create_coach('stripe-a@example.com') as a \gset
select tests.create_coach('stripe-b@example.com') as b \gset
select tests.outcome_lead(:'a', 'pay.twice', 'Paula', 'Twice', 'paula@mail.fr') as lead \gset
select tests.n8n_status(:'lead', 'call_booked', now() - interval '5 days');

-- the events of two instalments and a refund of the second (a checkout session with the lead's id, then an invoice
-- of the same customer), in Stripe's shapes
create temporary table ev (n int, event jsonb) on commit drop;
insert into ev values
    (1, tests.stripe_event('evt_1', 'checkout.session.completed', now() - interval '3 days', jsonb_build_object(
        'id', 'cs_test_1', 'object', 'checkout.session', 'mode', 'payment', 'payment_status', 'paid', 'status', 'complete',
        'amount_total', 60000, 'currency', 'eur', 'customer', 'cus_P1', 'payment_intent', 'pi_1',
        'client_reference_id', :'lead', 'customer_details', jsonb_build_object('email', 'paula@mail.fr', 'name', 'Paula T'),
        'metadata', '{}'::jsonb))),
    (2, tests.stripe_event('evt_2', 'payment_intent.succeeded', now() - interval '3 days', jsonb_build_object(
        'id', 'pi_1', 'object', 'payment_intent', 'amount', 60000, 'amount_received', 60000, 'currency', 'eur',
        'customer', 'cus_P1', 'status', 'succeeded', 'metadata', '{}'::jsonb, 'latest_charge', 'ch_1'))),
    (3, tests.stripe_event('evt_3', 'payment_intent.succeeded', now() - interval '2 days', jsonb_build_object(
        'id', 'pi_2', 'object', 'payment_intent', 'amount', 60000, 'amount_received', 60000, 'currency', 'eur',
        'customer', 'cus_P1', 'status', 'succeeded', 'metadata', '{}'::jsonb, 'latest_charge', 'ch_2'))),
    (4, tests.stripe_event('evt_4', 'charge.refunded', now() - interval '1 day', jsonb_build_object(
        'id', 'ch_2', 'object', 'charge', 'amount', 60000, 'amount_captured', 60000, 'amount_refunded', 25000,
        'refunded', false, 'currency', 'eur', 'customer', 'cus_P1', 'payment_intent', 'pi_2',
        'created', extract(epoch from now() - interval '2 days')::bigint,
        'billing_details', jsonb_build_object('email', 'paula@mail.fr')))),
    (5, tests.stripe_event('evt_5', 'customer.created', now() - interval '3 days', jsonb_build_object(
        'id', 'cus_P1', 'object', 'customer', 'email', 'paula@mail.fr')));
grant select on ev to service_role, authenticated;

-- actors: only the webhook function (the database owner, through SUPABASE_DB_URL) records events
select tests.authenticate_as_service_role();
select throws_ok(format('select private.receive_stripe_event(%L, %L)', :'a', (select event from ev where n = 1)), '42501',
    'permission denied for function receive_stripe_event', 'the service role cannot record a Stripe event');
select tests.authenticate_as(:'a');
select throws_ok(format('select private.receive_stripe_event(%L, %L)', :'a', (select event from ev where n = 1)), '42501',
    'permission denied for schema private', 'nor can a coach');
select tests.clear_authentication();

select is(private.receive_stripe_event(:'a', (select event from ev where n = 1)) - 'event_id',
    jsonb_build_object('status', 'recorded', 'lead_id', :'lead', 'matched_by', 'reference'),
    'the checkout session finds the lead by client_reference_id');
select is(private.receive_stripe_event(:'a', (select event from ev where n = 2)) ->> 'matched_by', 'customer',
    'its payment intent carries no reference or email, only the customer the session was matched for...');
select is((select array[lead_id::text, amount_minor::text, currency] from public.lead_payments where payment_ref = 'pi_1'),
    array[:'lead', '60000', 'EUR'], '...but it is the same payment: one payment of the lead');
select is(private.receive_stripe_event(:'a', (select event from ev where n = 3)) ->> 'matched_by', 'customer',
    'the second instalment finds the lead through its customer');
select is(private.receive_stripe_event(:'a', (select event from ev where n = 4)) ->> 'status', 'recorded', 'the refund');
select is(private.receive_stripe_event(:'a', (select event from ev where n = 5)), '{"status": "ignored", "type": "customer.created"}',
    'another event type is answered and not kept');
select is((select array[status, deal_value::text, deal_value_source] from public.leads where id = :'lead'),
    array['won', '950.00', 'stripe'], 'revenue = 600 + 600 - 250 refunded = 950 €; the lead is won, by Stripe');
select is(tests.history(:'lead'), array['n8n new', 'n8n call_booked', 'stripe won', 'stripe payment won',
    'stripe payment won', 'stripe refund won'], 'its history: won at the first payment, each payment, the refund');
select is((select changed_at from public.lead_status_events where lead_id = :'lead' and source = 'stripe' and kind = 'status'),
    to_timestamp(extract(epoch from now() - interval '3 days')::bigint), 'won when first paid');
select is((select array[won_at::text, deal_value::text] from private.kpi_compute_lead_facts(array[:'lead'::uuid])),
    array[to_timestamp(extract(epoch from now() - interval '3 days')::bigint)::text, '950.00'],
    'the KPI facts: a deal won then, worth 950');

-- replay: nothing changes
create temporary table snapshot on commit drop as
    select (select jsonb_agg(to_jsonb(p) - 'updated_at' order by p.id) from public.lead_payments as p) as payments,
        tests.history(:'lead') as history, (select count(*) from public.provider_events) as events;
select is(private.receive_stripe_event(:'a', event) ->> 'status', 'duplicate', 'replay of ' || (event ->> 'id'))
from ev where n <= 4 order by n;
select is((select jsonb_agg(to_jsonb(p) - 'updated_at' order by p.id) from public.lead_payments as p),
    (select payments from snapshot), 'the replay changed no payment');
select is(tests.history(:'lead'), (select history from snapshot), 'nor the history');
select is((select count(*) from public.provider_events), (select events from snapshot), 'nor kept another event');

-- reordering: coach B gets the same events the other way round (its own lead id in the session)
select tests.outcome_lead(:'b', 'pay.twice.b', 'Paula', 'Twice', 'paula@mail.fr') as lead_b \gset
select tests.n8n_status(:'lead_b', 'call_booked', now() - interval '5 days');
select private.receive_stripe_event(:'b', case when n = 1 then jsonb_set(event, '{data,object,client_reference_id}', to_jsonb(:'lead_b'::text)) else event end)
from ev where n <= 4 order by n desc;
select is((select jsonb_agg(to_jsonb(p) - 'id' - 'coach_id' - 'lead_id' - 'updated_at' order by p.payment_ref) from public.lead_payments as p where coach_id = :'b'),
    (select jsonb_agg(to_jsonb(p) - 'id' - 'coach_id' - 'lead_id' - 'updated_at' order by p.payment_ref) from public.lead_payments as p where coach_id = :'a'),
    'delivered in the reverse order, the same payments');
select is(tests.history(:'lead_b'), tests.history(:'lead'), 'the same history');
select is((select array[status, deal_value::text] from public.leads where id = :'lead_b'), array['won', '950.00'], 'the same revenue');

-- the other way round again, with no email on any event: the customer alone ties the instalments to the lead once
-- the session names it
select tests.create_coach('stripe-c@example.com') as c \gset
select tests.outcome_lead(:'c', 'pay.twice.c', 'Paula', 'Twice', null) as lead_c \gset
select private.receive_stripe_event(:'c', case when n = 1 then jsonb_set(event #- '{data,object,customer_details}',
        '{data,object,client_reference_id}', to_jsonb(:'lead_c'::text))
    else event #- '{data,object,billing_details}' end)
from ev where n <= 4 order by n desc;
select is((select count(*)::int from public.lead_payments where coach_id = :'c' and lead_id = :'lead_c'), 2,
    'both instalments end with the lead, matched through their customer');
select is((select deal_value::text from public.leads where id = :'lead_c'), '950.00', 'the same revenue');

-- an unknown payer: kept, "à rattacher", attached by the coach in one step
select private.receive_stripe_event(:'a', tests.stripe_event('evt_9', 'checkout.session.completed', now() - interval '1 hour',
    jsonb_build_object('id', 'cs_test_9', 'object', 'checkout.session', 'payment_status', 'paid', 'amount_total', 120000,
        'currency', 'eur', 'payment_intent', 'pi_9', 'customer_details', jsonb_build_object('email', 'inconnu@mail.fr'))))
    ->> 'status' as unknown;
select tests.outcome_lead(:'a', 'late.match', 'Late') as late \gset
select tests.authenticate_as(:'a');
select is((public.get_unmatched_provider_events() -> 0) - 'event_id' - 'occurred_at',
    '{"provider": "stripe", "event_type": "checkout.session.completed", "subject_ref": "pi_9", "email": "inconnu@mail.fr",
      "name": null, "amount_minor": 120000, "currency": "EUR", "start_time": null}',
    'coach A sees the unmatched payment');
select is(public.attach_provider_event((public.get_unmatched_provider_events() -> 0 ->> 'event_id')::bigint, :'late')
    ->> 'deal_value', '1200.00', 'attaches it to its lead in one step: 1 200 € of revenue');
select is(public.get_unmatched_provider_events(), '[]', 'nothing left to attach');
select throws_ok(format('select public.attach_provider_event(%s, %L)',
    (select id from public.provider_events where event_key = 'evt_9'), :'lead'), '22023',
    'invalid field "event_id": already attached to a lead', 'an attached event cannot be attached again');
select tests.clear_authentication();
select id as evt9 from public.provider_events where event_key = 'evt_9' \gset
select tests.authenticate_as(:'b');
select throws_ok(format('select public.attach_provider_event(%s, %L)', :'evt9', :'lead_b'), '42501',
    'permission denied: this event belongs to another coach', 'coach B cannot attach coach A''s event');
select tests.clear_authentication();

select * from finish();
rollback;
