// What a client sends reaches PostgreSQL exactly, and what is too big or too deep is refused, as Supabase does:
// through supabase-js (the page, n8n's HTTP calls) and curl (the README's examples) against the local stack.
//   - PostgREST hands PostgreSQL the JSON text: an Instagram id sent as the number 17841400000000001 stays that id
//     (JavaScript would make it ...000, and two people one lead); deal_value 1e400 is refused by the database (a
//     JavaScript round trip made it null, stored with a 200);
//   - bodies above the documented caps get 413 (GoTrue's 1 MiB on auth, API_MAX_BODY_BYTES 16 MiB on rest and
//     functions) and JSON nested deeper than 512 levels gets 400 instead of crashing the API.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANON_KEY, API_URL, JULIE_ID, SERVICE_ROLE_KEY, client, db } from './helpers.js';

const pool = db();
const tmp = mkdtempSync(join(tmpdir(), 'api-body-'));
after(async () => {
    await pool.query(`delete from public.leads where user_id_instagram in ('17841400000000001', '17841400000000000', 'ig_exact_big')`);
    await pool.end();
    rmSync(tmp, { recursive: true, force: true });
});

/** curl, as the README's examples call the API: [status, body]. */
function curl(args) {
    return new Promise((resolve, reject) => {
        execFile('curl', ['-sS', '-o', '-', '-w', '\n%{http_code}', ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            if (error) return reject(new Error(`${error.message}\n${stderr}`));
            const cut = stdout.lastIndexOf('\n');
            resolve([Number(stdout.slice(cut + 1)), stdout.slice(0, cut)]);
        });
    });
}

const nested = (depth, leaf = '1') => '['.repeat(depth) + leaf + ']'.repeat(depth);
const stillServes = async () => assert.equal((await client().rpc('health')).data?.database, 'ok', 'the API still answers');

describe('numbers reach PostgreSQL exactly as sent', () => {
    test('two Instagram ids sent as JSON numbers that JavaScript cannot tell apart reach the database apart (and are refused: send ids as strings)', async () => {
        const service = client(SERVICE_ROLE_KEY);
        for (const id of ['17841400000000001', '17841400000000000']) {
            // the body text n8n sends, with the id as a bare JSON number (supabase-js would send a JS number rounded)
            const res = await fetch(`${API_URL}/rest/v1/rpc/ingest_lead`, {
                method: 'POST',
                headers: { apikey: SERVICE_ROLE_KEY, Authorization: `Bearer ${SERVICE_ROLE_KEY}`, 'Content-Type': 'application/json' },
                body: `{"payload": {"coach_id": "${JULIE_ID}", "user_id_instagram": ${id}, "first_name": "Exact"}}`,
            });
            const body = await res.json();
            assert.equal(res.status, 400, JSON.stringify(body));
            assert.equal(body.details, `got ${id}`, 'the database saw the digits as sent, not a rounded neighbour');
            assert.match(body.message, new RegExp(`^invalid field "user_id_instagram": the number ${id} may have been rounded`));
        }
        const { rows } = await pool.query(
            `select user_id_instagram from public.leads where user_id_instagram in ('17841400000000001', '17841400000000000') order by 1`);
        assert.deepEqual(rows, []);
        assert.equal((await service.rpc('health')).error, null);
    });

    test('deal_value 1e400 is refused by the database (400 22023), not stored as null', async () => {
        const res = await fetch(`${API_URL}/rest/v1/rpc/ingest_lead`, {
            method: 'POST',
            headers: { apikey: SERVICE_ROLE_KEY, Authorization: `Bearer ${SERVICE_ROLE_KEY}`, 'Content-Type': 'application/json' },
            body: `{"payload": {"coach_id": "${JULIE_ID}", "user_id_instagram": "ig_exact_big", "deal_value": 1e400}}`,
        });
        const body = await res.json();
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(body.code, '22023');
        assert.match(body.message, /deal_value/);
        assert.equal((await pool.query(`select count(*)::int as n from public.leads where user_id_instagram = 'ig_exact_big'`)).rows[0].n, 0);
    });

    test('the answer is PostgreSQL\'s JSON text: a bigint beyond 2^53 comes back exact', async () => {
        await pool.query(`create or replace function public.api_test_big() returns jsonb language sql immutable
            as $$ select '{"id": 17841400000000001, "price": 0.10}'::jsonb $$`);
        try {
            const res = await fetch(`${API_URL}/rest/v1/rpc/api_test_big`, { method: 'POST', headers: { apikey: ANON_KEY } });
            assert.equal(await res.text(), '{"id": 17841400000000001, "price": 0.10}');
        } finally {
            await pool.query('drop function public.api_test_big()');
        }
    });
});

describe('body size caps: 413 above them', () => {
    test('rest: a 17 MiB RPC body through supabase-js gets 413 (API_MAX_BODY_BYTES, 16 MiB)', async () => {
        const r = await client(SERVICE_ROLE_KEY).rpc('ingest_messages', { payloads: [{ text: 'x'.repeat(17 * 1024 * 1024) }] });
        assert.equal(r.status, 413);
        assert.match(r.error.message, /too large/);
        await stillServes();
    });

    test('auth: 2 MiB sent to /token with curl gets GoTrue\'s 413 before the body is read', async () => {
        const file = join(tmp, 'big.json');
        writeFileSync(file, JSON.stringify({ email: 'julie@example.com', password: 'p'.repeat(2 * 1024 * 1024) }));
        const [status, body] = await curl(['-X', 'POST', `${API_URL}/auth/v1/token?grant_type=password`, '-H', `apikey: ${ANON_KEY}`,
            '-H', 'Content-Type: application/json', '--data-binary', `@${file}`]);
        assert.equal(status, 413);
        assert.match(body, /too large/i);
        await stillServes();
    });
});

describe('nesting: 400, never a crash', () => {
    test('rest: an argument nested a million levels deep gets 400 PGRST102', async () => {
        const res = await fetch(`${API_URL}/rest/v1/rpc/health`, {
            method: 'POST',
            headers: { apikey: ANON_KEY, 'Content-Type': 'application/json' },
            body: `{"x": ${nested(1_000_000)}}`,
        });
        const body = await res.json();
        assert.equal(res.status, 400);
        assert.equal(body.code, 'PGRST102');
        assert.match(body.message, /nested deeper than 512/);
        await stillServes();
    });

    test('rest: 500 levels are still fine (PostgreSQL parses them)', async () => {
        const r = await fetch(`${API_URL}/rest/v1/rpc/health`, {
            method: 'POST', headers: { apikey: ANON_KEY, 'Content-Type': 'application/json' }, body: `{"x": ${nested(500)}}`,
        });
        assert.equal(r.status, 404, 'health() has no argument x: the body got as far as choosing the function');
        assert.equal((await r.json()).code, 'PGRST202');
    });

    test('auth: a nested email gets 400 bad_json', async () => {
        const file = join(tmp, 'nested.json');
        writeFileSync(file, `{"email": ${nested(100_000, '"a"')}, "password": "x"}`);
        const [status, body] = await curl(['-X', 'POST', `${API_URL}/auth/v1/token?grant_type=password`, '-H', `apikey: ${ANON_KEY}`,
            '-H', 'Content-Type: application/json', '--data-binary', `@${file}`]);
        assert.equal(status, 400);
        assert.equal(JSON.parse(body).error_code, 'bad_json');
        await stillServes();
    });
});
