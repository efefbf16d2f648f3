// What an n8n operator meets at the API, as n8n sends it: the exact JSON text of an unquoted Instagram id reaches
// PostgreSQL as written (no JSON.parse rounding on the way) and is refused naming the field; 2^53 - 1 is accepted;
// the Supabase API credential's test (GET /rest/v1/ with apikey, Authorization: Bearer and Prefer) answers 200 with
// PostgREST's OpenAPI description; only the apikey header (a "Header Auth" credential) runs as anon.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ANON_KEY, API_URL, JULIE_ID, SERVICE_ROLE_KEY, db } from './helpers.js';

const pool = db();
const IDS = ['17841400000000031', '17841400000000032', '9007199254740991', '9007199254740992'];
const cleanup = () => pool.query('delete from public.leads where user_id_instagram = any($1)', [IDS]);
before(cleanup);
after(async () => {
    await cleanup();
    await pool.end();
});

/** POSTs the body text exactly as given, with the headers n8n's Supabase API credential sends. */
const rpc = (fn, text, headers = { apikey: SERVICE_ROLE_KEY, Authorization: `Bearer ${SERVICE_ROLE_KEY}` }) =>
    fetch(`${API_URL}/rest/v1/rpc/${fn}`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: text });

describe('ids sent as JSON numbers', () => {
    test('an unquoted Instagram id above 2^53 - 1 is refused with its own digits, not a rounded neighbour', async () => {
        const text = `{"payload": {"coach_id": "${JULIE_ID}", "user_id_instagram": 17841400000000031, "external_id": "n8n-api-id-1", "direction": "in", "created_at": "2026-07-01T08:00:00Z"}}`;
        const res = await rpc('ingest_message', text);
        assert.equal(res.status, 400);
        const body = await res.json();
        assert.equal(body.code, '22023');
        assert.equal(body.message, 'invalid field "user_id_instagram": the number 17841400000000031 may have been rounded (JavaScript, so ManyChat and n8n, rounds numbers above 9007199254740991); send the id as a string: put the variable in quotes in ManyChat\'s body ("user_id_instagram": "{{...}}")');
        assert.equal(body.details, 'got 17841400000000031');
        const stored = await pool.query('select count(*)::int as n from public.leads where user_id_instagram = any($1)', [IDS]);
        assert.equal(stored.rows[0].n, 0, 'nothing written, neither the id nor its rounded neighbour');
    });

    test('2^53 - 1 is accepted and stored as its digits; 2^53 is refused; a batch names the element', async () => {
        const ok = await rpc('ingest_lead', `{"payload": {"coach_id": "${JULIE_ID}", "user_id_instagram": 9007199254740991, "created_at": "2026-07-01T08:00:00Z"}}`);
        assert.equal(ok.status, 200, await ok.clone().text());
        assert.equal((await ok.json()).created, true);
        const lead = await pool.query('select user_id_instagram from public.leads where user_id_instagram = $1', ['9007199254740991']);
        assert.equal(lead.rowCount, 1);
        const refused = await rpc('ingest_lead', `{"payload": {"coach_id": "${JULIE_ID}", "user_id_instagram": 9007199254740992}}`);
        assert.equal(refused.status, 400);
        assert.match((await refused.json()).message, /^invalid field "user_id_instagram": the number 9007199254740992 may have been rounded/);
        const batch = await rpc('ingest_messages', `{"payloads": [{"coach_id": "${JULIE_ID}", "user_id_instagram": "17841400000000032", "external_id": "n8n-api-id-2", "direction": "out", "created_at": "2026-07-01T08:00:00Z"}, {"coach_id": "${JULIE_ID}", "user_id_instagram": "17841400000000032", "external_id": 17841400000000031, "direction": "in", "created_at": "2026-07-01T08:01:00Z"}]}`);
        assert.equal(batch.status, 400);
        assert.match((await batch.json()).message, /^payloads\[1\]: invalid field "external_id": the number 17841400000000031 may have been rounded/);
    });

    test('an event time before 2010 is a 400 like a malformed time', async () => {
        const res = await rpc('ingest_message', `{"payload": {"coach_id": "${JULIE_ID}", "user_id_instagram": "17841400000000031", "external_id": "n8n-api-old", "direction": "in", "created_at": "0001-01-01T00:00:00Z"}}`);
        assert.equal(res.status, 400);
        const body = await res.json();
        assert.equal(body.code, '22023');
        assert.match(body.message, /^invalid field "created_at": is before 2010-01-01T00:00:00Z/);
    });
});

describe('the n8n Supabase API credential', () => {
    test('its test request, GET /rest/v1/ with the service role key, answers PostgREST\'s OpenAPI description', async () => {
        const res = await fetch(`${API_URL}/rest/v1/`, {
            headers: { apikey: SERVICE_ROLE_KEY, Authorization: `Bearer ${SERVICE_ROLE_KEY}`, Prefer: 'return=representation' },
        });
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type'), /^application\/openapi\+json/);
        const doc = await res.json();
        assert.equal(doc.swagger, '2.0');
        assert.deepEqual(doc.paths['/'].get.tags, ['Introspection']);
        const ingest = doc.paths['/rpc/ingest_lead'].post;
        assert.deepEqual(ingest.tags, ['(rpc) ingest_lead']);
        assert.deepEqual(ingest.parameters[0].schema, { type: 'object', required: ['payload'], properties: { payload: { format: 'jsonb' } } });
        assert.match(ingest.summary, /^n8n ingestion/);
        assert.ok(doc.paths['/rpc/ingest_messages'] && doc.paths['/rpc/ingest_message'], 'every ingest RPC is listed');
        assert.equal((await fetch(`${API_URL}/rest/v1`, { headers: { apikey: SERVICE_ROLE_KEY } })).status, 200, 'also without the slash');
    });

    test('the anon key sees only what anon may execute; a wrong key or JWT is refused as the gateway and PostgREST do', async () => {
        const anon = await (await fetch(`${API_URL}/rest/v1/`, { headers: { apikey: ANON_KEY } })).json();
        assert.ok(anon.paths['/rpc/health'], 'health is for anyone');
        assert.equal(anon.paths['/rpc/ingest_lead'], undefined, 'the ingest RPCs are not listed for anon');
        const noKey = await fetch(`${API_URL}/rest/v1/`);
        assert.equal(noKey.status, 401);
        const badJwt = await fetch(`${API_URL}/rest/v1/`, { headers: { apikey: SERVICE_ROLE_KEY, Authorization: 'Bearer not-a-jwt' } });
        assert.equal(badJwt.status, 401);
        assert.equal((await badJwt.json()).code, 'PGRST301');
    });

    test('a credential that sends only the apikey header runs as anon: 401 permission denied', async () => {
        const res = await rpc('ingest_message', `{"payload": {"coach_id": "${JULIE_ID}", "user_id_instagram": "17841400000000031", "external_id": "n8n-api-anon", "direction": "in"}}`,
            { apikey: SERVICE_ROLE_KEY });
        assert.equal(res.status, 401);
        const body = await res.json();
        assert.deepEqual([body.code, body.message], ['42501', 'permission denied for function ingest_message']);
    });
});
