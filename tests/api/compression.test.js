// The gateway's compression (local-supabase/api/server.js): /rest/v1 and /auth/v1 answer gzipped when the client
// accepts it, as the hosted gateway does in front of PostgREST and GoTrue, and plain otherwise; the functions' answers
// are not touched. Raw HTTP (node:http does not decompress), so the test sees what goes over the wire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { ANON_KEY, API_URL, signedIn } from './helpers.js';

/** @param {string} path @param {Record<string, string>} headers @param {string} [body] */
const raw = (path, headers, body) => new Promise((resolve, reject) => {
    const req = request(new URL(path, API_URL), { method: body == null ? 'GET' : 'POST', headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
});

test('an RPC answer is gzipped when the client accepts gzip, plain otherwise, with the same JSON', async () => {
    const { session } = await signedIn('julie@example.com');
    const headers = { apikey: ANON_KEY, authorization: `Bearer ${session.access_token}`, 'content-type': 'application/json' };
    const plain = await raw('/rest/v1/rpc/get_dashboard', headers, '{}');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    const zipped = await raw('/rest/v1/rpc/get_dashboard', { ...headers, 'accept-encoding': 'gzip, deflate, br' }, '{}');
    assert.equal(zipped.status, 200);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.match(String(zipped.headers.vary), /Accept-Encoding/i);
    assert.match(String(zipped.headers['content-type']), /^application\/json/);
    const doc = JSON.parse(gunzipSync(zipped.body).toString('utf8'));
    assert.deepEqual(Object.keys(doc).sort(), Object.keys(JSON.parse(plain.body.toString('utf8'))).sort());
    assert.ok(zipped.body.length < plain.body.length / 2, `gzipped ${zipped.body.length} bytes, plain ${plain.body.length}`);
    // an error body too (PostgREST's JSON)
    const missing = await raw('/rest/v1/rpc/no_such_function', { ...headers, 'accept-encoding': 'gzip' }, '{}');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['content-encoding'], 'gzip');
    assert.equal(JSON.parse(gunzipSync(missing.body).toString('utf8')).code, 'PGRST202');
});

test('GoTrue answers are gzipped when accepted; the health route is not the gateway\'s', async () => {
    const token = await raw('/auth/v1/token?grant_type=password',
        { apikey: ANON_KEY, 'content-type': 'application/json', 'accept-encoding': 'gzip' },
        JSON.stringify({ email: 'julie@example.com', password: 'coach-demo-2026' }));
    assert.equal(token.status, 200);
    assert.equal(token.headers['content-encoding'], 'gzip');
    assert.ok(JSON.parse(gunzipSync(token.body).toString('utf8')).access_token);
    const health = await raw('/health', { 'accept-encoding': 'gzip' });
    assert.equal(health.headers['content-encoding'], undefined);
});
