// Hot leads to Telegram through the edge functions under Deno, against local-supabase/telegram-api.js (a local server
// that answers like the Telegram Bot API: sendMessage, {ok: false, error_code, description} errors), with an API
// instance of its own whose functions get TELEGRAM_API_URL: telegram-connect checks the bot with a test message before
// saving it (a wrong token, an unknown chat: 400 and nothing saved); send-telegram sends a lead's message once (its
// name, what it said last, its Instagram link), retries a failure with backoff and shows it in the settings, stops a
// revoked token and says so; two runs at once send each message once. No real network.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ANON_KEY, SERVICE_ROLE_KEY, db, startApiProcess } from './helpers.js';
import { startTelegramApi } from '../../local-supabase/telegram-api.js';

const pool = db();
const KARIM = 'karim@example.com';
const GOOD = '700001:AAbbCCddEEffGGhhIIjjKKllMMnnOOpp';
const OTHER = '700002:ZZyyXXwwVVuuTTssRRqqPPooNNmmLLkk';
const COACH = 'fffffff1-0000-4000-8000-000000000001'; // this file's coach for send-telegram (removed at the end)
let telegram;
let api;
let karimId;

before(async () => {
    telegram = await startTelegramApi({ bots: { [GOOD]: ['424242', '@coach_alerts'], [OTHER]: ['5555'] } });
    api = await startApiProcess({ TELEGRAM_API_URL: telegram.url });
    ({ rows: [{ id: karimId }] } = await pool.query(`select id from public.coachs where email = $1`, [KARIM]));
    await pool.query('delete from public.coachs where id = $1', [COACH]);
    await pool.query(`insert into public.coachs (id, name, email, timezone) values ($1, 'Coach Telegram', 'coach-telegram@example.org', 'Europe/Paris')`, [COACH]);
});

after(async () => {
    api?.child.kill('SIGTERM');
    await pool.query('delete from public.coachs where id = $1', [COACH]);
    await pool.query('delete from private.coach_telegram where coach_id = $1', [karimId]);
    await pool.end();
    await telegram?.close();
});

async function karimToken() {
    const r = await fetch(`${api.url}/auth/v1/token?grant_type=password`, {
        method: 'POST', headers: { apikey: ANON_KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: KARIM, password: 'coach-demo-2026' }),
    });
    assert.equal(r.status, 200);
    return (await r.json()).access_token;
}
const connect = async (token, body) => {
    const r = await fetch(`${api.url}/functions/v1/telegram-connect`, {
        method: 'POST', headers: { Authorization: `Bearer ${token}`, apikey: ANON_KEY, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    return { status: r.status, body: await r.json() };
};
const drain = async () => {
    const r = await fetch(`${api.url}/functions/v1/send-telegram`, {
        method: 'POST', headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}`, 'Content-Type': 'application/json' }, body: '{}',
    });
    const body = await r.json();
    assert.equal(r.status, 200, JSON.stringify(body));
    return body;
};
const settings = async (coach) => (await pool.query('select private.notification_settings($1) as s', [coach])).rows[0].s;
/** A lead of this file's coach that says something, then becomes `status` (the trigger queues its message). */
async function hotLead(name, status = 'qualified', said = `Salut, c'est ${name}, je veux bien un appel`) {
    const { rows: [{ id }] } = await pool.query(`insert into public.leads (coach_id, user_id_instagram, instagram_username, first_name, status)
        values ($1, $2, $3, $4, 'engaged') returning id`, [COACH, `${COACH}:${name}:${Date.now()}`, name.toLowerCase(), name]);
    await pool.query(`insert into public.messages (lead_id, coach_id, direction, text) values ($1, $2, 'in', $3)`, [id, COACH, said]);
    await pool.query('update public.leads set status = $2 where id = $1', [id, status]);
    return id;
}
const outbox = async (lead) => (await pool.query('select status, attempts, last_error from private.telegram_outbox where lead_id = $1', [lead])).rows;

test('telegram-connect: the bot is checked with a test message before it is saved', async () => {
    const token = await karimToken();
    const bad = await connect(token, { bot_token: 'pas-un-jeton', chat_id: '424242' });
    assert.deepEqual([bad.status, bad.body.error, bad.body.field], [400, 'invalid_payload', 'bot_token']);
    const noSession = await connect('nope', { bot_token: GOOD, chat_id: '424242' });
    assert.equal(noSession.status, 401);
    const wrongToken = await connect(token, { bot_token: '700009:AAbbCCddEEffGGhhIIjjKKllMMnnOOpp', chat_id: '424242' });
    assert.equal(wrongToken.status, 400);
    assert.deepEqual([wrongToken.body.error, wrongToken.body.telegram], ['telegram_refused', { error_code: 401, description: 'Unauthorized' }]);
    const wrongChat = await connect(token, { bot_token: GOOD, chat_id: '999' });
    assert.deepEqual([wrongChat.status, wrongChat.body.telegram?.description], [400, 'Bad Request: chat not found']);
    assert.equal((await settings(karimId)).telegram, null, 'nothing saved after a refused test');
    assert.equal(telegram.messages.length, 0);

    const ok = await connect(token, { bot_token: GOOD, chat_id: '@coach_alerts' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual([ok.body.connected, ok.body.chat_id], [true, '@coach_alerts']);
    assert.equal(telegram.messages.length, 1);
    assert.match(telegram.messages[0].text, /^✅ Coach Setter est connecté/);
    const s = await settings(karimId);
    assert.equal(s.telegram.chat_id, '@coach_alerts');
    assert.equal(JSON.stringify(s).includes(GOOD), false, 'the token is never shown');
    telegram.messages.length = 0;
});

test('send-telegram: one message per lead and event, with the name, what the lead said last and the Instagram link', async () => {
    await pool.query('select private.telegram_connect($1, $2, $3)', [COACH, GOOD, '424242']);
    const lead = await hotLead('Nina');
    const out = await drain();
    assert.deepEqual(out.sent.map((s) => s.lead_id), [lead]);
    const mine = telegram.messages.filter((m) => m.chat_id === '424242');
    assert.deepEqual(mine.map((m) => m.text), [
        "🔥 Lead qualifié : Nina (@nina)\nDernier message : « Salut, c'est Nina, je veux bien un appel »\nhttps://www.instagram.com/nina/"]);
    assert.deepEqual(await outbox(lead), [{ status: 'sent', attempts: 1, last_error: null }]);
    assert.equal((await drain()).claimed, 0, 'a second run sends nothing');
    await pool.query(`update public.leads set status = 'engaged' where id = $1`, [lead]);
    await pool.query(`update public.leads set status = 'qualified' where id = $1`, [lead]);
    assert.equal((await drain()).claimed, 0, 'qualified again: no second message');
    await pool.query(`update public.leads set status = 'call_booked' where id = $1`, [lead]);
    assert.equal((await drain()).sent.length, 1, 'the call it books: one more');
    assert.ok((await settings(COACH)).telegram.last_sent_at);
    telegram.messages.length = 0;
});

test('send-telegram: a failure is retried with backoff and shown in the settings; a revoked token stops and says so', async () => {
    telegram.fail(GOOD, 502, 'Bad Gateway');
    const lead = await hotLead('Omar');
    const first = await drain();
    assert.deepEqual(first.retry.map((r) => [r.lead_id, r.error]), [[lead, '502 Bad Gateway']]);
    assert.deepEqual(await outbox(lead), [{ status: 'pending', attempts: 1, last_error: '502 Bad Gateway' }]);
    assert.equal((await settings(COACH)).telegram.last_error, '502 Bad Gateway', 'the settings show it');
    assert.equal((await drain()).claimed, 0, 'not again before the backoff (30 s)');
    await pool.query(`update private.telegram_outbox set next_attempt_at = now() where lead_id = $1`, [lead]);
    telegram.fail(GOOD, 429, 'Too Many Requests: retry after 3', { retry_after: 3 });
    assert.equal((await drain()).retry.length, 1);
    const { rows: [wait] } = await pool.query(`select extract(epoch from next_attempt_at - now())::int as s from private.telegram_outbox where lead_id = $1`, [lead]);
    assert.ok(wait.s <= 3, `Telegram's retry_after is the wait (${wait.s} s)`);
    await pool.query(`update private.telegram_outbox set next_attempt_at = now() where lead_id = $1`, [lead]);
    const third = await drain();
    assert.equal(third.sent.length, 1, 'sent once Telegram answers');
    assert.equal((await settings(COACH)).telegram.last_error, null, 'the failure is no longer shown after a success');

    telegram.revoke(GOOD);
    const a = await hotLead('Paul');
    const b = await hotLead('Rita');
    const revoked = await drain();
    assert.equal(revoked.revoked.length, 1);
    assert.equal(revoked.revoked[0].error, '401 Unauthorized');
    assert.deepEqual([...(await outbox(a)), ...(await outbox(b))].map((r) => r.status), ['given_up', 'given_up'],
        'the bot\'s messages stop');
    const s = (await settings(COACH)).telegram;
    assert.ok(s.revoked_at, 'the settings say the token was revoked');
    assert.equal(s.last_error, '401 Unauthorized');
    const c = await hotLead('Sami');
    assert.deepEqual(await outbox(c), [], 'nothing is queued for a revoked bot');
    assert.equal((await drain()).claimed, 0);
});

test('send-telegram: two runs at once send each message once', async () => {
    await pool.query('select private.telegram_connect($1, $2, $3)', [COACH, OTHER, '5555']);
    const leads = [];
    for (const n of ['Ali', 'Bea', 'Cyd', 'Dan', 'Eve', 'Fay']) leads.push(await hotLead(n));
    const before = telegram.messages.length;
    const [x, y] = await Promise.all([drain(), drain()]);
    const sent = [...x.sent, ...y.sent].map((s) => s.lead_id).sort();
    assert.deepEqual(sent, [...leads].sort(), 'each lead\'s message sent by one of the runs');
    assert.equal(telegram.messages.length - before, leads.length, 'and Telegram got each once');
});
