// The send-digests edge function under Deno, sending through a real SMTP server of the test's own (smtp-server, the
// library nodemailer's authors maintain), with an API instance of its own whose functions get SMTP_*: the email's
// subject, numbers (against get_dashboard in SQL), links and unsubscribe headers; running it twice sends nothing
// the second time; and the ledger's guarantee (docs/deployment.md, "Digest emails"): two concurrent runs, a retry
// after the caller timed out, a run killed in the middle each send every coach's digest exactly once. Then the
// one-click unsubscribe (digest-unsubscribe). Each test uses its own past ISO week, so reruns do not meet.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { APP_URL, JULIE_ID, KARIM_ID, SERVICE_ROLE_KEY, db, freePort, sleep, startApiProcess } from './helpers.js';

const pool = db();
const inbox = []; // { to, message } of every email the SMTP server accepted
const hold = new Map(); // recipient -> 'hang' (never answer DATA) or a delay in ms before accepting it
let smtp;
let api;
const run = `${Date.now().toString(36)}`;
// coaches of this test, last in id order (a run sends in coach id order), with one lead each
const MINE = [1, 2, 3].map((i) => ({ id: `fffffff0-0000-4000-8000-00000000000${i}`, email: `digest-${i}-${run}@example.org` }));

before(async () => {
    const port = await freePort();
    smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, session, callback) {
            const chunks = [];
            stream.on('data', (c) => chunks.push(c));
            stream.on('end', async () => {
                const to = session.envelope.rcptTo[0]?.address;
                const wait = hold.get(to);
                if (wait === 'hang') return; // the client waits for an answer that never comes
                if (wait) await sleep(wait);
                inbox.push({ to, message: await simpleParser(Buffer.concat(chunks)) });
                callback();
            });
        },
    });
    await new Promise((resolve) => smtp.listen(port, '127.0.0.1', resolve));
    api = await startApiProcess({
        SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_FROM: 'Coach Setter <resume@coach-setter.test>',
        DIGEST_SIGNING_SECRET: `secret-${run}`,
    });
    await pool.query('delete from public.coachs where id = any($1::uuid[])', [MINE.map((c) => c.id)]);
    // this file's weeks start unsent (a database the file ran on before)
    await pool.query(`delete from private.digest_ledger where kind = 'weekly' and period_key between '2026-W40' and '2026-W44'`);
    for (const c of MINE) {
        await pool.query(`insert into public.coachs (id, name, email, timezone) values ($1, $2, $3, 'Europe/Paris')`,
            [c.id, `Coach ${c.email.split('@')[0]}`, c.email]);
        await pool.query(`insert into public.leads (coach_id, user_id_instagram, instagram_username, status, created_at)
            values ($1::uuid, $1::text || ':lead', 'lead.digest', 'new', '2026-09-01 10:00Z')`, [c.id]);
    }
});

after(async () => {
    api?.child.kill('SIGTERM');
    await pool.query('delete from public.coachs where id = any($1::uuid[])', [MINE.map((c) => c.id)]);
    await pool.end();
    await new Promise((resolve) => smtp.close(resolve));
});

const send = (body, init = {}) => fetch(`${api.url}/functions/v1/send-digests`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
});
const sendOk = async (body) => {
    const res = await send(body);
    const out = await res.json();
    assert.equal(res.status, 200, JSON.stringify(out));
    return out;
};
const received = (email, week) => inbox.filter((m) => m.to === email && m.message.messageId.includes(`.${week}.`));
const ledger = async (coachId, week) =>
    (await pool.query(`select status, attempts from private.digest_ledger where coach_id = $1 and kind = 'weekly' and period_key = $2`,
        [coachId, week])).rows[0];
/** A header as it was sent (mailparser folds the List-* headers into one structured "list" header). */
const header = (m, name) => m.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ');
/** The URL of a List-Unsubscribe header: "<https://…>". */
const unsubscribeOf = (m) => /^<([^>]+)>$/.exec(header(m, 'list-unsubscribe') ?? '')?.[1];
const mondayOf = async (week) => (await pool.query(`select private.digest_week_start($1)::text as d`, [week])).rows[0].d;

test('a weekly digest: its subject, its numbers as get_dashboard gives them, its links and unsubscribe headers; twice sends nothing more', async () => {
    const week = '2026-W44';
    const monday = await mondayOf(week);
    const out = await sendOk({ coach_id: JULIE_ID, week });
    assert.equal(out.sent.length + out.skipped.length, out.due);
    const [mail] = received('julie@example.com', week);
    assert.ok(mail, `the SMTP server received Julie's digest (${JSON.stringify(out)})`);
    const m = mail.message;
    const { rows: [{ doc }] } = await pool.query(
        `select public.get_dashboard($1, 'range', $2::date, $2::date + 6) as doc`, [JULIE_ID, monday]);
    const n = (v) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(v);
    const leads = doc.activity.new_leads.value;
    const calls = doc.qualification.calls_booked.value;
    assert.equal(m.subject, `Votre semaine du 26 octobre au 1 novembre : ${n(leads)} nouveau${leads > 1 ? 'x' : ''} lead${leads > 1 ? 's' : ''}, `
        + `${n(calls)} call${calls > 1 ? 's' : ''} réservé${calls > 1 ? 's' : ''}${m.subject.endsWith(' · alerte') ? ' · alerte' : ''}`);
    assert.equal(m.from.text, '"Coach Setter" <resume@coach-setter.test>');
    assert.equal(m.to.text, '"Julie Martin" <julie@example.com>');
    assert.equal(m.messageId, `<digest.weekly.${week}.${JULIE_ID}@coach-setter.test>`);
    // the six headline KPIs, as the page shows them, in both parts
    const dm1 = doc.reply_rates.find((r) => r.message_number === 1).rate;
    const one = (v) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(v);
    const money = (v) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: doc.coach.currency, maximumFractionDigits: Number.isInteger(v) ? 0 : 2 }).format(v);
    const expected = [
        `Nouveaux leads : ${n(leads)}`,
        `Réponse au 1er DM : ${dm1.value == null ? '—' : dm1.low_sample ? 'pas assez de données' : `${one(dm1.value)} %`}`,
        `Calls réservés : ${n(calls)}`,
        `Deals conclus : ${n(doc.performance.deals_closed.value)}`,
        `Chiffre d’affaires : ${money(doc.performance.revenue.value)}`,
    ];
    for (const line of expected) {
        assert.ok(m.text.includes(`- ${line}`), `text part: ${line}\n${m.text}`);
        const [label, value] = line.split(' : ');
        assert.ok(m.html.includes(`>${label}</div>`) && m.html.includes(`>${value}</div>`), `HTML: ${line}`);
    }
    const change = doc.activity.new_leads;
    if (change.comparable && change.change_pct != null) {
        const pct = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(change.change_pct / 100);
        assert.ok(m.text.includes(`Nouveaux leads : ${n(leads)} (${pct} vs semaine précédente)`), 'the change vs the week before');
    } else {
        assert.ok(m.text.includes(`Nouveaux leads : ${n(leads)} (vs semaine précédente : comparaison non significative)`));
    }
    // the five most urgent leads to follow up, with their Instagram links
    for (const f of doc.pipeline.follow_up.slice(0, 5).filter((x) => x.instagram_username)) {
        assert.ok(m.html.includes(`href="https://ig.me/m/${encodeURIComponent(f.instagram_username)}"`), `conversation of ${f.instagram_username}`);
        assert.ok(m.html.includes(`href="https://www.instagram.com/${encodeURIComponent(f.instagram_username)}/"`), `profile of ${f.instagram_username}`);
    }
    assert.equal((m.html.match(/href="https:\/\/ig\.me\/m\//g) ?? []).length, Math.min(5, doc.pipeline.follow_up.filter((x) => x.instagram_username).length));
    // its alerts (get_alerts), the dashboard, the unsubscribe link and headers
    const { rows: alerts } = await pool.query('select message from public.get_alerts($1)', [JULIE_ID]);
    for (const a of alerts) assert.ok(m.text.includes(a.message), `alert: ${a.message}`);
    assert.ok(m.html.includes(`href="${APP_URL}/dashboard?periode=7j"`), 'a link to the dashboard');
    const unsubscribe = unsubscribeOf(m);
    assert.match(unsubscribe ?? '', new RegExp(`^${api.url}/functions/v1/digest-unsubscribe\\?coach=${JULIE_ID}&token=[A-Za-z0-9_-]{43}$`),
        'List-Unsubscribe: <the one-click URL> (RFC 2369, 8058)');
    assert.equal(header(m, 'list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
    assert.ok(m.html.includes(`href="${unsubscribe.replace(/&/g, '&amp;')}"`) && m.text.includes(unsubscribe), 'the same link in the body');
    assert.match(m.html, /^<!DOCTYPE html>/);
    assert.ok(!/<(style|script|link)\b/i.test(m.html), 'inline styles only (Gmail and Outlook drop <style> and scripts)');
    assert.deepEqual(await ledger(JULIE_ID, week), { status: 'sent', attempts: 1 });

    const again = await sendOk({ coach_id: JULIE_ID, week });
    assert.deepEqual(again, { due: 0, sent: [], skipped: [], failed: [] }, 'nothing the second time');
    assert.equal(received('julie@example.com', week).length, 1);
});

test('two runs at once send each digest once', async () => {
    const week = '2026-W43';
    const [a, b] = await Promise.all([sendOk({ week }), sendOk({ week })]);
    const sent = [...a.sent, ...b.sent].map((s) => s.coach_id).sort();
    assert.equal(new Set(sent).size, sent.length, 'no coach in both runs');
    const { rows } = await pool.query(`select coach_id::text from private.digest_ledger where kind = 'weekly' and period_key = $1 and status = 'sent'`, [week]);
    assert.deepEqual(sent, rows.map((r) => r.coach_id).sort(), 'what the two runs say they sent is the ledger');
    for (const c of MINE) assert.equal(received(c.email, week).length, 1, `${c.email}: one email`);
    assert.equal(inbox.filter((x) => x.message.messageId.includes(`.${week}.`)).length, sent.length, 'one email per coach');
});

test('a retry after the caller timed out does not send it again', async () => {
    const week = '2026-W42';
    hold.set('karim@example.com', 3000);
    try {
        const first = send({ coach_id: KARIM_ID, week }, { signal: AbortSignal.timeout(1000) });
        await assert.rejects(first, /TimeoutError|aborted/i, 'the caller gives up after 1 s (as pg_net after its timeout)');
        const retry = await sendOk({ coach_id: KARIM_ID, week });
        assert.equal(retry.sent.length, 0, `the retry sends nothing while the first run holds the digest (${JSON.stringify(retry)})`);
        for (let i = 0; i < 100 && (await ledger(KARIM_ID, week))?.status !== 'sent'; i++) await sleep(100);
        assert.deepEqual(await ledger(KARIM_ID, week), { status: 'sent', attempts: 1 }, 'the first run, still going, sent it');
        assert.deepEqual(await sendOk({ coach_id: KARIM_ID, week }), { due: 0, sent: [], skipped: [], failed: [] });
        assert.equal(received('karim@example.com', week).length, 1);
    } finally {
        hold.delete('karim@example.com');
    }
});

/** The Deno processes of the test's API that serve a function. */
function denoOf(name) {
    const out = [];
    for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
            const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
            const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
            if (parent === api.child.pid && cmd.includes(`/${name}/index.ts`)) out.push(Number(entry));
        } catch { /* gone meanwhile */ }
    }
    return out;
}

test('a run killed in the middle: what it sent stays sent, the rest goes with the next runs, each once', async () => {
    const week = '2026-W41';
    const [one, two, three] = MINE;
    hold.set(two.email, 'hang');
    const killed = send({ week }).catch((e) => e);
    try {
        for (let i = 0; i < 300 && (await ledger(two.id, week))?.status !== 'claimed'; i++) await sleep(100);
        assert.equal((await ledger(two.id, week))?.status, 'claimed', 'the run got to the second coach and waits for the SMTP server');
        const deno = denoOf('send-digests');
        assert.equal(deno.length, 1, 'send-digests runs under Deno');
        process.kill(deno[0], 'SIGKILL');
        await killed;
    } finally {
        hold.delete(two.email);
    }
    assert.deepEqual(await ledger(one.id, week), { status: 'sent', attempts: 1 }, 'the first coach was sent before the crash');
    assert.equal(await ledger(three.id, week), undefined, 'the third was never claimed');
    assert.equal(received(two.email, week).length, 0, 'the second was not sent');

    const next = await sendOk({ week });
    assert.deepEqual(next.sent.map((s) => s.coach_id).filter((id) => MINE.some((c) => c.id === id)), [three.id],
        'the next run sends the third; the second is still held by the dead run\'s lease');
    await pool.query(`update private.digest_ledger set lease_until = now() - interval '1 second' where coach_id = $1 and period_key = $2`,
        [two.id, week]); // its 10 minutes have passed
    const later = await sendOk({ week });
    assert.deepEqual(later.sent.map((s) => s.coach_id), [two.id], 'once the lease ran out, the next run sends the second');
    assert.deepEqual(await ledger(two.id, week), { status: 'sent', attempts: 2 });
    assert.deepEqual(await sendOk({ week }), { due: 0, sent: [], skipped: [], failed: [] });
    for (const c of MINE) assert.equal(received(c.email, week).length, 1, `${c.email}: exactly one email`);
});

test('the one-click unsubscribe link turns both digests off; a forged one is refused', async () => {
    const [one] = MINE;
    const [mail] = received(one.email, '2026-W41');
    const url = unsubscribeOf(mail.message);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Ne plus recevoir les résumés \?[\s\S]*<form method="post"/);
    assert.equal((await pool.query('select private.notification_settings($1) ->> $2 as v', [one.id, 'digest_weekly'])).rows[0].v, 'true',
        'opening the link changes nothing (mail scanners open links)');
    const forged = await fetch(url.replace(/token=[^&]+/, `token=${'A'.repeat(43)}`), {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(forged.status, 400);
    assert.equal((await forged.json()).error, 'invalid_link');
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { unsubscribed: true });
    const { rows: [s] } = await pool.query('select private.notification_settings($1) as s', [one.id]);
    assert.deepEqual([s.s.digest_weekly, s.s.digest_daily], [false, false]);
    assert.deepEqual(await sendOk({ coach_id: one.id, week: '2026-W40' }), { due: 0, sent: [], skipped: [], failed: [] },
        'no digest for a coach who unsubscribed');
});

test('refusals: JSON errors with their status', async () => {
    const anon = await fetch(`${api.url}/functions/v1/send-digests`, { method: 'POST', headers: { Authorization: `Bearer ${process.env.ANON_KEY ?? ''}x` } });
    assert.equal(anon.status, 401, 'no valid JWT: the gateway refuses');
    const { LOCAL_ANON_KEY } = await import('../../local-supabase/api/jwt.js');
    const asAnon = await fetch(`${api.url}/functions/v1/send-digests`, { method: 'POST', headers: { Authorization: `Bearer ${LOCAL_ANON_KEY}` }, body: '{}' });
    assert.equal(asAnon.status, 403);
    assert.equal((await asAnon.json()).error, 'forbidden');
    for (const [body, message] of [
        [{ week: '2026-49' }, 'week must be an ISO week YYYY-Www (e.g. 2026-W49)'],
        [{ coach_id: 'julie' }, 'coach_id must be a coach id (uuid)'],
        [{ when: 'now' }, 'unknown field when (expected coach_id, week)'],
        [{ week: '2025-W53' }, 'invalid parameter "week": 2025 has no week 53'],
    ]) {
        const res = await send(body);
        assert.equal(res.status, 400);
        assert.deepEqual(await res.json(), { error: 'invalid_payload', message });
    }
    const get = await fetch(`${api.url}/functions/v1/send-digests`, { headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}` } });
    assert.equal(get.status, 405);
});
