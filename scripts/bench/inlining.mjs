#!/usr/bin/env node
// Measures what inlining buys for each function without a SET clause (supabase/advisor-accepted.json,
// function_search_path_mutable): a workload that calls it is timed as it is (inlinable) and with
// `alter function … set search_path = ''` (which stops PostgreSQL from inlining it), in one transaction rolled back.
//
//   DATABASE_URL=postgresql://… node scripts/bench/inlining.mjs [--runs 30]
//
// The database needs data and built facts (a seeded database after an upkeep pass; the workloads read the seed's
// Julie). Prints one line per function: median of the workload with and without inlining, and the ratio.
import pg from 'pg';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 30) || 30;
const julie = "'c0000000-0000-4000-8000-000000000001'::uuid";
const workloads = {
    document: `select length(private.kpi_period_document(${julie}, private.kpi_resolve_period(${julie}, '30d', null, null))::text)`,
    legacy: `select length(private.kpi_legacy_document(${julie})::text)`,
    lead_facts: `select count(*) from private.kpi_compute_lead_facts(array(select l.id from public.leads as l where l.coach_id = ${julie}))`,
    contributions: `select count(*) from private.lead_facts as f cross join lateral private.kpi_lead_contributions(f) as c where f.coach_id = ${julie}`,
    follow_up_list: `select count(*) from private.leads_to_followup(${julie})`,
    follow_up_counts: `select private.kpi_follow_up_counts(${julie}, (now() at time zone 'Europe/Paris')::date)::text || private.kpi_follow_up_top(${julie}, (now() at time zone 'Europe/Paris')::date, 100)::text`,
    drill_down: `select count(*) from private.lead_facts as f where f.coach_id = ${julie} and private.kpi_lead_event(f, 'activity.new_leads', null, current_date - 29, current_date) is not null`,
};
const functions = [
    ['public.lead_status_rank(text)', 'lead_facts'],
    ['private.follow_up_candidates(uuid)', 'follow_up_list'],
    ['private.kpi_min_sample()', 'document'],
    ['private.kpi_rate(numeric, numeric, boolean)', 'document'],
    ['private.kpi_rating(numeric)', 'document'],
    ['private.kpi_change(numeric, numeric)', 'legacy'],
    ['private.kpi_metric(numeric, numeric, boolean)', 'document'],
    ['private.kpi_metric(numeric, numeric, boolean, numeric, numeric)', 'document'],
    ['private.kpi_period_rate(numeric, numeric, numeric, numeric, boolean, boolean)', 'document'],
    ['private.kpi_reply_rate(integer, numeric, numeric, numeric, numeric, boolean)', 'document'],
    ['private.kpi_no_show_rate(numeric, numeric, numeric, numeric, boolean, numeric)', 'document'],
    ['private.kpi_period_json(private.kpi_period)', 'document'],
    ['private.kpi_speed_bucket(numeric)', 'lead_facts'],
    ['private.kpi_lead_contributions(private.lead_facts)', 'contributions'],
    ['private.kpi_follow_up_rules(date)', 'follow_up_counts'],
    ['private.kpi_lead_event(private.lead_facts, text, text, date, date)', 'drill_down'],
];

const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
await db.connect();
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
async function time(sql) {
    for (let i = 0; i < 3; i++) await db.query(sql);
    const t = [];
    for (let i = 0; i < runs; i++) {
        const s = performance.now();
        await db.query(sql);
        t.push(performance.now() - s);
    }
    return median(t);
}
for (const [fn, w] of functions) {
    await db.query('begin');
    try {
        const inlined = await time(workloads[w]);
        await db.query(`alter function ${fn} set search_path = ''`);
        const called = await time(workloads[w]);
        console.log(`${fn} | ${w} | inlined ${inlined.toFixed(2)} ms | not inlined ${called.toFixed(2)} ms | ${(called / inlined).toFixed(2)}x`);
    } finally {
        await db.query('rollback');
    }
}
await db.end();
