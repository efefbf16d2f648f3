// The local stack survives faults: an API process of its own (local-supabase/api/server.js) over the test database.
//   - PostgreSQL restarted in the middle of a bounded load (n8n-like ingest_messages batches and health calls): the
//     API never crashes, answers 503 JSON while the database is away (no internal address in it), answers 2xx again
//     within 10 s of the database being back, and every batch it acknowledged with a 2xx is stored exactly once;
//   - the Deno processes of the edge functions end with the API, even when it is killed (kill -9).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { ANON_KEY, DATABASE_URL, JULIE_ID, ROOT, SERVICE_ROLE_KEY, sleep, startApiProcess } from './helpers.js';

const db = (...args) => spawnSync('bash', [join(ROOT, 'scripts/db.sh'), ...args], {
    env: { ...process.env, DB_NAME: 'postgres' }, encoding: 'utf8',
});

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const RUN = `res-${Date.now().toString(36)}`;
let api;
before(async () => {
    assert.ok(process.env.DB_DIR && process.env.DB_PORT, 'scripts/test.sh exports DB_DIR and DB_PORT (the cluster to restart)');
    api = await startApiProcess();
});
after(async () => {
    if (api?.child.exitCode === null) api.child.kill('SIGTERM');
    if (db('status').stdout.trim() !== 'running') db('start');
    await pool.query(`delete from public.leads where user_id_instagram like $1`, [`${RUN}%`]).catch(() => {});
    await pool.end().catch(() => {});
});

test('a PostgreSQL restart under load: no crash, 503 JSON while it is down, recovery within 10 s, acknowledged batches stored once', async (t) => {
    const acknowledged = [];
    const answers = []; // { status, body } of every answer that was not a 2xx
    let stop = false;
    let requests = 0;

    const call = async (fn, body, key) => {
        requests++;
        let res;
        try {
            res = await fetch(`${api.url}/rest/v1/rpc/${fn}`, {
                method: 'POST',
                headers: { apikey: key, Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
                body: JSON.stringify(body),
                signal: AbortSignal.timeout(15_000),
            });
        } catch (e) {
            answers.push({ status: 0, body: String(e.cause?.code ?? e.message) }); // no answer at all: the API is gone
            return 0;
        }
        const text = await res.text();
        if (res.status >= 300) answers.push({ status: res.status, body: text, type: res.headers.get('content-type') });
        return res.status;
    };

    // n8n-like writers, one lead each, bounded in count, plus the load balancer's health calls
    const writer = async (w) => {
        for (let batch = 0; !stop && batch < 400; batch++) {
            const ids = [0, 1, 2].map((k) => `${RUN}-${w}-${batch}-${k}`);
            const payloads = ids.map((id, k) => ({
                coach_id: JULIE_ID, user_id_instagram: `${RUN}-lead-${w}`, external_id: id, direction: k % 2 ? 'in' : 'out',
                text: `message ${id}`, created_at: new Date(Date.UTC(2026, 10, 1, 8, 0, batch * 3 + k)).toISOString(),
            }));
            if ((await call('ingest_messages', { payloads }, SERVICE_ROLE_KEY)) === 200) acknowledged.push(...ids);
            await sleep(20);
        }
    };
    const prober = async () => {
        while (!stop) {
            await call('health', {}, ANON_KEY);
            await sleep(50);
        }
    };
    const load = [writer(1), writer(2), writer(3), prober()];

    await sleep(1000);
    const down = db('stop');
    assert.equal(down.status, 0, down.stderr);
    await sleep(1500); // the database is away: the API must answer for itself
    const during = answers.length;
    const up = db('start');
    assert.equal(up.status, 0, up.stderr);
    const back = Date.now();
    let recoveredAfter = null;
    while (Date.now() - back < 10_000) {
        const res = await fetch(`${api.url}/rest/v1/rpc/health`, { method: 'POST', headers: { apikey: ANON_KEY } }).catch(() => null);
        if (res?.status === 200) {
            recoveredAfter = Date.now() - back;
            break;
        }
        await sleep(200);
    }
    await sleep(1000);
    stop = true;
    await Promise.all(load);

    t.diagnostic(`${requests} requests, ${answers.length} answered 503, ${acknowledged.length} messages acknowledged, 2xx again ${recoveredAfter} ms after the restart`);
    assert.equal(api.child.exitCode, null, `the API is still running:\n${api.log()}`);
    assert.ok(recoveredAfter !== null, `2xx again within 10 s of the database being back:\n${api.log().slice(-2000)}`);
    assert.ok(during > 0, 'requests made while the database was down got answers');
    for (const a of answers) {
        assert.equal(a.status, 503, `while the database restarts, only 503s: ${JSON.stringify(a)}`);
        assert.match(a.type ?? '', /application\/json/);
        const body = JSON.parse(a.body);
        assert.equal(body.code, 'PGRST000');
        assert.doesNotMatch(a.body, /127\.0\.0\.1|localhost|ECONNREFUSED|:\d{4,5}\b/, 'no internal address in the answer');
    }
    assert.ok(acknowledged.length > 0 && requests > answers.length, `the load got 2xx answers (${acknowledged.length} messages)`);
    const { rows } = await pool.query(
        `select external_id, count(*)::int as n from public.messages where coach_id = $1 and external_id = any($2::text[]) group by 1`,
        [JULIE_ID, acknowledged]);
    assert.equal(rows.length, acknowledged.length, 'every acknowledged message is stored');
    assert.deepEqual(rows.filter((r) => r.n !== 1), [], 'each exactly once');
});

/** The processes whose parent is pid (Linux /proc). */
function childrenOf(pid) {
    const out = [];
    for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
            const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            if (Number(fields[1]) === pid) out.push({ pid: Number(entry), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
        } catch { /* gone meanwhile */ }
    }
    return out;
}

const listening = (port) => new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
});

test('the edge functions\' Deno processes end with the API, even when it is killed with SIGKILL', async () => {
    const res = await fetch(`${api.url}/functions/v1/create-coach`, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:3000' } });
    assert.equal(res.status, 200, 'the preflight booted create-coach');
    const deno = childrenOf(api.child.pid).filter((p) => p.comm === 'deno');
    assert.equal(deno.length, 1, `one Deno child: ${JSON.stringify(childrenOf(api.child.pid))}`);
    const port = Number(/\[fn create-coach\] listening on (\d+)/.exec(api.log())?.[1]);
    assert.ok(await listening(port), 'the function listens');

    api.child.kill('SIGKILL');
    const gone = Date.now();
    while (existsSync(`/proc/${deno[0].pid}`) && Date.now() - gone < 10_000) await sleep(100);
    const zombie = existsSync(`/proc/${deno[0].pid}`) && / Z /.test(readFileSync(`/proc/${deno[0].pid}/stat`, 'utf8'));
    assert.ok(!existsSync(`/proc/${deno[0].pid}`) || zombie, 'the Deno process ended with the API');
    assert.equal(await listening(port), false, 'nothing listens on the function\'s port any more');
});
