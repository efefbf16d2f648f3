// The importable n8n workflows of docs/n8n/ (setter-workflow.json: Webhook -> ingest_lead -> ingest_message;
// batch-workflow.json: Webhook -> ingest_messages) hold to what docs/n8n.md says, and the requests their nodes would
// make work against the local API (local-supabase/api/server.js, started here on a free port over DATABASE_URL):
//   - every HTTP Request node POSTs to /rest/v1/rpc/<function> of a function the API's OpenAPI description lists for
//     the service role, authenticates with the predefined Supabase API credential by its documented name (n8n sends
//     its apikey and Authorization: Bearer headers) and sets no key header of its own, retries, sends JSON;
//   - its body expression, evaluated on the sample ManyChat body (docs/n8n/manychat-body.json, batch-body.json)
//     parsed as n8n's Webhook node parses it (JSON.parse: numbers beyond 2^53 - 1 rounded), reads the webhook with
//     $('Webhook').item.json (never $json, the previous node's answer), builds the RPC's arguments and only fields of
//     its payload;
//   - replayed in the workflow's order with the credential's headers, the requests record the lead and the DMs exactly
//     (quotes and line breaks of a DM included), and an unquoted Instagram id is refused, not filed under a rounded id.
// The expressions are evaluated as plain JavaScript with $('Webhook') and $now, the subset of n8n's expression
// language they use; the real n8n 2.41.1 ran these files too (docs/n8n.md, "Tried with the real n8n").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import pg from 'pg';
import { createApi } from '../../local-supabase/api/server.js';

const url = process.env.DATABASE_URL;
const read = (name) => readFileSync(new URL(`../../docs/n8n/${name}`, import.meta.url), 'utf8');
const doc = readFileSync(new URL('../../docs/n8n.md', import.meta.url), 'utf8');
const CREDENTIAL = 'Supabase (coach dashboard)';
const HOST = 'https://YOUR-PROJECT-REF.supabase.co';
const COACH_ID = 'c0000000-0000-4000-8000-000000000001'; // Julie, a seed coach
const IDS = ['17841400000000031', '17841400000000032', '17841400000000047'];
let api;
let server;
let base;
let db;
let openapi;

const cleanup = () => db.query('delete from public.leads where user_id_instagram = any($1)', [IDS]);

before(async () => {
    assert.ok(url, 'DATABASE_URL is set by scripts/test.sh');
    db = new pg.Client({ connectionString: url });
    await db.connect();
    await cleanup();
    api = await createApi({ ...process.env, API_PORT: '0', FUNCTIONS_WARM: '0' });
    await new Promise((resolve) => { server = serve({ fetch: api.app.fetch, port: 0, hostname: '127.0.0.1' }, resolve); });
    base = `http://127.0.0.1:${server.address().port}`;
    const res = await fetch(`${base}/rest/v1/`, { headers: credentialHeaders() });
    assert.equal(res.status, 200);
    openapi = await res.json();
});

after(async () => {
    await cleanup();
    await db.end();
    server?.close();
    await api?.close();
});

/** The headers n8n's Supabase API credential adds to a request (docs/n8n.md, "The credential"). */
function credentialHeaders() {
    return { apikey: api.serviceRoleKey, Authorization: `Bearer ${api.serviceRoleKey}` };
}

/** What n8n's Webhook node outputs for a POST with this JSON text to /webhook/<path>?coach_id=… */
const webhookItem = (path, bodyText) => ({
    headers: { 'content-type': 'application/json' },
    params: {},
    query: { coach_id: COACH_ID },
    body: JSON.parse(bodyText), // as n8n parses it: a bare number beyond 2^53 - 1 is rounded here
    webhookUrl: `http://n8n.example/webhook/${path}`,
    executionMode: 'production',
});

/** Evaluates an n8n expression parameter ("={{ … }}") with $('Webhook') and $now. */
function evaluate(parameter, item) {
    const m = /^=\{\{([\s\S]*)\}\}$/.exec(parameter);
    assert.ok(m, `an n8n expression: ${parameter}`);
    const $ = (name) => {
        assert.equal(name, 'Webhook', 'the body reads the webhook node only');
        return { item: { json: item } };
    };
    const $now = { toISO: () => new Date().toISOString() };
    return new Function('$', '$now', `return (${m[1]});`)($, $now);
}

/** The HTTP Request nodes of a workflow in execution order (following main connections from the Webhook). */
function httpNodesInOrder(workflow) {
    const byName = Object.fromEntries(workflow.nodes.map((n) => [n.name, n]));
    const order = [];
    for (let name = 'Webhook'; ;) {
        const next = workflow.connections[name]?.main?.[0]?.[0]?.node;
        if (!next) break;
        order.push(byName[next]);
        name = next;
    }
    assert.equal(order.length, workflow.nodes.length - 1, 'every node is on the one path from the Webhook');
    return order;
}

/** The fields a function's payload knows, as the function itself lists them (the hint of an unknown field). */
async function payloadFields(fn) {
    const single = fn === 'ingest_messages' ? 'ingest_message' : fn;
    const res = await fetch(`${base}/rest/v1/rpc/${single}`, {
        method: 'POST', headers: { ...credentialHeaders(), 'Content-Type': 'application/json' },
        body: JSON.stringify({ payload: { zz_unknown: 1 } }),
    });
    const body = await res.json();
    assert.equal(body.message, 'invalid field "zz_unknown": unknown field');
    return body.hint.replace(/^known fields: /, '').split(', ');
}

/** Checks one workflow file and replays its requests for a sample body; returns the answers. */
async function checkAndReplay(file, sampleText, path) {
    const workflow = JSON.parse(read(file));
    const webhook = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
    assert.equal(webhook.name, 'Webhook');
    assert.deepEqual([webhook.parameters.httpMethod, webhook.parameters.path, webhook.parameters.responseMode], ['POST', path, 'lastNode']);
    assert.ok(doc.includes(`/webhook/${path}?coach_id=`), `docs/n8n.md gives the webhook URL /webhook/${path}?coach_id=…`);
    const item = webhookItem(path, sampleText);
    const answers = [];
    for (const node of httpNodesInOrder(workflow)) {
        const p = node.parameters;
        assert.equal(node.type, 'n8n-nodes-base.httpRequest');
        assert.equal(p.method, 'POST');
        const fn = new RegExp(`^${HOST.replace(/\./g, '\\.')}/rest/v1/rpc/([a-z_]+)$`).exec(p.url)?.[1];
        assert.ok(fn, `${node.name}: the URL is ${HOST}/rest/v1/rpc/<function> (the guide says to replace YOUR-PROJECT-REF)`);
        const described = openapi.paths[`/rpc/${fn}`]?.post;
        assert.ok(described, `${node.name}: ${fn} is a function the service role may call`);
        assert.deepEqual([p.authentication, p.nodeCredentialType], ['predefinedCredentialType', 'supabaseApi']);
        assert.equal(node.credentials?.supabaseApi?.name, CREDENTIAL, `${node.name}: the credential by its documented name`);
        assert.ok(!p.sendHeaders && !JSON.stringify(p).match(/apikey|authorization|eyJ/i), `${node.name}: no key in the workflow`);
        assert.deepEqual([p.sendBody, p.specifyBody, p.contentType ?? 'json'], [true, 'json', 'json']);
        assert.deepEqual([node.retryOnFail, node.maxTries, node.waitBetweenTries], [true, 3, 1000], `${node.name}: Settings → Retry On Fail`);
        assert.ok(!p.jsonBody.includes('$json'), `${node.name}: reads $('Webhook').item.json, not $json`);
        assert.match(p.jsonBody, /^=\{\{ JSON\.stringify\(/, `${node.name}: the body is built with JSON.stringify`);

        const text = evaluate(p.jsonBody, item);
        const body = JSON.parse(text);
        assert.deepEqual(Object.keys(body).sort(), Object.keys(described.parameters[0].schema.properties).sort(),
            `${node.name}: the body holds the arguments of ${fn}`);
        const fields = await payloadFields(fn);
        for (const payload of [body.payload ?? body.payloads].flat()) {
            for (const key of Object.keys(payload)) assert.ok(fields.includes(key), `${node.name}: ${key} is a field of ${fn}'s payload`);
        }
        const res = await fetch(`${base}/rest/v1/rpc/${fn}`, {
            method: 'POST', headers: { ...credentialHeaders(), 'Content-Type': 'application/json' }, body: text,
        });
        answers.push({ node: node.name, status: res.status, body: await res.json() });
        if (res.status !== 200) break; // n8n stops the workflow at a failed node
    }
    return answers;
}

test('setter-workflow.json: the sample ManyChat DM records the lead and the DM exactly', async () => {
    const answers = await checkAndReplay('setter-workflow.json', read('manychat-body.json'), 'setter');
    assert.deepEqual(answers.map((a) => [a.node, a.status]), [['ingest_lead', 200], ['ingest_message', 200]], JSON.stringify(answers));
    assert.equal(answers[1].body.inserted, true);
    const sample = JSON.parse(read('manychat-body.json'));
    const { rows: [lead] } = await db.query(
        `select l.contact_id, l.instagram_username, l.first_name, l.last_name, l.source, l.created_at, m.external_id,
                m.direction, m.text, m.created_at as sent_at
         from public.leads as l join public.messages as m on m.lead_id = l.id
         where l.coach_id = $1 and l.user_id_instagram = $2`, [COACH_ID, sample.user_id_instagram]);
    assert.deepEqual(lead, {
        contact_id: sample.contact_id, instagram_username: sample.instagram_username, first_name: sample.first_name,
        last_name: null, source: sample.source, created_at: new Date(sample.created_at), external_id: sample.external_id,
        direction: sample.direction, text: sample.text, sent_at: new Date(sample.created_at),
    });
    assert.match(lead.text, /"10 kg en 3 mois"\n/, 'quotes and the line break of the DM arrive as typed');

    const again = await checkAndReplay('setter-workflow.json', read('manychat-body.json'), 'setter');
    assert.deepEqual(again.map((a) => a.status), [200, 200]);
    assert.equal(again[1].body.inserted, false, 'a replay (n8n retry, ManyChat resend) changes nothing');
});

test('setter-workflow.json: an Instagram id sent unquoted by ManyChat is refused, not filed under a rounded id', async () => {
    const unquoted = read('manychat-body.json').replace('"user_id_instagram": "17841400000000031"', '"user_id_instagram": 17841400000000031')
        .replace('mc-17841400000000031-0001', 'mc-unquoted-0001');
    assert.notEqual(unquoted, read('manychat-body.json'));
    const answers = await checkAndReplay('setter-workflow.json', unquoted, 'setter');
    assert.deepEqual(answers.map((a) => [a.node, a.status]), [['ingest_lead', 400]]);
    assert.equal(answers[0].body.message,
        'invalid field "user_id_instagram": the number 17841400000000032 may have been rounded (JavaScript, so ManyChat and n8n, rounds numbers above 9007199254740991); send the id as a string: put the variable in quotes in ManyChat\'s body ("user_id_instagram": "{{...}}")');
    assert.ok(doc.includes('may have been rounded'), 'docs/n8n.md lists the message');
    const { rows } = await db.query('select 1 from public.leads where user_id_instagram = $1', ['17841400000000032']);
    assert.equal(rows.length, 0);
});

test('batch-workflow.json: the sample batch records every DM in one call', async () => {
    const answers = await checkAndReplay('batch-workflow.json', read('batch-body.json'), 'setter-batch');
    assert.deepEqual(answers.map((a) => [a.node, a.status]), [['ingest_messages', 200]], JSON.stringify(answers));
    const sample = JSON.parse(read('batch-body.json')).messages;
    assert.equal(answers[0].body.received, sample.length);
    const { rows } = await db.query(
        `select m.external_id, l.user_id_instagram, m.direction, m.text, m.created_at from public.messages as m
         join public.leads as l on l.id = m.lead_id where m.coach_id = $1 and m.external_id = any($2) order by m.created_at`,
        [COACH_ID, sample.map((m) => m.external_id)]);
    assert.deepEqual(rows, sample.map((m) => ({ ...m, created_at: new Date(m.created_at) })));
});
