#!/usr/bin/env node
// Online preparation of a legacy database before `supabase db push` (docs/upgrade.md).
//
//   node scripts/upgrade/prepare.js --db-url <postgresql://...> [--plan] [--lock-timeout 500ms] [--batch-rows 5000]
//                                   [--sync-batch 200] [--retries 60] [--no-repair]
//
// Runs the landed migrations up to LAST_PREPARED (scripts/upgrade/plan.js) on the live database, one short
// transaction per statement, with lock_timeout and retries, the heavy statements replaced by their online
// equivalents; then records those versions as applied with `supabase migration repair`, so `supabase db push` goes
// on from the next migration. Resumable: every finished step is recorded in legacy_upgrade.steps, a new run skips it.
// --plan prints every step (its SQL) and changes nothing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { AHEAD, LAST_PREPARED, RULES, stepsOf } from './plan.js';
import { splitStatements } from './sql-split.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const MIGRATIONS = join(ROOT, 'supabase/migrations');
const RETRYABLE = new Set(['55P03', '40P01', '40001']); // lock_not_available, deadlock_detected, serialization_failure
const MIN_KEY = '00000000-0000-0000-0000-000000000000';

export function parseOptions(argv) {
    const opt = (name, def) => {
        const i = argv.indexOf(`--${name}`);
        return i >= 0 && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[i + 1] : def;
    };
    const o = {
        dbUrl: opt('db-url', process.env.DATABASE_URL),
        plan: argv.includes('--plan'),
        lockTimeout: opt('lock-timeout', '500ms'),
        batchRows: Number(opt('batch-rows', '5000')),
        syncBatch: Number(opt('sync-batch', '200')),
        retries: Number(opt('retries', '60')),
        repair: !argv.includes('--no-repair'),
        quiet: argv.includes('--quiet'),
    };
    if (!o.plan && !o.dbUrl) throw new Error('--db-url (or DATABASE_URL) is required');
    if (!(o.batchRows > 0) || !(o.syncBatch > 0) || !(o.retries >= 0)) throw new Error('bad --batch-rows/--sync-batch/--retries');
    return o;
}

/** Every migration file in order: { version, name, path }. */
export function migrationFiles() {
    return readdirSync(MIGRATIONS)
        .filter((f) => /^\d+_.*\.sql$/.test(f))
        .sort()
        .map((f) => ({ version: f.split('_')[0], name: f, path: join(MIGRATIONS, f) }));
}

/** The whole preparation: [{ version, name, steps }] for the prepared versions, then the work done ahead. */
export function buildPlan() {
    const files = migrationFiles();
    const prepared = files.filter((f) => f.version <= LAST_PREPARED);
    const plan = prepared.map((f) => ({
        version: f.version, name: f.name, record: true,
        steps: stepsOf(f.version, splitStatements(readFileSync(f.path, 'utf8')), RULES[f.version] ?? []),
    }));
    for (const [version, rules] of Object.entries(AHEAD)) {
        const f = files.find((x) => x.version === version);
        if (!f) throw new Error(`migration ${version} is missing`);
        plan.push({ version, name: f.name, record: false, steps: stepsOf(version, splitStatements(readFileSync(f.path, 'utf8')), rules, { ahead: true }) });
    }
    for (const v of Object.keys(RULES)) if (!prepared.some((f) => f.version === v)) throw new Error(`migration ${v} is missing`);
    return plan;
}

const sha = (s) => createHash('sha256').update(s).digest('hex').slice(0, 16);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function prepare(options) {
    const o = options;
    const log = o.quiet ? () => {} : (...a) => console.log('prepare:', ...a);
    const plan = buildPlan();
    if (o.plan) {
        for (const m of plan) {
            console.log(`\n-- ===== ${m.name}${m.record ? '' : ' (ahead: only what is listed; the migration itself runs in db push)'}`);
            m.steps.forEach((s, i) => console.log(`\n-- [${m.version} #${i}] ${s.kind}${s.kind === 'sql' && !s.blocking ? ' (validate: no blocking lock)' : ''}${s.replica ? ', replica mode' : ''}: ${s.what ?? ''}\n${s.pre ? s.pre + ';\n' : ''}${s.sql};`));
        }
        return { steps: plan.reduce((a, m) => a + m.steps.length, 0) };
    }

    const db = new pg.Client({ connectionString: o.dbUrl, application_name: 'upgrade-prepare' });
    await db.connect();
    try {
        const state = await preflight(db, plan, log);
        if (state === 'done') return { skipped: true };
        await db.query(`create schema if not exists legacy_upgrade;
            comment on schema legacy_upgrade is 'Progress of the online preparation of a legacy database (scripts/upgrade/prepare.js, docs/upgrade.md); drop it once the upgrade is done.';
            create table if not exists legacy_upgrade.steps (
                step text primary key, version text not null, sql_sha text not null, what text,
                started_at timestamptz not null, finished_at timestamptz, attempts integer not null default 0,
                batches integer not null default 0, rows bigint not null default 0, last_key uuid
            );
            comment on table legacy_upgrade.steps is 'One row per step of prepare.js: step (<version>#<n>), the SQL''s hash, when it started and finished, attempts (lock timeouts retried), batches and rows of a batched step, last_key its last committed batch.';`);
        const done = new Map((await db.query('select step, sql_sha, finished_at, last_key from legacy_upgrade.steps')).rows.map((r) => [r.step, r]));
        let replicaAllowed = null;
        const t0 = performance.now();
        let n = 0;
        const total = plan.reduce((a, m) => a + m.steps.length, 0);
        for (const m of plan) {
            for (let i = 0; i < m.steps.length; i++) {
                n++;
                const step = m.steps[i];
                const key = `${m.version}#${i}`;
                const digest = sha((step.pre ?? '') + step.sql);
                const prev = done.get(key);
                if (prev && prev.sql_sha !== digest) {
                    throw new Error(`step ${key} ran before with other SQL: the preparation changed since the last run; restore the database or finish with the version that started it`);
                }
                if (prev?.finished_at) continue;
                if (!prev) await db.query('insert into legacy_upgrade.steps (step, version, sql_sha, what, started_at) values ($1, $2, $3, $4, now())', [key, m.version, digest, step.what ?? null]);
                const s = performance.now();
                let result;
                if (step.kind === 'sql') result = await runSql(db, key, step, o);
                else if (step.kind === 'index') result = await runIndex(db, key, step, o);
                else {
                    if (step.replica && replicaAllowed === null) replicaAllowed = await canUseReplica(db);
                    result = await runBatch(db, key, step, o, prev?.last_key ?? MIN_KEY, replicaAllowed);
                }
                log(`[${n}/${total}] ${key} ${step.what ?? step.kind}: ${Math.round(performance.now() - s)} ms${result.attempts > 1 ? `, ${result.attempts} attempts` : ''}${step.kind === 'batch' ? `, ${result.batches} batches, ${result.rows} rows` : ''}`);
            }
        }
        log(`all steps done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        const versions = plan.filter((m) => m.record).map((m) => m.version);
        if (o.repair) {
            repair(o.dbUrl, versions);
            log(`recorded ${versions.length} migrations as applied (${versions[0]} .. ${versions.at(-1)}); next: scripts/upgrade/push.sh --db-url <url>`);
        } else log(`--no-repair: record them yourself: npx supabase migration repair --status applied ${versions.join(' ')} --db-url <url>`);
        return { skipped: false, versions };
    } finally {
        await db.end();
    }
}

async function preflight(db, plan, log) {
    const has = async (sql, params) => (await db.query(sql, params)).rows[0];
    const versions = plan.filter((m) => m.record).map((m) => m.version);
    const history = (await has("select to_regclass('supabase_migrations.schema_migrations') is not null as ok")).ok
        ? (await db.query('select version from supabase_migrations.schema_migrations')).rows.map((r) => r.version) : [];
    const recorded = versions.filter((v) => history.includes(v));
    if (recorded.length === versions.length) {
        log('the prepared migrations are already recorded as applied: nothing to prepare; run scripts/upgrade/push.sh');
        return 'done';
    }
    if (recorded.length > 0 || history.some((v) => v > LAST_PREPARED)) {
        throw new Error(`supabase_migrations.schema_migrations already holds ${history.length} version(s) (${history.slice(0, 3).join(', ')}…) but not all of ${versions[0]}..${LAST_PREPARED}: this database was migrated another way; do not prepare it`);
    }
    const t = await has(`select to_regclass('public.coachs') is not null as coachs, to_regclass('public.leads') is not null as leads,
        to_regclass('public.messages') is not null as messages, to_regclass('public.kpi_daily') is not null as kpi_daily,
        to_regclass('legacy_upgrade.steps') is not null as resuming,
        exists (select 1 from pg_attribute where attrelid = to_regclass('public.leads') and attname = 'status' and not attisdropped) as has_status`);
    if (!t.coachs || !t.leads || !t.messages || !t.kpi_daily) {
        throw new Error('public.coachs, leads, messages and kpi_daily must all exist: this is not the legacy database (a new database needs only `supabase db push`)');
    }
    if (t.has_status && !t.resuming) {
        throw new Error('public.leads already has a status column but no preparation was started here: this is not the legacy schema this script knows');
    }
    const v = await has("select current_setting('server_version_num')::int as n");
    if (v.n < 120000) throw new Error('PostgreSQL 12 or later is required (SET NOT NULL through a validated check)');
    const dup = (await db.query(`select lower(email) as email, count(*)::int as n from public.coachs where email is not null
        group by lower(email) having count(*) > 1 order by 1 limit 10`)).rows;
    if (dup.length) {
        throw new Error(`coachs share an email (case-insensitively), which the upgrade's unique index refuses; merge or rename them first: ${dup.map((d) => `${d.email} (${d.n})`).join(', ')}`);
    }
    const old = (await db.query(`select pid, now() - xact_start as age, left(query, 80) as query from pg_stat_activity
        where xact_start < now() - interval '1 minute' and pid <> pg_backend_pid() and datname = current_database()`)).rows;
    for (const o of old) log(`warning: transaction open for ${o.age.minutes ?? 0} min ${o.age.seconds ?? 0} s (pid ${o.pid}: ${o.query}): concurrent index builds and validations wait for it to end`);
    const c = await has(`select (select count(*) from public.coachs)::bigint as coachs, (select count(*) from public.leads)::bigint as leads,
        (select count(*) from public.messages)::bigint as messages, (select count(*) from public.kpi_daily)::bigint as kpi_daily`);
    log(`${t.resuming ? 'resuming' : 'preparing'}: ${c.coachs} coachs, ${c.leads} leads, ${c.messages} messages, ${c.kpi_daily} kpi_daily rows`);
    return 'go';
}

async function withRetries(db, key, o, fn) {
    for (let attempt = 1; ; attempt++) {
        try {
            await fn(attempt);
            return attempt;
        } catch (e) {
            await db.query('rollback').catch(() => {});
            if (!RETRYABLE.has(e.code) || attempt > o.retries) {
                throw Object.assign(new Error(`step ${key} failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${e.message}${e.detail ? ` (${e.detail})` : ''}\nFix the cause and run prepare.js again: finished steps are skipped.`), { code: e.code });
            }
            await sleep(Math.min(5000, 100 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random()));
        }
    }
}

async function runSql(db, key, step, o) {
    // A validation takes no lock that blocks readers or writers: it may wait as long as it needs.
    const timeout = step.blocking ? o.lockTimeout : '0';
    const attempts = await withRetries(db, key, o, async (attempt) => {
        await db.query('begin');
        await db.query(`set local lock_timeout = '${timeout}'`);
        await db.query(step.sql);
        await db.query('update legacy_upgrade.steps set finished_at = now(), attempts = $2 where step = $1', [key, attempt]);
        await db.query('commit');
    });
    return { attempts };
}

async function runIndex(db, key, step, o) {
    // CREATE INDEX CONCURRENTLY blocks no reader or writer; it waits for older transactions to end. A build that
    // failed leaves an INVALID index of that name: it is dropped (concurrently) and built again.
    const state = async () => (await db.query(`select i.indisvalid from pg_index as i join pg_class as c on c.oid = i.indexrelid
        where c.relname = $1 and c.relnamespace = 'public'::regnamespace`, [step.name])).rows[0];
    const attempts = await withRetries(db, key, o, async () => {
        const s = await state();
        if (s && !s.indisvalid) await db.query(`drop index concurrently public.${step.name}`);
        if (!s || !s.indisvalid) {
            await db.query("set lock_timeout = '0'");
            await db.query(step.sql);
        }
    });
    await db.query('update legacy_upgrade.steps set finished_at = now(), attempts = $2 where step = $1', [key, attempts]);
    return { attempts };
}

async function canUseReplica(db) {
    try {
        await db.query('begin');
        await db.query('set local session_replication_role = replica');
        await db.query('rollback');
        return true;
    } catch {
        await db.query('rollback').catch(() => {});
        return false;
    }
}

async function runBatch(db, key, step, o, from, replicaAllowed) {
    const size = step.sync ? o.syncBatch : o.batchRows;
    let last = from;
    let batches = 0;
    let rows = 0;
    let attempts = 1;
    for (;;) {
        const hi = (await db.query(`select b.id::text as hi from (select id from ${step.table} where id > $1 order by id limit ${size}) as b
            order by b.id desc limit 1`, [last])).rows[0]?.hi;
        if (hi === undefined) break;
        const lo = last;
        let changed = 0;
        const a = await withRetries(db, key, o, async () => {
            await db.query('begin');
            await db.query(`set local lock_timeout = '${o.lockTimeout}'`);
            if (step.sync) await db.query('set local plan_cache_mode = force_custom_plan');
            if (step.replica && replicaAllowed) await db.query('set local session_replication_role = replica');
            else if (step.replica) {
                // Without replica mode the set_updated_at trigger stamps the leads this batch touches: their legacy
                // updated_at is kept in private.legacy_values first.
                await db.query(`insert into private.legacy_values (table_name, row_id, column_name, original_value)
                    select 'public.leads', l.id, 'updated_at', l.updated_at::text from public.leads as l where l.id > $1 and l.id <= $2`, [lo, hi]);
            }
            if (step.pre) await db.query(step.pre, [lo, hi]);
            const r = await db.query(step.sql, [lo, hi]);
            await db.query('update legacy_upgrade.steps set last_key = $2, batches = batches + 1, rows = rows + $3 where step = $1', [key, hi, r.rowCount ?? 0]);
            await db.query('commit');
            changed = r.rowCount ?? 0;
        });
        rows += changed;
        attempts = Math.max(attempts, a);
        batches++;
        last = hi;
    }
    await db.query('update legacy_upgrade.steps set finished_at = now(), attempts = $2 where step = $1', [key, attempts]);
    return { attempts, batches, rows };
}

function repair(dbUrl, versions) {
    const r = spawnSync(join(ROOT, 'node_modules/.bin/supabase'), ['migration', 'repair', '--status', 'applied', ...versions, '--db-url', dbUrl],
        { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`supabase migration repair failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    try {
        await prepare(parseOptions(process.argv.slice(2)));
    } catch (e) {
        console.error(`prepare: ${e.message}`);
        process.exit(1);
    }
}
