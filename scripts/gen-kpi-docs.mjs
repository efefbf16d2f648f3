#!/usr/bin/env node
// Generates docs/kpis.md from docs/kpis.template.md (the hand-written prose) and a migrated database (what the prose
// cannot be trusted to repeat: the KPI glossaries and the comments of their columns, the functions inlined on
// purpose, the speed-to-lead buckets, the KPI jobs and the upkeep's settings), so the catalog cannot drift from the
// migrations.
//
//   node scripts/gen-kpi-docs.mjs            write docs/kpis.md from DATABASE_URL
//   node scripts/gen-kpi-docs.mjs --check    exit 1 when docs/kpis.md differs from what the template and the database give
//   npm run docs:kpis                        throwaway cluster + migrations + write (scripts/gen-docs.sh)
//
// The template's placeholders are `{{name}}`, one of the names of `blocks` (a table or list, alone on its line) or
// `values` (a word inside a sentence) below; an unknown name, or a block inside a sentence, fails.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { connect, root, writeOrCheck } from './generated-doc.mjs';

const { client, q } = await connect();
const fail = (message) => {
    console.error(`gen-kpi-docs: ${message}`);
    process.exit(1);
};

const cell = (v) => (v == null || v === '' ? '—' : String(v).replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' '));
const table = (head, rows) => [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const fmtInt = (n) => Number(n).toLocaleString('en-US');
// The summary line of a comment: its first sentence (".", "!" or "?" then a space ends it, but not "e.g." or "i.e.").
const summary = (comment) => (comment ?? '').split('\n')[0].replace(/^(.*?(?<!\b(?:e\.g|i\.e))[.!?])\s.*$/, '$1');
// The default of one argument of a function, from its catalog signature (e.g. "pause_seconds numeric DEFAULT 5").
const argDefault = async (fn, arg) => {
    const [{ args }] = await q('select pg_get_function_arguments($1::regproc) as args', [fn]);
    const m = args.match(new RegExp(`(?:^|, )(?:IN )?${arg} [^,]*? DEFAULT ([^,]+)`));
    if (!m) fail(`${fn} has no argument ${arg} with a default (its arguments: ${args})`);
    return m[1].replace(/::[a-z ]+$/, '');
};

// ---- blocks ----------------------------------------------------------------------------------------------------
// The glossary of period documents, checked against what get_kpi_definitions() returns for each key.
async function periodCatalog() {
    const rows = await q(`select key, number, label, period, formula, denominator, snapshot, better, source
        from private.kpi_period_definitions order by coalesce(number, 99), key`);
    const served = (await q('select public.get_kpi_definitions() as d'))[0].d;
    const keys = new Set(rows.map((r) => r.key));
    const extra = Object.keys(served).filter((k) => !keys.has(k));
    if (extra.length || Object.keys(served).length !== rows.length) {
        fail(`get_kpi_definitions() and private.kpi_period_definitions disagree on the keys (${extra.join(', ') || 'missing keys'})`);
    }
    for (const r of rows) {
        for (const f of ['label', 'formula', 'denominator', 'period', 'snapshot', 'better']) {
            if ((served[r.key]?.[f] ?? null) !== r[f]) fail(`get_kpi_definitions() -> ${r.key}.${f} is not private.kpi_period_definitions'`);
        }
    }
    return table(['#', 'key', 'label (fr)', 'for a period', 'formula', 'denominator', 'better', 'SQL source'],
        rows.map((r) => [cell(r.number), `\`${r.key}\``, cell(r.label), r.snapshot ? '*maintenant* (instantané)' : cell(r.period),
            cell(r.formula), cell(r.denominator), cell(r.better), `\`${cell(r.source)}\``]));
}

// What each column of the period glossary means (the comments of the table's columns), and which of them
// get_kpi_definitions() returns in each entry.
async function periodGlossaryFields() {
    const relation = 'private.kpi_period_definitions';
    const entry = Object.values((await q('select public.get_kpi_definitions() as d'))[0].d)[0] ?? {};
    const rows = await q(`select a.attname, col_description(a.attrelid, a.attnum) as comment
        from pg_attribute as a where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum`, [relation]);
    const missing = rows.filter((r) => !r.comment).map((r) => r.attname);
    if (missing.length) fail(`${relation} has columns without a comment: ${missing.join(', ')}`);
    return table(['column', 'in get_kpi_definitions()', 'meaning'],
        rows.map((r) => [`\`${r.attname}\``, r.attname === 'key' ? 'the name of each entry' : r.attname in entry ? 'yes' : 'no', cell(r.comment)]));
}

async function legacyCatalog() {
    // the legacy document's glossary: its keys, with the texts of the one glossary (private.kpi_legacy_definitions)
    const rows = await q(`select d.key, d.value ->> 'label' as label, d.value ->> 'formula' as formula,
            d.value ->> 'denominator' as denominator, p.number
        from jsonb_each(private.kpi_legacy_definitions()) as d
        left join private.kpi_period_definitions as p on p.key = d.key
        order by coalesce(p.number, 99), d.key`);
    return table(['#', 'key', 'label (fr)', 'formula', 'denominator'],
        rows.map((r) => [cell(r.number), `\`${r.key}\``, cell(r.label), cell(r.formula), cell(r.denominator)]));
}

// Functions and procedures of the project without a SET clause (the advisor accepts them by name:
// supabase/advisor-accepted.json).
const unset = (kind) => q(`select format('%s.%s(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)) as signature,
        obj_description(p.oid, 'pg_proc') as comment
    from pg_proc as p join pg_namespace as n on n.oid = p.pronamespace
    where n.nspname in ('public', 'private') and p.proconfig is null and p.prokind = $1
        and not exists (select 1 from pg_depend as d where d.objid = p.oid and d.deptype = 'e')
    order by n.nspname desc, p.proname`, [kind]);

async function inlinedFunctions() {
    const rows = await unset('f');
    const undocumented = rows.filter((r) => !r.comment).map((r) => r.signature);
    if (undocumented.length) fail(`functions without a SET clause and without a comment: ${undocumented.join(', ')}`);
    return table(['function', 'what it is (summary of its comment)'], rows.map((r) => [`\`${r.signature}\``, cell(summary(r.comment))]));
}

// The speed-to-lead buckets, read from private.kpi_speed_bucket itself: the bound of every wait of 1 minute to 31 days.
async function speedBuckets() {
    const bounds = (await q(`select distinct private.kpi_speed_bucket(m)::numeric as b
        from generate_series(1, 31 * 1440) as m order by 1`)).map((r) => Number(r.b));
    const day = 1440;
    let minutes = 0;
    while (bounds[minutes] === minutes + 1) minutes++;
    const monthIndex = bounds.findIndex((b) => b > 30 * day);
    const tail = bounds.slice(monthIndex);
    if (monthIndex < 0 || !tail.every((b) => b % day === 0)) fail('private.kpi_speed_bucket no longer rounds waits beyond 30 days to whole days: update scripts/gen-kpi-docs.mjs');
    const listed = bounds.slice(minutes, monthIndex).join(', ');
    return `every minute up to ${minutes} min, then ${listed} min, whole days beyond`;
}

// The tables and views of the KPIs: those of private named kpi_* or *_facts or coach_dashboard_kpis*, and kpi_* of public.
async function kpiRelations() {
    const rows = await q(`select format('%s.%s', n.nspname, c.relname) as name, c.relkind, obj_description(c.oid, 'pg_class') as comment
        from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p', 'v', 'm') and (c.relname like 'kpi\\_%' or (n.nspname = 'private'
            and (c.relname like '%\\_facts' or c.relname like 'coach\\_dashboard\\_kpis%')))
            and n.nspname in ('public', 'private')
        order by n.nspname desc, c.relname`);
    const kind = { r: 'table', p: 'table', v: 'view', m: 'materialized view' };
    const undocumented = rows.filter((r) => !r.comment).map((r) => r.name);
    if (undocumented.length) fail(`KPI relations without a comment: ${undocumented.join(', ')}`);
    return table(['relation', 'kind', 'what it is'], rows.map((r) => [`\`${r.name}\``, kind[r.relkind], cell(summary(r.comment))]));
}

async function kpiJobs() {
    if (!(await q(`select to_regclass('cron.job') is not null as ok`))[0].ok) return 'pg_cron is not installed in this database: no job.';
    const jobs = await q(`select jobname, schedule, command from cron.job order by jobname`);
    return table(['job', 'schedule', 'command'], jobs.map((j) => [`\`${j.jobname}\``, `\`${j.schedule}\``, `\`${cell(j.command)}\``]));
}

// The thresholds of the alert rules, as private.alert_thresholds() returns them.
async function alertThresholds() {
    const rows = await q('select key, value::text as value from jsonb_each(private.alert_thresholds()) order by key');
    return table(['threshold', 'value'], rows.map((r) => [`\`${r.key}\``, r.value]));
}

const blocks = {
    alert_thresholds: alertThresholds,
    period_catalog: periodCatalog,
    period_glossary_fields: periodGlossaryFields,
    legacy_catalog: legacyCatalog,
    inlined_functions: inlinedFunctions,
    kpi_relations: kpiRelations,
    kpi_jobs: kpiJobs,
};

// ---- values (inside a sentence) -----------------------------------------------------------------------------
const scalar = async (sql) => fmtInt((await q(sql))[0].v);
const values = {
    min_sample: () => scalar('select private.kpi_min_sample() as v'),
    follow_up_preview: () => scalar('select private.kpi_follow_up_preview() as v'),
    range_margin_days: () => scalar('select private.kpi_range_margin_days() as v'),
    range_max_days: () => scalar('select private.kpi_range_max_days() as v'),
    variant_min_sent: () => scalar('select private.kpi_variant_min_sent() as v'),
    variant_threshold: () => scalar('select private.kpi_variant_threshold() as v'),
    cohort_weeks_minus_one: () => scalar('select private.kpi_cohort_weeks() - 1 as v'),
    trend_max_buckets: () => scalar('select private.kpi_trend_max_buckets() as v'),
    source_quality_max: () => scalar('select private.kpi_source_quality_max() as v'),
    speed_buckets: speedBuckets,
    upkeep_pause_seconds: () => argDefault('private.kpi_upkeep_loop', 'pause_seconds'),
    upkeep_run_seconds: () => argDefault('private.kpi_upkeep_loop', 'run_seconds'),
    // a change committed just after the loop's last pass of a minute waits for the next minute's first pass
    upkeep_longest_wait_seconds: async () => 60 - Number(await argDefault('private.kpi_upkeep_loop', 'run_seconds'))
        + Number(await argDefault('private.kpi_upkeep_loop', 'pause_seconds')),
    upkeep_max_rows: async () => fmtInt(await argDefault('private.kpi_upkeep', 'max_rows')),
    upkeep_backfill_batch: async () => fmtInt(await argDefault('private.kpi_upkeep', 'backfill_batch')),
    reconcile_batch: async () => fmtInt(await argDefault('private.kpi_reconcile', 'batch')),
    committing_procedures: async () => (await unset('p')).map((r) => `\`${r.signature}\``).join(' and '),
};

// ---- the document ------------------------------------------------------------------------------------------------
const template = readFileSync(path.join(root, 'docs', 'kpis.template.md'), 'utf8');
// the template's own first comment (what it is, how to regenerate) is not copied
const body = template.replace(/^<!--[\s\S]*?-->\n\n?/, '');
const skipped = template.slice(0, template.length - body.length).split('\n').length - 1; // for the line numbers below
const out = [];
const lines = body.split('\n');
for (const [i, l] of lines.entries()) {
    let text = l;
    for (const m of l.matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)) {
        const name = m[1];
        if (blocks[name]) {
            if (l.trim() !== m[0]) fail(`docs/kpis.template.md:${i + 1 + skipped}: {{${name}}} is a block: put it alone on its line`);
            text = await blocks[name]();
        } else if (values[name]) {
            text = text.replace(m[0], await values[name]());
        } else {
            fail(`docs/kpis.template.md:${i + 1 + skipped}: unknown placeholder {{${name}}} (known: ${[...Object.keys(blocks), ...Object.keys(values)].join(', ')})`);
        }
    }
    out.push(text);
    if (i === 0) {
        if (!l.startsWith('# ')) fail('docs/kpis.template.md must start with its title (after its own comment)');
        out.push('', '<!-- Generated by scripts/gen-kpi-docs.mjs from docs/kpis.template.md and a migrated database. Do not edit by',
            '     hand: edit the template (prose) or the migrations (glossary, comments), then run `npm run docs:kpis`',
            '     (npm test fails while this file is stale). -->');
    }
}
await client.end();
writeOrCheck('docs/kpis.md', out.join('\n'), {
    from: 'docs/kpis.template.md and the migrated database',
    command: 'npm run docs:kpis',
    hint: '; edit the template, never docs/kpis.md',
});
