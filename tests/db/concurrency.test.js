// Concurrent writers on the same lead never lose a count: several connections insert messages for one lead at once,
// in separate transactions, out of order; the derived columns must equal a from-scratch computation in JS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';

const url = process.env.DATABASE_URL;
const coachId = '0c0c0c0c-0000-4000-8000-00000000c0c0';
const leadId = '0c0c0c0c-0000-4000-8000-0000000011d0';
let admin;

before(async () => {
  assert.ok(url, 'DATABASE_URL is set by scripts/test.sh');
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('delete from public.coachs where id = $1', [coachId]);
  await admin.query(`insert into public.coachs (id, name, email) values ($1, 'Concurrency', 'concurrency@example.com')`, [coachId]);
  await admin.query(`insert into public.leads (id, coach_id, user_id_instagram) values ($1, $2, 'concurrency_ig')`, [leadId, coachId]);
});

after(async () => {
  await admin.query('delete from public.coachs where id = $1', [coachId]);
  await admin.end();
});

// 4 connections x 10 transactions x 3 messages, timestamps shuffled so deliveries arrive out of order.
function plannedMessages() {
  const base = Date.parse('2026-07-01T08:00:00Z');
  const all = [];
  for (let i = 0; i < 120; i++) {
    all.push({ external_id: `conc-${i}`, direction: i % 3 === 1 ? 'in' : 'out', created_at: new Date(base + i * 60_000).toISOString() });
  }
  // deterministic shuffle
  let seed = 7;
  for (let i = all.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all;
}

test('four connections inserting messages for the same lead lose nothing', { timeout: 60_000 }, async () => {
  const messages = plannedMessages();
  const workers = [0, 1, 2, 3].map(async (w) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const mine = messages.filter((_, i) => i % 4 === w);
      for (let t = 0; t < mine.length; t += 3) {
        const batch = mine.slice(t, t + 3);
        await client.query('begin');
        for (const m of batch) {
          await client.query(
            `insert into public.messages (lead_id, coach_id, external_id, direction, text, created_at)
             values ($1, $2, $3, $4, 'concurrent', $5)`,
            [leadId, coachId, m.external_id, m.direction, m.created_at],
          );
        }
        await client.query('commit');
      }
    } finally {
      await client.end();
    }
  });
  await Promise.all(workers);

  const sorted = [...messages].sort((a, b) => a.created_at.localeCompare(b.created_at));
  const outbound = sorted.filter((m) => m.direction === 'out');
  const expected = new Map();
  outbound.forEach((m, i) => {
    const next = outbound[i + 1]?.created_at;
    const reply = sorted.find((x) => x.direction === 'in' && x.created_at > m.created_at && (!next || x.created_at < next));
    expected.set(m.external_id, { number: i + 1, replied: Boolean(reply) });
  });

  const lead = (await admin.query(
    'select total_messages_sent, total_messages_received, last_contact_at from public.leads where id = $1', [leadId])).rows[0];
  assert.equal(lead.total_messages_sent, outbound.length);
  assert.equal(lead.total_messages_received, messages.length - outbound.length);
  assert.equal(lead.last_contact_at.toISOString(), sorted.at(-1).created_at);

  const rows = (await admin.query(
    `select external_id, message_number, is_replied from public.messages where lead_id = $1 and direction = 'out'`, [leadId])).rows;
  assert.equal(rows.length, outbound.length);
  for (const row of rows) {
    assert.deepEqual({ number: row.message_number, replied: row.is_replied }, expected.get(row.external_id), row.external_id);
  }

  const seq = (await admin.query(
    'select msg1_replied, msg2_replied, msg3_replied, msg4_replied, msg4_sent_at from public.message_sequences where lead_id = $1', [leadId])).rows[0];
  assert.deepEqual(
    [seq.msg1_replied, seq.msg2_replied, seq.msg3_replied, seq.msg4_replied],
    outbound.slice(0, 4).map((m) => expected.get(m.external_id).replied),
  );
  assert.equal(seq.msg4_sent_at.toISOString(), outbound[3].created_at);
});
