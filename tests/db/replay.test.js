// Replay of every seed event through the n8n ingestion RPCs (public.ingest_lead / public.ingest_message /
// public.ingest_messages): once in time order into fresh coaches, then twice each in shuffled order from 4 concurrent
// connections into other fresh coaches, one call per event, then again with the messages in batches. Everything the database derives must be equal: lead counters, message numbers, reply flags,
// sequences, status history, and the coach KPI document. The ordered replay must also equal the seed itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';

const url = process.env.DATABASE_URL;
const SEED_COACHES = [
  'c0000000-0000-4000-8000-000000000001',
  'c0000000-0000-4000-8000-000000000002',
  'c0000000-0000-4000-8000-000000000003',
  'c0000000-0000-4000-8000-000000000004',
];
// fresh coaches: ordered replay 0e..., shuffled replay 5e..., batched replay 6e...; Instagram ids are unique across
// coaches, so prefixed
const runs = {
  ordered: { prefix: 'o:', coach: (i) => `0e000000-0000-4000-8000-00000000000${i + 1}` },
  shuffled: { prefix: 's:', coach: (i) => `5e000000-0000-4000-8000-00000000000${i + 1}` },
  batched: { prefix: 'b:', coach: (i) => `6e000000-0000-4000-8000-00000000000${i + 1}` },
};
let admin;

const iso = (d) => (d == null ? undefined : new Date(d).toISOString());
const defined = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

async function dropFreshCoaches() {
  const ids = SEED_COACHES.flatMap((_, i) => Object.values(runs).map((run) => run.coach(i)));
  await admin.query('delete from public.coachs where id = any($1::uuid[])', [ids]);
}

before(async () => {
  assert.ok(url, 'DATABASE_URL is set by scripts/test.sh');
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await dropFreshCoaches();
  for (const run of Object.values(runs)) {
    for (const [i, seedCoach] of SEED_COACHES.entries()) {
      await admin.query(
        `insert into public.coachs (id, name, email, timezone)
         select $1, 'Replay ' || name, $2 || email, timezone from public.coachs where id = $3`,
        [run.coach(i), `replay-${run.prefix[0]}-`, seedCoach],
      );
    }
  }
});

after(async () => {
  await dropFreshCoaches();
  await admin.end();
});

// Every seed event as the payload n8n would send, with its event time (for the ordered delivery).
async function exportSeedEvents() {
  const events = [];
  const leads = (await admin.query(
    `select * from public.leads where coach_id = any($1::uuid[]) order by created_at, id`, [SEED_COACHES])).rows;
  for (const l of leads) {
    const coachIndex = SEED_COACHES.indexOf(l.coach_id);
    events.push({
      kind: 'lead', at: l.created_at.getTime(), order: 0, coachIndex,
      payload: defined({
        user_id_instagram: l.user_id_instagram, contact_id: l.contact_id, instagram_username: l.instagram_username,
        first_name: l.first_name, last_name: l.last_name, email: l.email, age: l.age, gender: l.gender,
        job_title: l.job_title, source: l.source, lost_reason: l.lost_reason,
        deal_value: l.deal_value == null ? undefined : Number(l.deal_value), call_showed: l.call_showed,
        lead_magnet_sent_at: iso(l.lead_magnet_sent_at), time_to_action_minutes: l.time_to_action_minutes,
        created_at: iso(l.created_at),
      }),
    });
  }
  const statusEvents = (await admin.query(
    `select l.coach_id, l.user_id_instagram, e.to_status, e.changed_at
     from public.lead_status_events as e join public.leads as l on l.id = e.lead_id
     where l.coach_id = any($1::uuid[]) order by e.changed_at, e.id`, [SEED_COACHES])).rows;
  for (const e of statusEvents) {
    events.push({
      kind: 'lead', at: e.changed_at.getTime(), order: 1, coachIndex: SEED_COACHES.indexOf(e.coach_id),
      payload: { user_id_instagram: e.user_id_instagram, status: e.to_status, status_changed_at: iso(e.changed_at) },
    });
  }
  const messages = (await admin.query(
    `select m.coach_id, l.user_id_instagram, m.external_id, m.direction, m.text, m.created_at
     from public.messages as m join public.leads as l on l.id = m.lead_id
     where m.coach_id = any($1::uuid[]) order by m.created_at, m.id`, [SEED_COACHES])).rows;
  for (const m of messages) {
    events.push({
      kind: 'message', at: m.created_at.getTime(), order: 2, coachIndex: SEED_COACHES.indexOf(m.coach_id),
      payload: defined({
        user_id_instagram: m.user_id_instagram, external_id: m.external_id, direction: m.direction, text: m.text,
        created_at: iso(m.created_at),
      }),
    });
  }
  return events;
}

function forRun(event, run) {
  return {
    kind: event.kind,
    payload: {
      ...event.payload,
      coach_id: run.coach(event.coachIndex),
      user_id_instagram: run.prefix + event.payload.user_id_instagram,
    },
  };
}

async function deliver(client, { kind, payload }) {
  const fn = kind === 'lead' ? 'public.ingest_lead' : kind === 'batch' ? 'public.ingest_messages' : 'public.ingest_message';
  await client.query(`select ${fn}($1::jsonb)`, [JSON.stringify(payload)]);
}

// The stream of calls when consecutive messages travel together: lead events one by one, runs of messages in
// ingest_messages batches of at most `size` (which may repeat a message, or hold a message and its redelivery).
function batched(calls, size) {
  const out = [];
  for (const call of calls) {
    const last = out[out.length - 1];
    if (call.kind !== 'message') out.push(call);
    else if (last?.kind === 'batch' && last.payload.length < size) last.payload.push(call.payload);
    else out.push({ kind: 'batch', payload: [call.payload] });
  }
  return out;
}

// Each call on one of 4 concurrent connections, round robin.
async function deliverConcurrently(calls) {
  await Promise.all([0, 1, 2, 3].map(async (w) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (let i = w; i < calls.length; i += 4) await deliver(client, calls[i]);
    } finally {
      await client.end();
    }
  }));
}

// The state of one set of coaches, keyed by the seed's Instagram id (prefix removed), comparable across runs.
async function snapshot(coachIds, prefix) {
  const q = async (sql) => (await admin.query(sql, [coachIds, prefix])).rows;
  const strip = `substr(l.user_id_instagram, char_length($2::text) + 1)`;
  return {
    leads: await q(
      `select ${strip} as ig, array_position($1::uuid[], l.coach_id) as coach, l.status, l.status_changed_at, l.created_at,
              l.total_messages_sent, l.total_messages_received, l.last_contact_at, l.first_name, l.last_name, l.email,
              l.age, l.gender, l.job_title, l.source, l.lost_reason, l.deal_value, l.call_showed,
              l.lead_magnet_sent_at, l.time_to_action_minutes, l.contact_id, l.instagram_username
       from public.leads as l where l.coach_id = any($1::uuid[]) order by 1`),
    history: await q(
      `select ${strip} as ig, e.from_status, e.to_status, e.changed_at
       from public.lead_status_events as e join public.leads as l on l.id = e.lead_id
       where l.coach_id = any($1::uuid[]) order by 1, e.changed_at, e.to_status`),
    messages: await q(
      `select ${strip} as ig, m.external_id, m.direction, m.created_at, m.message_number, m.is_replied, m.replied_at, m.text
       from public.messages as m join public.leads as l on l.id = m.lead_id
       where m.coach_id = any($1::uuid[]) order by 1, m.created_at, m.external_id`),
    sequences: await q(
      `select ${strip} as ig, s.msg1_sent_at, s.msg1_replied, s.msg1_replied_at, s.msg2_sent_at, s.msg2_replied,
              s.msg2_replied_at, s.msg3_sent_at, s.msg3_replied, s.msg3_replied_at, s.msg4_sent_at, s.msg4_replied,
              s.msg4_replied_at, s.call_proposed_at, s.call_booked_at
       from public.message_sequences as s join public.leads as l on l.id = s.lead_id
       where s.coach_id = any($1::uuid[]) order by 1`),
  };
}

// The KPI document of a coach: get_dashboard(coach_id) when the KPI engine provides it, else its live KPI view.
// The KPI documents of the given coaches, read in one transaction: one now() for all of them, so the previous period
// of a period ending today is cut at the same instant for every delivery (the stored documents, each cut when its pass
// computed it, are set aside inside the transaction, which is rolled back).
async function kpisAtOnce(coachIds) {
  const fn = (await admin.query(`select to_regproc('public.get_dashboard') is not null as ok`)).rows[0].ok;
  if (!fn) return Promise.all(coachIds.map((id) => kpis(id)));
  await admin.query('begin');
  try {
    if ((await admin.query(`select to_regclass('private.kpi_documents') is not null as ok`)).rows[0].ok) {
      await admin.query('delete from private.kpi_documents where coach_id = any($1::uuid[])', [coachIds]);
    }
    const out = [];
    for (const id of coachIds) out.push(await kpis(id, false));
    return out;
  } finally {
    await admin.query('rollback');
  }
}

async function kpis(coachId, ownTransaction = true) {
  const fn = (await admin.query(`select to_regproc('public.get_dashboard') is not null as ok`)).rows[0].ok;
  if (fn) {
    if (ownTransaction) await admin.query('begin');
    try {
      // as an admin (the fresh coaches have no account), the way PostgREST would run it
      await admin.query(`select set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)`,
        [JSON.stringify({ role: 'authenticated', sub: 'a0000000-0000-4000-8000-000000000001', app_metadata: { role: 'admin' } })]);
      const doc = (await admin.query('select public.get_dashboard($1) as doc', [coachId])).rows[0].doc;
      // the period documents of the KPI engine v2 too, when there are any (get_dashboard(coach_id, period))
      const periods = (await admin.query(`select to_regprocedure('public.get_dashboard(uuid,text,date,date)') is not null as ok`)).rows[0].ok
        ? (await admin.query(`select jsonb_build_object('30d', public.get_dashboard($1, '30d'), 'all', public.get_dashboard($1, 'all')) as d`,
          [coachId])).rows[0].d
        : null;
      return { source: 'get_dashboard', doc: scrub({ ...doc, periods }) };
    } finally {
      if (ownTransaction) await admin.query('rollback');
      else await admin.query(`select set_config('role', 'postgres', true)`);
    }
  }
  const view = (await admin.query(`select to_regclass('private.coach_dashboard_kpis_live') is not null as ok`)).rows[0].ok;
  if (view) {
    const row = (await admin.query('select * from private.coach_dashboard_kpis_live where coach_id = $1', [coachId])).rows[0];
    return { source: 'private.coach_dashboard_kpis_live', doc: scrub(row) };
  }
  return null;
}

// Drops what identifies a run or the moment of reading (ids, refresh times), keeps every number.
function scrub(value) {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value)
      .filter(([k]) => !/^(coach_id|lead_id|id|refreshed_at|last_updated|generated_at|as_of|follow_up_as_of|now|coach|email|name)$/.test(k))
      .map(([k, v]) => [k, scrub(v)]));
  }
  return value;
}

function shuffle(list, seed) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// The seed's 120 days are about 7,000 events (leads, status changes, messages), so about 35,000 calls in all: a few
// minutes on a busy machine.
test('every seed event replayed twice, shuffled, from 4 connections equals one ordered delivery', { timeout: 600_000 }, async () => {
  const events = await exportSeedEvents();
  assert.ok(events.length > 1000, `the seed has events to replay (${events.length})`);

  // 1. once, in time order, one connection
  const ordered = [...events].sort((a, b) => a.at - b.at || a.order - b.order);
  for (const e of ordered) await deliver(admin, forRun(e, runs.ordered));

  // 2. every event twice, shuffled, spread over 4 concurrent connections
  const twice = shuffle([...events, ...events], 20261125);
  await deliverConcurrently(twice.map((e) => forRun(e, runs.shuffled)));

  // 3. the same, the messages in batches: concurrent batches share leads (lock order) and repeat messages
  const calls = batched(shuffle([...events, ...events], 20261126).map((e) => forRun(e, runs.batched)), 150);
  assert.ok(calls.filter((c) => c.kind === 'batch').length > 20, 'the messages travel in many batches');
  await deliverConcurrently(calls);

  const ids = (run) => SEED_COACHES.map((_, i) => run.coach(i));
  const seed = await snapshot(SEED_COACHES, '');
  const once = await snapshot(ids(runs.ordered), runs.ordered.prefix);
  const replayed = await snapshot(ids(runs.shuffled), runs.shuffled.prefix);
  const inBatches = await snapshot(ids(runs.batched), runs.batched.prefix);

  assert.equal(once.leads.length, seed.leads.length, 'every seed lead was delivered');
  assert.equal(once.messages.length, seed.messages.length, 'every seed message was delivered');
  for (const part of ['leads', 'history', 'messages', 'sequences']) {
    assert.deepEqual(once[part], seed[part], `ordered delivery reproduces the seed's ${part}`);
    assert.deepEqual(replayed[part], once[part], `shuffled double delivery equals the ordered one: ${part}`);
    assert.deepEqual(inBatches[part], once[part], `shuffled double delivery in batches equals the ordered one: ${part}`);
  }

});

test('the KPI document of each coach is the same for every delivery', async (t) => {
  // The materialized view holds whatever the pg_cron refresh (every 5 minutes, live in this cluster) saw, maybe in the
  // middle of a delivery: refresh it now so every document is read at the same, final state.
  // The incremental KPI facts drained of every change the deliveries queued first (pg_cron may be half-way through):
  // the view reads them.
  if ((await admin.query(`select to_regprocedure('private.kpi_upkeep(integer,integer)') is not null as ok`)).rows[0].ok) {
    while ((await admin.query('select private.kpi_upkeep() as r')).rows[0].r.queued > 0);
  }
  if ((await admin.query(`select to_regprocedure('private.refresh_dashboard_kpis()') is not null as ok`)).rows[0].ok) {
    await admin.query('select private.refresh_dashboard_kpis()');
  }
  const checks = [];
  for (const [i] of SEED_COACHES.entries()) {
    checks.push(await kpisAtOnce([runs.ordered.coach(i), runs.shuffled.coach(i), runs.batched.coach(i)]));
  }
  if (checks[0][0] === null) {
    t.skip('no KPI document in the database yet (neither public.get_dashboard(uuid) nor private.coach_dashboard_kpis_live)');
    return;
  }
  for (const [i, [a, b, c]] of checks.entries()) {
    assert.ok(a.doc && Object.keys(a.doc).length > 0, `coach ${i + 1}: a KPI document was read from ${a.source}`);
    assert.deepEqual(b.doc, a.doc, `coach ${i + 1}: the KPI document (${a.source}) is the same for both deliveries`);
    assert.deepEqual(c.doc, a.doc, `coach ${i + 1}: the KPI document (${a.source}) is the same delivered in batches`);
  }
});
