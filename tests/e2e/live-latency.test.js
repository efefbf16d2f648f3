// How long a message that n8n delivers takes to show on a dashboard left open (issue #18: < 15 s, p95 over 10 tries),
// in real time on npm test's stack: pg_cron's KPI upkeep (a pass every 5 s) and the page's version check (every
// 5 s). Each try posts a DM of a new lead to ingest_message through the API as n8n does (service role key) and
// measures, from its 200, the time until the "Nouveaux leads" tile shows one more. The ten times
// are reported; the test fails only beyond the target.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOCAL_SERVICE_ROLE_KEY } from '../../local-supabase/api/jwt.js';
import { DESKTOP, createCoachAccount, db, openPage, setUp, signInToDashboard, tearDown } from './helpers.js';

before(setUp);
after(tearDown);

const API_URL = (process.env.API_URL ?? 'http://127.0.0.1:54321').replace(/\/$/, '');
const TRIES = 10;
const TARGET_MS = 15_000;

/** One DM of a new lead, as n8n's ingest_message node sends it. */
async function ingest(coachId, n) {
    const r = await fetch(`${API_URL}/rest/v1/rpc/ingest_message`, {
        method: 'POST',
        headers: { apikey: LOCAL_SERVICE_ROLE_KEY, Authorization: `Bearer ${LOCAL_SERVICE_ROLE_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ payload: {
            coach_id: coachId, user_id_instagram: `ig_latency_${process.pid}_${n}`, external_id: `mc_latency_${process.pid}_${n}`,
            direction: 'in', text: 'Bonjour, je veux me remettre au sport', created_at: new Date().toISOString(),
        } }),
    });
    assert.equal(r.status, 200, `ingest_message: ${await r.text()}`);
}

/** The nearest-rank percentile of a list. */
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1];

test(`a message ingested shows on an open dashboard within ${TARGET_MS / 1000} s (p95 over ${TRIES} tries)`, { timeout: TRIES * 60_000 }, async (t) => {
    const email = `latency-${process.pid}@example.com`;
    const coachId = await createCoachAccount(email, { leads: 2, name: 'Coach Latence' });
    const { context, page } = await openPage(DESKTOP);
    await signInToDashboard(page, email); // 30 days: a lead of now counts whatever the hour (no midnight in between)
    const tile = page.locator('[data-testid=headline] [data-kpi="activity.new_leads"]');
    await tile.waitFor();
    const shown = async () => Number((await tile.innerText()).replace(/\D/g, ''));

    // when the KPI upkeep counted it: the coach's stored documents computed again (what get_dashboard_version reads)
    const computedAt = async () => (await db.query('select max(computed_at) as t from private.kpi_documents where coach_id = $1', [coachId])).rows[0].t?.getTime();
    const times = [];
    const counted = [];
    for (let n = 1; n <= TRIES; n++) {
        const before = await shown();
        const documents = await computedAt();
        await ingest(coachId, n);
        const at = Date.now();
        let countedAt = null;
        while ((await shown()) !== before + 1) {
            assert.ok(Date.now() - at < 60_000, `try ${n}: the new lead never showed (${await shown()} instead of ${before + 1})`);
            if (countedAt == null && (await computedAt()) !== documents) countedAt = Date.now();
            await sleep(100);
        }
        times.push(Date.now() - at);
        counted.push((countedAt ?? Date.now()) - at);
        // the next message arrives at another moment of the upkeep's and the page's cycles
        await sleep(1_000 + 1_700 * n % 5_000);
    }
    const p95 = percentile(times, 95);
    const report = `ingested → visible (ms): ${times.join(', ')}; p50 ${percentile(times, 50)}, p95 ${p95}`
        + ` (of which the upkeep counting it: ${counted.join(', ')})`;
    t.diagnostic(report);
    console.log(`live updates: ${report}`);
    assert.ok(p95 < TARGET_MS, report);
    await context.close();
});
