// The local stand-in of pg_net and Vault (local-supabase/platform.sql, local-supabase/api/pg-net.js): net.http_post
// queues a request that is sent after its transaction commits (never when it rolls back), its answer lands in
// net._http_response (status, headers, body; timed_out past timeout_milliseconds; error_msg when nothing answers);
// and the command of the send-digests pg_cron job, as the migration scheduled it, posts to the project URL's
// /functions/v1/send-digests with the service role key read from Vault. Against a local HTTP server, never the network.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import pg from 'pg';
import { startPgNetWorker } from '../../local-supabase/api/pg-net.js';

const url = process.env.DATABASE_URL;
const pool = new pg.Pool({ connectionString: url, max: 2 });
const seen = []; // { method, path, headers, body }
let server;
let base;
let worker;

before(async () => {
    assert.ok(url, 'DATABASE_URL is set by scripts/test.sh');
    server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => { body += c; });
        req.on('end', () => {
            seen.push({ method: req.method, path: req.url, headers: req.headers, body });
            if (req.url.startsWith('/slow')) return; // never answers
            res.writeHead(201, { 'Content-Type': 'application/json', 'X-Test': 'yes' });
            res.end(JSON.stringify({ ok: true, path: req.url }));
        });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${server.address().port}`;
    worker = startPgNetWorker({ databaseUrl: url, log: () => {}, pollMs: 200 });
});

after(async () => {
    await worker?.stop();
    await pool.query(`delete from vault.secrets where description = 'tests/db/pg-net.test.js'`);
    await pool.end();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
});

/** Waits for the answer of a request id. */
async function response(id, ms = 10_000) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
        const { rows: [r] } = await pool.query('select status_code, content_type, headers, content, timed_out, error_msg from net._http_response where id = $1', [id]);
        if (r) return r;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`no answer for request ${id}`);
}

test('net.http_post sends after commit, with its body, params and headers, and stores the answer', async () => {
    const { rows: [{ id }] } = await pool.query(
        `select net.http_post($1, '{"a": 1}'::jsonb, '{"q": "x"}'::jsonb, '{"Content-Type": "application/json", "Authorization": "Bearer k"}'::jsonb) as id`,
        [`${base}/hook`]);
    const r = await response(id);
    assert.equal(r.status_code, 201);
    assert.equal(r.content_type, 'application/json');
    assert.equal(r.headers['x-test'], 'yes');
    assert.deepEqual(JSON.parse(r.content), { ok: true, path: '/hook?q=x' });
    assert.equal(r.timed_out, false);
    const got = seen.find((s) => s.path === '/hook?q=x');
    assert.equal(got.method, 'POST');
    assert.deepEqual(JSON.parse(got.body), { a: 1 });
    assert.equal(got.headers.authorization, 'Bearer k');
    assert.equal((await pool.query('select count(*)::int as n from net.http_request_queue where id = $1', [id])).rows[0].n, 0, 'taken off the queue');
});

test('a request of a transaction that rolls back is never sent; a slow server times out', async () => {
    const client = await pool.connect();
    try {
        await client.query('begin');
        await client.query(`select net.http_post($1)`, [`${base}/rolled-back`]);
        await client.query('rollback');
    } finally {
        client.release();
    }
    const { rows: [{ id }] } = await pool.query(`select net.http_get($1, timeout_milliseconds => 300) as id`, [`${base}/slow`]);
    const r = await response(id);
    assert.equal(r.timed_out, true);
    assert.equal(r.status_code, null);
    assert.match(r.error_msg, /Timeout of 300 ms/);
    assert.equal(seen.filter((s) => s.path === '/rolled-back').length, 0);
});

test('the send-digests job of the migration posts to the project URL with the service role key from Vault', async () => {
    const { rows: [job] } = await pool.query(`select schedule, command from cron.job where jobname = 'send-digests'`);
    assert.equal(job.schedule, '*/15 * * * *');
    const client = await pool.connect();
    try {
        await client.query('begin');
        await client.query(`delete from vault.secrets where name in ('project_url', 'service_role_key')`);
        await client.query(`select vault.create_secret($1, 'project_url', 'tests/db/pg-net.test.js'),
            vault.create_secret('the-service-role-key', 'service_role_key', 'tests/db/pg-net.test.js')`, [base]);
        const { rows: [{ request_id: id }] } = await client.query(job.command);
        await client.query('rollback'); // the secrets go; the request with them
        assert.equal(seen.filter((s) => s.path === '/functions/v1/send-digests').length, 0);
        await client.query('begin');
        await client.query(`delete from vault.secrets where name in ('project_url', 'service_role_key')`);
        await client.query(`select vault.create_secret($1, 'project_url', 'tests/db/pg-net.test.js'),
            vault.create_secret('the-service-role-key', 'service_role_key', 'tests/db/pg-net.test.js')`, [base]);
        const { rows: [sent] } = await client.query(job.command);
        await client.query('commit');
        assert.notEqual(sent.request_id, id);
        assert.equal((await response(sent.request_id)).status_code, 201);
    } finally {
        client.release();
    }
    const got = seen.find((s) => s.path === '/functions/v1/send-digests');
    assert.equal(got.method, 'POST');
    assert.equal(got.headers.authorization, 'Bearer the-service-role-key');
    assert.equal(got.headers['content-type'], 'application/json');
    assert.ok(JSON.parse(got.body).scheduled_at, 'the body says when');
});
