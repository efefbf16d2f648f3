// The KPI upkeep as pg_cron runs it, outside a test transaction: private.kpi_upkeep_loop() commits a pass at a time
// (a procedure, CALLed at top level), so messages n8n committed show in the period documents without anybody calling
// the upkeep; and the pg_cron job that runs it every minute does not fail. The coach lives where it is about noon at
// the time of the run (tests.midday_timezone() of supabase/tests/helpers/auth.psql, created in a rolled-back
// transaction), so the DMs sent a few seconds ago are "today" for them at any time of day (for a Paris coach, not just
// after midnight in Paris).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import pg from 'pg';

const url = process.env.DATABASE_URL;
const coachId = '0c0c0c0c-0000-4000-8000-00000000f7e5';
let admin;

before(async () => {
  assert.ok(url, 'DATABASE_URL is set by scripts/test.sh');
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('delete from public.coachs where id = $1', [coachId]);
  const helpers = readFileSync(new URL('../../supabase/tests/helpers/auth.psql', import.meta.url), 'utf8');
  await admin.query('begin');
  let tz;
  try {
    await admin.query(helpers);
    tz = (await admin.query('select tests.midday_timezone() as tz')).rows[0].tz;
  } finally {
    await admin.query('rollback');
  }
  await admin.query(`insert into public.coachs (id, name, email, timezone) values ($1, 'Upkeep', 'upkeep@example.com', $2)`, [coachId, tz]);
});

after(async () => {
  await admin.query('delete from public.coachs where id = $1', [coachId]);
  await admin.end();
});

const sentToday = async () =>
  Number((await admin.query(`select public.get_dashboard($1, 'today') #>> '{activity,messages_sent,value}' as n`, [coachId])).rows[0].n);

test('committed messages show in the period document after the upkeep loop, one pass per transaction', async () => {
  const n8n = new pg.Client({ connectionString: url });
  await n8n.connect();
  try {
    await n8n.query(`set role service_role`);
    const now = Date.now();
    const batch = [0, 1, 2, 3].map((i) => ({
      coach_id: coachId, user_id_instagram: `upkeep_lead_${i % 2}`, external_id: `upkeep_${i}`, direction: 'out',
      text: 'bench', created_at: new Date(now - (4 - i) * 1000).toISOString(),
    }));
    await n8n.query('select public.ingest_messages($1::jsonb)', [JSON.stringify(batch)]);
  } finally {
    await n8n.end();
  }
  // a pg_cron run of the job in between may already have counted them; the loop below settles it either way
  const loop = new pg.Client({ connectionString: url });
  await loop.connect();
  try {
    await loop.query('call private.kpi_upkeep_loop(1, 0.2)');
  } finally {
    await loop.end();
  }
  assert.equal(await sentToday(), 4, 'the 4 DMs are counted today');
  const state = (await admin.query('select last_pass_at > now() - interval \'1 minute\' as recent from private.kpi_upkeep_state')).rows[0];
  assert.ok(state.recent, 'the loop committed its passes (last_pass_at moved)');
  const queued = (await admin.query(`select count(*)::int as n from private.kpi_dirty_leads as q
    join public.leads as l on l.id = q.lead_id where l.coach_id = $1`, [coachId])).rows[0].n;
  assert.equal(queued, 0, 'nothing of the coach left in the queue');
});

test('the pg_cron upkeep job runs without failing', { timeout: 90_000 }, async () => {
  // the job starts every minute; wait for a run to exist (npm test has been running for a while by now)
  const deadline = Date.now() + 75_000;
  let runs = [];
  while (Date.now() < deadline) {
    runs = (await admin.query(`select d.status, d.return_message from cron.job_run_details as d
      join cron.job as j on j.jobid = d.jobid where j.jobname = 'kpi-upkeep' order by d.start_time`)).rows;
    if (runs.length > 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.ok(runs.length > 0, 'pg_cron started the kpi-upkeep job');
  const failed = runs.filter((r) => r.status === 'failed');
  assert.deepEqual(failed, [], 'no failed run');
});
