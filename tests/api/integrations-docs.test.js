// docs/integrations.md is executable: its bash blocks run as they are written (the first sets up, the others each
// post a signed event with curl) against the local stack's functions (API_URL), for a coach of this test with its
// secrets saved and a lead; each block's `# expect: <status>` is checked, and the events change the coach's dashboard
// after the next upkeep pass: one call booked, one deal won, 1 200 € of revenue.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { API_URL, db } from './helpers.js';

const doc = readFileSync(new URL('../../docs/integrations.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
const pool = db();
const coach = randomUUID();
let lead;
const q = async (text, values = []) => (await pool.query(text, values)).rows;

before(async () => {
    const email = `integrations-${coach}@example.org`;
    await q(`insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
             raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
             values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, '', now(),
             '{"provider": "email", "providers": ["email"]}', '{}', now(), now())`, [coach, email]);
    await q(`insert into public.coachs (id, name, email, timezone) values ($1, 'Docs', $2, 'UTC')`, [coach, email]);
    await q(`insert into private.coach_webhook_secrets (coach_id, stripe_webhook_secret, calendly_signing_key)
             values ($1, 'whsec_test_docs_0123456789', 'calendly-docs-signing-key')`, [coach]);
    [{ id: lead }] = await q(`insert into public.leads (coach_id, user_id_instagram, instagram_username, status, created_at)
        values ($1::uuid, 'ig_docs_' || $1::text, 'docs.lead', 'call_proposed', now() - interval '1 hour') returning id`, [coach]);
});

after(async () => {
    await q('delete from public.coachs where id = $1', [coach]);
    await q('delete from auth.users where id = $1', [coach]);
    await pool.end();
});

const run = (script, env) => new Promise((resolve, reject) => {
    execFile('bash', ['-c', script], { env: { ...process.env, ...env } },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
});

test('the curl commands of docs/integrations.md answer what the doc says, and change the dashboard', async () => {
    const [setup, ...calls] = blocks;
    assert.match(setup, /export SUPABASE_URL=/, 'the first bash block sets up the environment');
    assert.ok(calls.length >= 4);
    // the setup as written, with this test's stack, coach and lead (the values the doc says to put there)
    const prelude = `set -euo pipefail\n${setup}\nexport SUPABASE_URL=${API_URL} COACH_ID=${coach} LEAD_ID=${lead}\n`;
    let state = '';
    for (const call of calls) {
        const expected = call.match(/# expect: (\d{3})/)?.[1];
        assert.ok(expected, `every curl block states its status:\n${call}`);
        // a block may reuse the variables of the one before (the same event again): they run in one shell, in order
        const curl = 'curl -s -o "$OUT" -w "%{http_code}\\n" ';
        state += `${call.replace(/curl -s /g, () => curl)}\necho "@@"; cat "$OUT"; echo; echo "@@@"\n`;
    }
    const output = await run(`OUT=$(mktemp)\n${prelude}${state}rm -f "$OUT"`, {});
    const answers = output.split('@@@\n').filter((s) => s.trim()).map((s) => {
        const [status, body] = s.split('@@\n');
        return { status: status.trim().split('\n').pop(), body: JSON.parse(body) };
    });
    assert.equal(answers.length, calls.length);
    calls.forEach((call, i) => assert.equal(answers[i].status, call.match(/# expect: (\d{3})/)[1], `${call}\nanswered ${JSON.stringify(answers[i].body)}`));
    assert.deepEqual([answers[0].body.status, answers[0].body.lead_id, answers[0].body.matched_by], ['recorded', lead, 'reference']);
    assert.deepEqual([answers[1].body.status, answers[1].body.lead_id], ['recorded', lead]);
    assert.equal(answers[2].body.status, 'duplicate');
    assert.equal(answers[3].body.error, 'signature_invalid');
    assert.equal(answers[4].body.error, 'signature_expired');

    // the dashboard after the next upkeep pass
    for (;;) if ((await q('select private.kpi_upkeep() as u'))[0].u.queued === 0) break;
    const [{ d }] = await q(`select public.get_dashboard($1, 'today') as d`, [coach]);
    assert.equal(d.qualification.calls_booked.value, 1);
    assert.equal(d.performance.deals_closed.value, 1);
    assert.equal(Number(d.performance.revenue.value), 1200);
});
