// docs/n8n.md is executable: every ```bash block of it runs (after the setup block) against the local API
// (local-supabase/api/server.js, started here on port 54378 over DATABASE_URL), and its `# expect: <status>` is checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { serve } from '@hono/node-server';
import pg from 'pg';
import { createApi } from '../../local-supabase/api/server.js';

const url = process.env.DATABASE_URL;
const PORT = Number(process.env.DOCS_API_PORT ?? 54378);
const doc = readFileSync(new URL('../../docs/n8n.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
let api;
let server;
let db;

const cleanup = () => db.query(`delete from public.leads where user_id_instagram = 'ig_doc_demo'`);

before(async () => {
  assert.ok(url, 'DATABASE_URL is set by scripts/test.sh');
  db = new pg.Client({ connectionString: url });
  await db.connect();
  await cleanup();
  api = await createApi({ ...process.env, API_PORT: String(PORT), FUNCTIONS_WARM: '0' });
  await new Promise((resolve) => { server = serve({ fetch: api.app.fetch, port: PORT, hostname: '127.0.0.1' }, resolve); });
});

after(async () => {
  await cleanup();
  await db.end();
  server?.close();
  await api?.close();
});

test('the curl commands of docs/n8n.md answer what the doc says', async () => {
  const [setup, ...calls] = blocks;
  assert.match(setup, /export SUPABASE_URL=/, 'the first bash block sets up the environment');
  assert.ok(calls.length >= 5, 'the doc has a curl per call and error');
  for (const call of calls) {
    const expected = call.match(/# expect: (\d{3})/)?.[1];
    assert.ok(expected, `every curl block states its status:\n${call}`);
    const script = `set -euo pipefail\n${setup}\n${call.replace(/\n$/, '')} -o /tmp/n8n-docs-body-$$ -w '%{http_code}'; echo; cat /tmp/n8n-docs-body-$$; rm -f /tmp/n8n-docs-body-$$`;
    // run the script without holding the event loop: the API answers from this very process
    const output = await new Promise((resolve, reject) => {
      execFile('bash', ['-c', script], { env: { ...process.env, SUPABASE_URL: `http://127.0.0.1:${PORT}` } },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
    });
    const [status, ...body] = output.split('\n');
    assert.equal(status, expected, `${call}\nanswered: ${body.join('\n')}`);
    if (call.includes('"status": "maybe"')) assert.match(body.join('\n'), /invalid field \\?"status\\?"/);
    if (call.includes('"direction": "sideways"')) assert.match(body.join('\n'), /payloads\[1\]: invalid field \\?"direction\\?"/);
    if (call.includes('"payloads"') && expected === '200') {
      const answer = JSON.parse(body.join('\n'));
      assert.deepEqual([answer.received, answer.inserted, answer.messages.map((m) => m.inserted)], [2, 2, [true, true]], 'the batch answer');
    }
  }
  const lead = (await db.query(
    `select status, first_name, total_messages_sent, total_messages_received from public.leads where user_id_instagram = 'ig_doc_demo'`)).rows[0];
  assert.deepEqual(lead, { status: 'qualified', first_name: 'Emma', total_messages_sent: 3, total_messages_received: 1 },
    'the doc\'s calls wrote the lead, and the refused batch wrote nothing');
  const dm1 = (await db.query(`select m.variant from public.messages as m join public.leads as l on l.id = m.lead_id
    where l.user_id_instagram = 'ig_doc_demo' and m.message_number = 1`)).rows[0];
  assert.deepEqual(dm1, { variant: 'Compliment profil' }, 'the DM sent with a variant is the lead\'s DM 1, with it');
});

