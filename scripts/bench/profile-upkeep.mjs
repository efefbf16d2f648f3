#!/usr/bin/env node
// Profiles one upkeep pass after 1,000 new messages, in the two shapes of npm run bench (6.): A = 100 new leads of the
// first 10 coaches (10 messages each), B = 1,000 existing leads of coach 1 (one message each). The messages are
// ingested as n8n does (public.ingest_messages, batches of 500, as service_role), then one pass
// (private.kpi_upkeep()) runs with track_functions = 'all'; prints the pass and the functions by self time.
//
//   DATABASE_URL=postgresql://… node scripts/bench/profile-upkeep.mjs [--shape A|B] [--coach 1] [--top 25]
//       [--explain <ms>] [--rollback]
//
// The database is one npm run bench generates (scripts/bench/generate.sql: schema bench, coaches numbered 1..N) with
// its facts built (call private.kpi_rebuild_all()). --rollback runs the ingestion and the pass in one transaction
// rolled back (the database stays as it was; the pass then sees the messages as its own transaction's). --coach: the
// coach of shape B. --explain: auto_explain (analyze, buffers, nested statements) of every statement of the pass that
// took at least that many ms, printed after the table.
import pg from 'pg';

const arg = (name, def) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : def;
};
const shape = arg('shape', 'A');
const top = Number(arg('top', '25'));
const rollback = process.argv.includes('--rollback');
const coachN = Number(arg('coach', '1'));
const explain = arg('explain', null);
const n = 1000;

const db = new pg.Client({ connectionString: process.env.DATABASE_URL, application_name: 'profile-upkeep' });
await db.connect();
await db.query("set jit = off; set track_functions = 'all'");

const tag = `prof${Date.now()}`;
const t = Date.now();
let msgs;
if (shape === 'A') {
    const ids = (await db.query('select c.id from bench.coaches as c order by c.n limit 10')).rows.map((r) => r.id);
    msgs = Array.from({ length: n }, (_, i) => {
        const lead = Math.floor(i / 10);
        return { coach_id: ids[lead % ids.length], user_id_instagram: `${tag}_${lead}`, external_id: `${tag}_${lead}_${i % 10}`,
            direction: i % 2 === 0 ? 'out' : 'in', text: 'bench', created_at: new Date(t - (n - i) * 3000).toISOString() };
    });
} else {
    const leads = (await db.query(`select l.coach_id, l.user_id_instagram from public.leads as l
        join bench.coaches as c on c.id = l.coach_id where c.n = $2 order by l.id limit $1`, [n, coachN])).rows;
    msgs = leads.map((l, i) => ({ coach_id: l.coach_id, user_id_instagram: l.user_id_instagram, external_id: `${tag}_${i}`,
        direction: i % 2 ? 'out' : 'in', text: 'bench', created_at: new Date(t - (n - i) * 1000).toISOString() }));
}
if (rollback) await db.query('begin');
await db.query(`set local role service_role; select set_config('request.jwt.claims', '{"role":"service_role"}', true)`);
if (!rollback) await db.query('begin');
for (let i = 0; i < msgs.length; i += 500) await db.query('select public.ingest_messages($1::jsonb)', [JSON.stringify(msgs.slice(i, i + 500))]);
await db.query('reset role');
if (!rollback) await db.query('commit');
await db.query('select pg_stat_clear_snapshot(), pg_stat_reset()');
const plans = [];
if (explain !== null) {
    await db.query(`load 'auto_explain'; set auto_explain.log_min_duration = ${Number(explain)};
        set auto_explain.log_nested_statements = on; set auto_explain.log_analyze = on; set auto_explain.log_buffers = on;
        set client_min_messages = log`);
    db.on('notice', (m) => plans.push(m.message));
}
const s = performance.now();
const pass = (await db.query('select private.kpi_upkeep() as r')).rows[0].r;
const wall = performance.now() - s;
// function statistics are sent at the end of a transaction
if (rollback) await db.query('rollback');
await new Promise((r) => setTimeout(r, 700));
const f = (await db.query(`select schemaname || '.' || funcname as fn, calls, round(total_time::numeric, 1) as total_ms,
        round(self_time::numeric, 1) as self_ms
    from pg_stat_user_functions order by self_time desc limit $1`, [top])).rows;
console.log(`shape ${shape}: pass ${JSON.stringify(pass)} wall ${wall.toFixed(0)} ms`);
console.table(f);
for (const p of plans) console.log(p);
await db.end();
