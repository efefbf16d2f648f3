// The stripe-webhook and calendly-webhook edge functions through the local stack, as the providers call them: one URL
// per coach (/functions/v1/<name>/<coach_id>, no Authorization header), real-shaped events signed the documented way
// (Stripe's own SDK, generateTestHeaderString; Calendly's t=…,v1=HMAC-SHA256 of "<t>.<body>"). Replay, reordering, a
// wrong or stale signature (400, nothing written), an unknown lead (kept, then attached), a refund after two
// instalments, and what the gateway and the function answer to anything else.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { API_URL, db } from './helpers.js';

const STRIPE_SECRET = 'whsec_test_outcomes_0123456789abcdef';
const CALENDLY_KEY = 'calendly-signing-key-outcomes-42';
const pool = db();
const coach = randomUUID();
const other = randomUUID(); // a coach without secrets
const leads = {};

const q = async (text, values = []) => (await pool.query(text, values)).rows;

before(async () => {
    for (const [id, email] of [[coach, `webhooks-${coach}@example.org`], [other, `webhooks-${other}@example.org`]]) {
        await q(`insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                 raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
                 values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, '', now(),
                 '{"provider": "email", "providers": ["email"]}', '{}', now(), now())`, [id, email]);
        await q(`insert into public.coachs (id, name, email) values ($1, 'Webhooks', $2)`, [id, email]);
    }
    await q(`insert into private.coach_webhook_secrets (coach_id, stripe_webhook_secret, calendly_signing_key) values ($1, $2, $3)`,
        [coach, STRIPE_SECRET, CALENDLY_KEY]);
    for (const [key, handle, email] of [['paula', 'paula.pay', 'paula@mail.fr'], ['remi', 'remi.refund', 'remi@mail.fr'],
        ['remi2', 'remi.reorder', 'remi2@mail.fr'], ['bob', 'bob.booker', 'bob@mail.fr'], ['late', 'late.attach', null]]) {
        [{ id: leads[key] }] = await q(`insert into public.leads (coach_id, user_id_instagram, instagram_username, email, created_at)
            values ($1, $2, $2, $3, now() - interval '5 days') returning id`, [coach, `ig_${handle}`, email]);
    }
});

after(async () => {
    await q('delete from public.coachs where id = any($1)', [[coach, other]]);
    await q('delete from auth.users where id = any($1)', [[coach, other]]);
    await pool.end();
});

// ---- Stripe -----------------------------------------------------------------------------------------------------

const T0 = Math.floor(Date.now() / 1000); // one clock for every event of the suite: the same events twice are the same
const at = (secondsAgo) => T0 - secondsAgo;
/** An event as Stripe sends it (docs.stripe.com/api/events/object). */
const stripeEvent = (id, type, created, object) => ({
    id, object: 'event', api_version: '2025-09-30.clover', created, livemode: false, pending_webhooks: 1,
    request: { id: null, idempotency_key: null }, type, data: { object },
});
const session = (id, pi, amount, extra = {}) => ({
    id, object: 'checkout.session', mode: 'payment', status: 'complete', payment_status: 'paid', amount_subtotal: amount,
    amount_total: amount, currency: 'eur', customer: null, customer_email: null, payment_intent: pi, metadata: {},
    client_reference_id: null, customer_details: { email: null, name: 'Client', address: null, phone: null }, ...extra,
});
const intent = (id, amount, extra = {}) => ({
    id, object: 'payment_intent', amount, amount_received: amount, currency: 'eur', status: 'succeeded', customer: null,
    receipt_email: null, latest_charge: `ch_${id.slice(3)}`, metadata: {}, payment_method_types: ['card'], ...extra,
});
const charge = (id, pi, amount, refunded, extra = {}) => ({
    id, object: 'charge', amount, amount_captured: amount, amount_refunded: refunded, refunded: refunded === amount,
    currency: 'eur', paid: true, status: 'succeeded', payment_intent: pi, customer: null, created: at(7200),
    billing_details: { email: null, name: null, address: null, phone: null }, receipt_email: null, metadata: {}, ...extra,
});

/** POSTs a body to a webhook URL with its signature header as the provider does (no Authorization). */
async function post(name, coachId, body, headers = {}) {
    const res = await fetch(`${API_URL}/functions/v1/${name}/${coachId}`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body,
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: json, headers: res.headers };
}
const stripeSigned = (event, { secret = STRIPE_SECRET, timestamp } = {}) => {
    const payload = JSON.stringify(event);
    return { payload, header: Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }) };
};
const postStripe = async (event, options) => {
    const { payload, header } = stripeSigned(event, options);
    return post('stripe-webhook', coach, payload, { 'Stripe-Signature': header });
};
const eventCount = async () => Number((await q('select count(*) from public.provider_events where coach_id = $1', [coach]))[0].count);
const leadRow = async (key) => (await q('select status, deal_value::text, deal_value_source, call_showed, call_at from public.leads where id = $1', [leads[key]]))[0];

test('stripe-webhook: a signed checkout.session.completed with the lead id makes the lead won with the amount', async () => {
    const r = await postStripe(stripeEvent('evt_paula_1', 'checkout.session.completed', at(60),
        session('cs_test_paula', 'pi_paula', 120000, { client_reference_id: leads.paula })));
    assert.equal(r.status, 200);
    assert.deepEqual({ ...r.body, event_id: undefined }, { received: true, status: 'recorded', event_id: undefined, lead_id: leads.paula, matched_by: 'reference' });
    assert.deepEqual(await leadRow('paula'), { status: 'won', deal_value: '1200.00', deal_value_source: 'stripe', call_showed: null, call_at: null });
});

test('stripe-webhook: a replay is answered 200 duplicate and changes nothing', async () => {
    const before = await eventCount();
    const r = await postStripe(stripeEvent('evt_paula_1', 'checkout.session.completed', at(60),
        session('cs_test_paula', 'pi_paula', 120000, { client_reference_id: leads.paula })));
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'duplicate');
    assert.equal(await eventCount(), before);
    assert.equal((await leadRow('paula')).deal_value, '1200.00');
});

test('stripe-webhook: a wrong or stale signature is refused with 400 and nothing is written', async () => {
    const before = await eventCount();
    const event = stripeEvent('evt_forged', 'checkout.session.completed', at(60),
        session('cs_forged', 'pi_forged', 999900, { client_reference_id: leads.paula }));
    const wrong = await postStripe(event, { secret: 'whsec_not_the_coach_secret_000000' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, 'signature_invalid');
    const stale = await postStripe(event, { timestamp: at(600) });
    assert.equal(stale.status, 400);
    assert.equal(stale.body.error, 'signature_invalid');
    assert.match(stale.body.message, /tolerance/i);
    const { payload, header } = stripeSigned(event);
    const tampered = await post('stripe-webhook', coach, payload.replace('999900', '999901'), { 'Stripe-Signature': header });
    assert.equal(tampered.status, 400);
    const missing = await post('stripe-webhook', coach, payload);
    assert.deepEqual([missing.status, missing.body.error], [400, 'signature_missing']);
    assert.equal(await eventCount(), before);
    assert.equal((await leadRow('paula')).deal_value, '1200.00');
});

const instalments = (key, prefix, reference) => [
    stripeEvent(`evt_${prefix}_1`, 'checkout.session.completed', at(3 * 86400),
        session(`cs_${prefix}`, `pi_${prefix}_1`, 40000, { customer: `cus_${prefix}`, client_reference_id: reference })),
    stripeEvent(`evt_${prefix}_2`, 'payment_intent.succeeded', at(3 * 86400), intent(`pi_${prefix}_1`, 40000, { customer: `cus_${prefix}` })),
    stripeEvent(`evt_${prefix}_3`, 'payment_intent.succeeded', at(2 * 86400), intent(`pi_${prefix}_2`, 40000, { customer: `cus_${prefix}` })),
    stripeEvent(`evt_${prefix}_4`, 'charge.refunded', at(86400), charge(`ch_${prefix}_2`, `pi_${prefix}_2`, 40000, 15000, { customer: `cus_${prefix}` })),
];

test('stripe-webhook: a refund after two instalments: revenue = both instalments less the refund', async () => {
    for (const e of instalments('remi', 'remi', leads.remi)) assert.equal((await postStripe(e)).status, 200);
    assert.deepEqual(await leadRow('remi'), { status: 'won', deal_value: '650.00', deal_value_source: 'stripe', call_showed: null, call_at: null });
    const payments = await q('select payment_ref, amount_minor::int, refunded_minor::int from public.lead_payments where lead_id = $1 order by payment_ref', [leads.remi]);
    assert.deepEqual(payments, [{ payment_ref: 'pi_remi_1', amount_minor: 40000, refunded_minor: 0 },
        { payment_ref: 'pi_remi_2', amount_minor: 40000, refunded_minor: 15000 }]);
});

test('stripe-webhook: the same events in reverse order end in the same state', async () => {
    for (const e of instalments('remi2', 'remi2', leads.remi2).reverse()) assert.equal((await postStripe(e)).status, 200);
    const shape = async (key) => ({
        lead: await leadRow(key),
        history: (await q(`select source, kind, to_status, changed_at from public.lead_status_events where lead_id = $1
                           and source = 'stripe' order by changed_at, id`, [leads[key]])).map((r) => `${r.kind} ${r.to_status} ${r.changed_at.toISOString()}`),
    });
    const a = await shape('remi');
    const b = await shape('remi2');
    assert.deepEqual(b.lead, a.lead);
    assert.deepEqual(b.history, a.history);
});

test('stripe-webhook: a payer nobody knows is kept unmatched ("à rattacher"), never dropped', async () => {
    const r = await postStripe(stripeEvent('evt_unknown', 'checkout.session.completed', at(30),
        session('cs_unknown', 'pi_unknown', 50000, { customer_details: { email: 'inconnu@mail.fr', name: 'Inconnu' } })));
    assert.deepEqual([r.status, r.body.status, r.body.lead_id], [200, 'recorded', null]);
    const [row] = await q(`select lead_id, payload -> 'data' -> 'object' ->> 'amount_total' as amount from public.provider_events
                           where coach_id = $1 and event_key = 'evt_unknown'`, [coach]);
    assert.deepEqual(row, { lead_id: null, amount: '50000' });
});

test('stripe-webhook: other event types are answered 200 ignored; unknown coach 404; no secret 400; only POST', async () => {
    const ignored = await postStripe(stripeEvent('evt_customer', 'customer.created', at(10), { id: 'cus_x', object: 'customer' }));
    assert.deepEqual([ignored.status, ignored.body.status], [200, 'ignored']);
    const { payload, header } = stripeSigned(stripeEvent('evt_x', 'payment_intent.succeeded', at(10), intent('pi_x', 100)));
    const unknown = await post('stripe-webhook', randomUUID(), payload, { 'Stripe-Signature': header });
    assert.deepEqual([unknown.status, unknown.body.error], [404, 'coach_not_found']);
    const notUuid = await post('stripe-webhook', 'not-a-coach', payload, { 'Stripe-Signature': header });
    assert.deepEqual([notUuid.status, notUuid.body.error], [404, 'coach_not_found']);
    const noSecret = await post('stripe-webhook', other, payload, { 'Stripe-Signature': header });
    assert.deepEqual([noSecret.status, noSecret.body.error], [400, 'webhook_not_configured']);
    const get = await fetch(`${API_URL}/functions/v1/stripe-webhook/${coach}`);
    assert.equal(get.status, 405);
    const preflight = await fetch(`${API_URL}/functions/v1/stripe-webhook/${coach}`, { method: 'OPTIONS' });
    assert.equal(preflight.status, 200);
    assert.match(preflight.headers.get('access-control-allow-headers'), /stripe-signature/);
});

// ---- Calendly ---------------------------------------------------------------------------------------------------

/** Calendly's signature: t=<seconds>,v1=hex(HMAC-SHA256(signing key, "<t>.<body>")). */
const calendlySignature = (body, { key = CALENDLY_KEY, t = Math.floor(Date.now() / 1000) } = {}) =>
    `t=${t},v1=${createHmac('sha256', key).update(`${t}.${body}`).digest('hex')}`;
const iso = (secondsFromNow) => new Date(Date.now() + secondsFromNow * 1000).toISOString();
const invitee = (id, email, bookedAt, startsAt, extra = {}) => ({
    uri: `https://api.calendly.com/scheduled_events/EV${id}/invitees/${id}`, email, name: 'Bob Booker', first_name: null,
    last_name: null, status: 'active', timezone: 'Europe/Paris', created_at: bookedAt, updated_at: bookedAt,
    rescheduled: false, old_invitee: null, new_invitee: null, text_reminder_number: null,
    cancel_url: `https://calendly.com/cancellations/${id}`, reschedule_url: `https://calendly.com/reschedulings/${id}`,
    questions_and_answers: [], payment: null, no_show: null, reconfirmation: null, cancellation: null,
    tracking: { utm_campaign: null, utm_source: 'instagram', utm_medium: 'dm', utm_content: null, utm_term: null, salesforce_uuid: null },
    scheduled_event: { uri: `https://api.calendly.com/scheduled_events/EV${id}`, name: 'Appel découverte', status: 'active',
        start_time: startsAt, end_time: startsAt, event_type: 'https://api.calendly.com/event_types/ET1',
        location: { type: 'google_conference' }, invitees_counter: { total: 1, active: 1, limit: 1 } },
    ...extra,
});
const calendlyEvent = (event, createdAt, payload) => ({
    created_at: createdAt, created_by: 'https://api.calendly.com/users/AAAAAAAAAAAAAAAA', event, payload,
});
const postCalendly = async (event, options) => {
    const body = JSON.stringify(event);
    return post('calendly-webhook', coach, body, { 'Calendly-Webhook-Signature': calendlySignature(body, options) });
};

test('calendly-webhook: a signed invitee.created books the call of the lead with that email, at its time', async () => {
    const starts = iso(2 * 86400);
    const r = await postCalendly(calendlyEvent('invitee.created', iso(-600), invitee('I1', 'Bob@Mail.fr', iso(-600), starts)));
    assert.equal(r.status, 200);
    assert.deepEqual([r.body.status, r.body.lead_id, r.body.matched_by], ['recorded', leads.bob, 'email']);
    const lead = await leadRow('bob');
    assert.equal(lead.status, 'call_booked');
    assert.equal(lead.call_at.toISOString(), starts);
    const replay = await postCalendly(calendlyEvent('invitee.created', iso(-600), invitee('I1', 'Bob@Mail.fr', iso(-600), starts)));
    assert.deepEqual([replay.status, replay.body.status], [200, 'duplicate']);
});

test('calendly-webhook: a no-show and its undo delivered out of order end as they happened', async () => {
    const noShow = (event, createdAt) => calendlyEvent(event, createdAt, {
        uri: 'https://api.calendly.com/invitee_no_shows/NS1', invitee: 'https://api.calendly.com/scheduled_events/EVI1/invitees/I1', created_at: iso(-300) });
    assert.equal((await postCalendly(noShow('invitee_no_show.deleted', iso(-120)))).status, 200);
    assert.equal((await postCalendly(noShow('invitee_no_show.created', iso(-300)))).status, 200);
    assert.equal((await leadRow('bob')).call_showed, null, 'the undo came last: no outcome');
    const kinds = (await q(`select kind from public.lead_status_events where lead_id = $1 and source = 'calendly' order by changed_at, id`,
        [leads.bob])).map((r) => r.kind);
    assert.deepEqual(kinds, ['status', 'call_no_show', 'call_no_show_undone']);
});

test('calendly-webhook: a wrong signature, a stale one or a malformed header: 400, nothing written', async () => {
    const before = await eventCount();
    const event = calendlyEvent('invitee.created', iso(-60), invitee('I9', 'bob@mail.fr', iso(-60), iso(86400)));
    const wrong = await postCalendly(event, { key: 'not-the-coach-key-000' });
    assert.deepEqual([wrong.status, wrong.body.error], [400, 'signature_invalid']);
    const stale = await postCalendly(event, { t: Math.floor(Date.now() / 1000) - 600 });
    assert.deepEqual([stale.status, stale.body.error], [400, 'signature_expired']);
    const body = JSON.stringify(event);
    const malformed = await post('calendly-webhook', coach, body, { 'Calendly-Webhook-Signature': 'v1=abc' });
    assert.deepEqual([malformed.status, malformed.body.error], [400, 'signature_invalid']);
    const missing = await post('calendly-webhook', coach, body);
    assert.deepEqual([missing.status, missing.body.error], [400, 'signature_missing']);
    assert.equal(await eventCount(), before);
});

test('calendly-webhook: an invitee nobody knows is kept; the coach attaches it in one step', async () => {
    const r = await postCalendly(calendlyEvent('invitee.created', iso(-30), invitee('I7', 'stranger@mail.fr', iso(-30), iso(86400))));
    assert.deepEqual([r.status, r.body.lead_id], [200, null]);
    // the attach RPC through the API as the coach needs a session: the coach's JWT is signed here as GoTrue would
    const { sign } = await import('./helpers.js');
    const token = await sign({ sub: coach, role: 'authenticated', aud: 'authenticated', app_metadata: {},
        exp: Math.floor(Date.now() / 1000) + 600 });
    const headers = { apikey: (await import('./helpers.js')).ANON_KEY, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const list = await (await fetch(`${API_URL}/rest/v1/rpc/get_unmatched_provider_events`, { method: 'POST', headers, body: '{}' })).json();
    const booking = list.find((e) => e.subject_ref.endsWith('/I7'));
    assert.equal(booking.email, 'stranger@mail.fr');
    const attached = await fetch(`${API_URL}/rest/v1/rpc/attach_provider_event`, { method: 'POST', headers,
        body: JSON.stringify({ event_id: booking.event_id, lead_id: leads.late }) });
    assert.equal(attached.status, 200);
    assert.equal((await attached.json()).status, 'call_booked');
});
