// npm run bench -- --upgrade: the documented upgrade (docs/upgrade.md) of a legacy database, measured while n8n-like
// writers and readers keep working, written to docs/benchmarks.md ("Upgrade of a legacy database").
//
//   node scripts/bench/run.js --upgrade [--tiny] [--coaches 50] [--leads-per-coach 2000] [--messages-per-lead 10]
//       [--seed 42] [--db-port 54400 | BENCH_DB_PORT] [--existing-cluster] [--report docs/benchmarks.md | --no-report]
//       [--check] [--read-limit-ms 1000] [--write-limit-ms 2000]
//
// 1. a legacy database (scripts/upgrade/legacy-schema.sql + legacy-generate.sql; 100,000 leads and ~1,000,000
//    messages by default; --tiny: 3 x 100 leads) in a throwaway cluster, or with --existing-cluster a new database of
//    the cluster on --db-port (npm test);
// 2. two writers (what n8n does: batches of 10 DMs, now and then a new lead; plain INSERTs while the legacy schema
//    has no ingest_messages, `select public.ingest_messages(...)` as service_role once it has) and two readers (a
//    coach's leads, a lead's conversation) run the whole time;
// 3. the documented path: scripts/upgrade/prepare.js, then scripts/upgrade/push.sh;
// 4. a sampler reads pg_stat_activity every 50 ms: how long each statement of a writer or a reader waited for a lock
//    (wait_event_type Lock, from the statement's start), and who blocked it;
// 5. after: row counts (before + written = after + moved whole to private.legacy_values), every lead's counters
//    against its messages, the schema against a fresh database built from the same migrations.
// --check exits 1 when a count differs, a counter is wrong, the schema differs, a write failed, or a lock wait went
// over the limits (reads 1 s, writes 2 s): npm test runs it with --tiny --check.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { schemaDiff } from './schema-diff.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const START = '<!-- upgrade-bench:start -->';
const END = '<!-- upgrade-bench:end -->';

function options(argv) {
    const opt = (name, def) => {
        const i = argv.indexOf(`--${name}`);
        return i >= 0 && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[i + 1] : def;
    };
    const tiny = argv.includes('--tiny');
    return {
        tiny,
        coaches: Number(opt('coaches', tiny ? '3' : '50')),
        leadsPerCoach: Number(opt('leads-per-coach', tiny ? '100' : '2000')),
        messagesPerLead: Number(opt('messages-per-lead', '10')),
        seed: Number(opt('seed', '42')),
        dbPort: Number(opt('db-port', process.env.BENCH_DB_PORT ?? '54400')),
        existing: argv.includes('--existing-cluster'),
        report: argv.includes('--no-report') ? null : opt('report', join(ROOT, 'docs/benchmarks.md')),
        check: argv.includes('--check'),
        readLimit: Number(opt('read-limit-ms', '1000')),
        writeLimit: Number(opt('write-limit-ms', '2000')),
    };
}

const log = (...a) => console.log('bench upgrade:', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (x) => Math.round(x).toLocaleString('en-US');
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const msf = (ms) => `${Math.round(ms)} ms`;
const pct = (values, p) => {
    const s = [...values].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : 0;
};

function run(cmd, args, env = {}) {
    const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
}

function runAsync(cmd, args) {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} failed (${code}):\n${out}`))));
    });
}

/** The n8n-like writer: batches of 10 DMs to existing leads, a new lead every tenth batch. */
function writer(url, n, leads, state) {
    const stats = { name: `writer ${n}`, latencies: [], messages: 0, leads: 0, retries: 0, errors: [], ingest: 0 };
    const loop = async () => {
        const db = new pg.Client({ connectionString: url, application_name: 'bench-writer' });
        await db.connect();
        let seq = 0;
        while (!state.stop) {
            seq++;
            const newLead = seq % 10 === 0;
            const picks = Array.from({ length: 10 }, () => leads[Math.floor(Math.random() * leads.length)]);
            const ig = `bench_w${n}_${seq}`;
            for (let attempt = 1; ; attempt++) {
                const s = performance.now();
                try {
                    if (state.ingest) {
                        // the new API once the push created it, as service_role (what n8n calls through PostgREST)
                        const payload = picks.map((l, i) => ({
                            coach_id: l.coach_id, user_id_instagram: newLead && i === 0 ? ig : l.user_id_instagram,
                            external_id: `bench-${n}-${seq}-${i}`, direction: i % 2 ? 'in' : 'out', text: 'Salut !',
                            created_at: new Date().toISOString(),
                        }));
                        await db.query("begin; set local role service_role; select set_config('request.jwt.claims', '{\"role\":\"service_role\"}', true)");
                        const r = await db.query('select public.ingest_messages($1::jsonb) as r', [JSON.stringify(payload)]);
                        await db.query('commit');
                        stats.messages += r.rows[0].r.inserted ?? payload.length;
                        stats.leads += r.rows[0].r.leads_created ?? 0;
                        stats.ingest++;
                    } else {
                        // the legacy workflow: plain inserts, canonical values
                        await db.query('begin');
                        let lead = null;
                        if (newLead) {
                            lead = (await db.query(`insert into public.leads (coach_id, user_id_instagram, first_name, gender, lead_status, source)
                                values ($1, $2, 'Bench', 'female', 'nouveau', 'story') returning id`, [picks[0].coach_id, ig])).rows[0].id;
                        }
                        const rows = picks.map((l, i) => [i === 0 && lead ? lead : l.id, l.coach_id, i % 2 ? 'in' : 'out']);
                        await db.query(`insert into public.messages (lead_id, coach_id, direction, text, created_at)
                            select r.lead_id::uuid, r.coach_id::uuid, r.direction, 'Salut !', clock_timestamp()
                            from jsonb_to_recordset($1::jsonb) as r (lead_id text, coach_id text, direction text)`,
                            [JSON.stringify(rows.map(([lead_id, coach_id, direction]) => ({ lead_id, coach_id, direction })))]);
                        await db.query('commit');
                        stats.messages += rows.length;
                        stats.leads += lead ? 1 : 0;
                    }
                    stats.latencies.push(performance.now() - s);
                    break;
                } catch (e) {
                    await db.query('rollback').catch(() => {});
                    stats.latencies.push(performance.now() - s);
                    // n8n retries a failed call; a deadlock victim is retried, anything else is an error
                    if (e.code === '40P01' && attempt < 5) { stats.retries++; continue; }
                    stats.errors.push(e.message);
                    break;
                }
            }
            await sleep(20);
        }
        await db.end();
    };
    return { stats, done: loop() };
}

/** A reader: a coach's leads, then one lead's conversation. */
function reader(url, n, leads, state) {
    const stats = { name: `reader ${n}`, latencies: [], queries: 0, errors: [] };
    const loop = async () => {
        const db = new pg.Client({ connectionString: url, application_name: 'bench-reader' });
        await db.connect();
        while (!state.stop) {
            const l = leads[Math.floor(Math.random() * leads.length)];
            for (const [sql, p] of [
                ['select count(*) from public.leads where coach_id = $1', [l.coach_id]],
                ['select id, direction, created_at from public.messages where lead_id = $1 order by created_at limit 50', [l.id]],
            ]) {
                const s = performance.now();
                try {
                    await db.query(sql, p);
                    stats.queries++;
                } catch (e) {
                    stats.errors.push(e.message);
                }
                stats.latencies.push(performance.now() - s);
            }
            await sleep(20);
        }
        await db.end();
    };
    return { stats, done: loop() };
}

/** Every 50 ms: the writers' and readers' statements waiting for a lock, how long, behind whom; strong locks held. */
function sampler(url, state) {
    const waits = new Map(); // pid:query_start -> { kind, ms, query, blocker }
    const holds = new Map(); // pid:xact_start:relation:mode -> { ms, query, relation, mode }
    let samples = 0;
    const loop = async () => {
        const db = new pg.Client({ connectionString: url, application_name: 'bench-sampler' });
        await db.connect();
        while (!state.stop) {
            const { rows } = await db.query(`select a.pid, a.application_name as app, a.query_start::text as qs,
                    extract(epoch from clock_timestamp() - a.query_start) * 1000 as waited, left(a.query, 120) as query,
                    (select left(b.query, 160) from pg_stat_activity as b where b.pid = (pg_blocking_pids(a.pid))[1]) as blocker
                from pg_stat_activity as a
                where a.datname = current_database() and a.wait_event_type = 'Lock' and a.application_name in ('bench-writer', 'bench-reader')`);
            for (const r of rows) {
                const k = `${r.pid}:${r.qs}`;
                const w = waits.get(k);
                if (!w || r.waited > w.ms) waits.set(k, { kind: r.app === 'bench-writer' ? 'write' : 'read', ms: Number(r.waited), query: r.query, blocker: r.blocker ?? '?' });
            }
            const held = await db.query(`select l.pid, l.mode, c.relname, a.xact_start::text as xs, left(a.query, 160) as query,
                    extract(epoch from clock_timestamp() - a.xact_start) * 1000 as held
                from pg_locks as l join pg_class as c on c.oid = l.relation join pg_namespace as n on n.oid = c.relnamespace
                join pg_stat_activity as a on a.pid = l.pid
                where l.granted and n.nspname = 'public' and c.relname in ('coachs', 'leads', 'messages', 'kpi_daily')
                    and l.mode in ('AccessExclusiveLock', 'ExclusiveLock', 'ShareRowExclusiveLock', 'ShareLock')
                    and a.application_name not like 'bench-%'`);
            for (const h of held.rows) {
                const k = `${h.pid}:${h.xs}:${h.relname}:${h.mode}`;
                const o = holds.get(k);
                if (!o || h.held > o.ms) holds.set(k, { ms: Number(h.held), query: h.query, relation: h.relname, mode: h.mode });
            }
            samples++;
            await sleep(50);
        }
        await db.end();
    };
    return { waits, holds, samples: () => samples, done: loop() };
}

async function counts(db) {
    return (await db.query(`select (select count(*) from public.coachs)::bigint as coachs, (select count(*) from public.leads)::bigint as leads,
        (select count(*) from public.messages)::bigint as messages, (select count(*) from public.kpi_daily)::bigint as kpi_daily`)).rows[0];
}

export async function main(argv) {
    const o = options(argv);
    const t0 = performance.now();
    const dbName = o.existing ? `upgrade_bench_${process.pid}` : 'postgres';
    const dbDir = join(ROOT, `.local/upgrade-bench-db-${process.pid}`);
    const env = { DB_DIR: dbDir, DB_PORT: String(o.dbPort), DB_NAME: 'postgres', DB_FAST: '1' };
    const base = `postgresql://postgres@127.0.0.1:${o.dbPort}`;
    const url = `${base}/${dbName}?sslmode=disable`;
    const freshDb = o.existing ? `upgrade_bench_fresh_${process.pid}` : 'fresh';
    const psql = (db, args) => run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(o.dbPort), '-U', 'postgres', '-d', db, ...args]);
    const failures = [];
    const state = { stop: false, ingest: false };
    let workers = [];
    let sample = null;
    try {
        if (!o.existing) run('bash', ['scripts/db.sh', 'start'], env);
        if (o.existing) psql('postgres', ['-c', `create database ${dbName}`]);
        psql(dbName, ['-f', 'local-supabase/platform.sql', '-f', 'scripts/upgrade/legacy-schema.sql', '-f', 'scripts/upgrade/legacy-generate.sql']);
        const db = new pg.Client({ connectionString: url, application_name: 'bench-upgrade' });
        await db.connect();
        const g0 = performance.now();
        for (let c = 1; c <= o.coaches; c++) {
            await db.query('select legacy_gen.generate_coach($1, $2, $3, $4, $5, $6)', [c, o.coaches, o.leadsPerCoach, o.messagesPerLead, o.seed, '2026-11-30T12:00:00Z']);
        }
        await db.query('drop schema legacy_gen cascade');
        await db.query('vacuum analyze');
        const genMs = performance.now() - g0;
        const before = await counts(db);
        const size = (await db.query('select pg_size_pretty(pg_database_size(current_database())) as s')).rows[0].s;
        log(`legacy database: ${fmt(before.coachs)} coachs, ${fmt(before.leads)} leads, ${fmt(before.messages)} messages, ${fmt(before.kpi_daily)} kpi_daily rows (${size}), generated in ${secs(genMs)}`);
        const leads = (await db.query('select id, coach_id, user_id_instagram from public.leads where created_at is not null order by id limit 5000')).rows;

        // load
        sample = sampler(url, state);
        workers = [writer(url, 1, leads, state), writer(url, 2, leads, state), reader(url, 1, leads, state), reader(url, 2, leads, state)];
        const watchIngest = (async () => {
            while (!state.stop) {
                state.ingest = (await db.query("select to_regprocedure('public.ingest_messages(jsonb)') is not null as ok")).rows[0].ok;
                await sleep(200);
            }
        })();
        await sleep(o.tiny ? 500 : 3000);

        // the documented path
        const p0 = performance.now();
        // as the DBA runs it, in its own process (a synchronous step in this one would stall the writers' clocks)
        await runAsync(process.execPath, [join(ROOT, 'scripts/upgrade/prepare.js'), '--db-url', url, '--quiet']);
        const prepMs = performance.now() - p0;
        log(`prepare.js: ${secs(prepMs)}`);
        const u0 = performance.now();
        await runAsync(join(ROOT, 'scripts/upgrade/push.sh'), ['--db-url', url, '--wait', '5']);
        const pushMs = performance.now() - u0;
        log(`push.sh: ${secs(pushMs)}`);
        await sleep(o.tiny ? 1000 : 3000);
        state.stop = true;
        await Promise.all([...workers.map((w) => w.done), sample.done, watchIngest]);

        // after
        const after = await counts(db);
        const moved = Object.fromEntries((await db.query(`select table_name, count(*)::bigint as n from private.legacy_values
            where column_name = '*' group by table_name`)).rows.map((r) => [r.table_name, Number(r.n)]));
        const kept = (await db.query(`select table_name || '.' || column_name as k, count(*)::bigint as n from private.legacy_values
            where column_name <> '*' group by 1 order by 1`)).rows;
        const written = { leads: 0, messages: 0 };
        for (const w of workers.filter((x) => x.stats.name.startsWith('writer'))) {
            written.leads += w.stats.leads;
            written.messages += w.stats.messages;
        }
        const expect = {
            coachs: Number(before.coachs),
            leads: Number(before.leads) + written.leads - (moved['public.leads'] ?? 0),
            messages: Number(before.messages) + written.messages - (moved['public.messages'] ?? 0),
            kpi_daily: Number(before.kpi_daily) - (moved['public.kpi_daily'] ?? 0),
        };
        for (const k of Object.keys(expect)) {
            if (Number(after[k]) !== expect[k]) failures.push(`${k}: ${after[k]} after, expected ${expect[k]} (before + written - moved whole to legacy_values)`);
        }
        const wrong = Number((await db.query(`select count(*) as n from public.leads as l
            left join lateral (select count(*) filter (where m.direction = 'out') as sent, count(*) filter (where m.direction = 'in') as received,
                max(m.created_at) as last from public.messages as m where m.lead_id = l.id) as t on true
            where (l.total_messages_sent, l.total_messages_received, l.last_contact_at) is distinct from (t.sent::int, t.received::int, t.last)`)).rows[0].n);
        if (wrong) failures.push(`${wrong} lead(s) whose counters disagree with their messages`);
        const steps = (await db.query(`select step, what, extract(epoch from finished_at - started_at) * 1000 as ms, attempts, batches
            from legacy_upgrade.steps order by ms desc limit 6`)).rows;
        const retried = (await db.query('select count(*) filter (where attempts > 1)::int as n, coalesce(sum(attempts - 1), 0)::int as retries from legacy_upgrade.steps')).rows[0];
        await db.end();

        // the schema against a fresh database from the same migrations
        psql('postgres', ['-c', `create database ${freshDb}`]);
        run('bash', ['scripts/db.sh', 'migrate'], { ...env, DB_NAME: freshDb });
        const diff = schemaDiff(`${base}/${freshDb}?sslmode=disable`, url);
        if (!diff.equal) failures.push(`the upgraded schema differs from a fresh one:\n${diff.diff}`);

        // waits
        const waits = [...sample.waits.values()];
        const longest = (kind) => waits.filter((w) => w.kind === kind).sort((a, b) => b.ms - a.ms)[0];
        const lr = longest('read');
        const lw = longest('write');
        if (lr && lr.ms > o.readLimit) failures.push(`a read waited ${msf(lr.ms)} for a lock (limit ${o.readLimit} ms), behind: ${lr.blocker}`);
        if (lw && lw.ms > o.writeLimit) failures.push(`a write waited ${msf(lw.ms)} for a lock (limit ${o.writeLimit} ms), behind: ${lw.blocker}`);
        const errors = workers.flatMap((w) => w.stats.errors);
        if (errors.length) failures.push(`${errors.length} failed write(s)/read(s), first: ${errors[0]}`);
        const strongest = [...sample.holds.values()].filter((h) => ['leads', 'messages'].includes(h.relation) && h.mode === 'AccessExclusiveLock')
            .sort((a, b) => b.ms - a.ms)[0];
        const lat = (kind) => workers.filter((w) => w.stats.name.startsWith(kind)).flatMap((w) => w.stats.latencies);

        const result = {
            o, size, genMs, before, after, written, moved, kept, prepMs, pushMs, totalMs: performance.now() - t0, steps, retried,
            lr, lw, strongest, samples: sample.samples(), ingestCalls: workers.reduce((a, w) => a + (w.stats.ingest ?? 0), 0),
            deadlockRetries: workers.reduce((a, w) => a + (w.stats.retries ?? 0), 0),
            writeLat: lat('writer'), readLat: lat('reader'), failures, schemaEqual: diff.equal, wrong,
        };
        const text = section(result);
        console.log(`\n${text}`);
        if (o.report) {
            const previous = existsSync(o.report) ? readFileSync(o.report, 'utf8') : '# Benchmarks\n';
            const i = previous.indexOf(START);
            const j = previous.indexOf(END);
            const next = i >= 0 && j > i ? previous.slice(0, i) + text + previous.slice(j + END.length) : `${previous.trimEnd()}\n\n${text}\n`;
            writeFileSync(o.report, next);
            log(`written to ${relative(ROOT, o.report)}`);
        }
        for (const f of failures) console.error(`bench upgrade: FAILED: ${f}`);
        return failures.length && (o.check || failures.some((f) => !/waited/.test(f))) ? 1 : 0;
    } catch (e) {
        console.error('bench upgrade: FAILED:', e.stack ?? e.message);
        return 1;
    } finally {
        state.stop = true;
        await Promise.allSettled([...workers.map((w) => w.done), sample?.done]);
        if (o.existing) {
            for (const d of [dbName, freshDb]) {
                spawnSync('psql', ['-X', '-q', '-h', '127.0.0.1', '-p', String(o.dbPort), '-U', 'postgres', '-d', 'postgres', '-c', `drop database if exists ${d} with (force)`]);
            }
        } else {
            spawnSync('bash', [join(ROOT, 'scripts/db.sh'), 'destroy'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' });
        }
    }
}

function section(r) {
    const verdict = (ok) => (ok ? 'met' : 'missed');
    const cpu = os.cpus();
    const L = [];
    L.push(START, '## Upgrade of a legacy database (`npm run bench -- --upgrade`)', '');
    L.push('Produced by `npm run bench -- --upgrade` (scripts/upgrade/bench.js): the documented path of [upgrade.md](upgrade.md) —');
    L.push('`scripts/upgrade/prepare.js`, then `scripts/upgrade/push.sh` — on a generated legacy database, while two n8n-like');
    L.push('writers (batches of 10 DMs every 20 ms, a new lead every tenth batch: plain INSERTs into the legacy tables, then');
    L.push('`ingest_messages` as service_role as soon as the push created it) and two readers (a coach\'s leads, a lead\'s');
    L.push('conversation) keep working. A sampler reads `pg_stat_activity` every 50 ms: a wait is the time from the start of a');
    L.push('writer\'s or reader\'s statement to the last sample that saw it waiting for a lock. Other engineers\' work shared the');
    L.push('machine during the run (noise in the times, not in the counts).', '');
    L.push(`- date: ${new Date().toISOString()}; machine: ${cpu.length} cores (${cpu[0]?.model ?? '?'}), PostgreSQL 15 (throwaway cluster, fsync off), load average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    L.push(`- legacy database: ${r.o.coaches} coaches × ${fmt(r.o.leadsPerCoach)} leads, ${r.o.messagesPerLead} messages per lead on average (seed ${r.o.seed}): ${fmt(r.before.leads)} leads, ${fmt(r.before.messages)} messages, ${fmt(r.before.kpi_daily)} kpi_daily rows, ${r.size}; generated in ${secs(r.genMs)}`);
    L.push(`- whole run ${secs(r.totalMs)}; ${fmt(r.samples)} samples`, '');
    L.push('| measurement | result | limit | verdict |', '| --- | --- | --- | --- |');
    L.push(`| preparation (\`prepare.js\`, online) | ${secs(r.prepMs)}${r.retried.n ? ` (${r.retried.n} step(s) retried ${r.retried.retries}× on lock_timeout)` : ''} | | |`);
    L.push(`| \`push.sh\` (supabase db push, lock_timeout 500 ms per migration) | ${secs(r.pushMs)} | | |`);
    L.push(`| total upgrade time | ${secs(r.prepMs + r.pushMs)} | | |`);
    L.push(`| longest lock wait of a read (leads, messages) | ${r.lr ? msf(r.lr.ms) : 'none seen'} | 1 s | ${verdict(!r.lr || r.lr.ms <= 1000)} |`);
    L.push(`| longest lock wait of a write | ${r.lw ? msf(r.lw.ms) : 'none seen'} | 2 s | ${verdict(!r.lw || r.lw.ms <= 2000)} |`);
    L.push(`| writes: ${fmt(r.writeLat.length)} batches, ${fmt(r.written.messages)} messages, ${fmt(r.written.leads)} new leads (${fmt(r.ingestCalls)} through ingest_messages) | p50 ${msf(pct(r.writeLat, 50))} · p99 ${msf(pct(r.writeLat, 99))} · max ${msf(Math.max(0, ...r.writeLat))}${r.deadlockRetries ? ` · ${r.deadlockRetries} deadlock(s) retried` : ''} | | |`);
    L.push(`| reads: ${fmt(r.readLat.length)} queries | p50 ${msf(pct(r.readLat, 50))} · p99 ${msf(pct(r.readLat, 99))} · max ${msf(Math.max(0, ...r.readLat))} | | |`);
    L.push(`| longest ACCESS EXCLUSIVE lock held on leads or messages | ${r.strongest ? `${msf(r.strongest.ms)} on ${r.strongest.relation}` : 'none seen'} | | |`);
    const rows = (k) => `${fmt(r.before[k])} → ${fmt(r.after[k])}`;
    L.push(`| rows before → after: coachs, leads, messages, kpi_daily | ${rows('coachs')}; ${rows('leads')}; ${rows('messages')}; ${rows('kpi_daily')} | before + written − moved whole to legacy_values | ${verdict(!r.failures.some((f) => /^(coachs|leads|messages|kpi_daily):/.test(f)))} |`);
    L.push(`| moved whole to private.legacy_values | ${Object.entries(r.moved).map(([k, v]) => `${k} ${fmt(v)}`).join(', ') || 'none'} | | |`);
    L.push(`| values kept in private.legacy_values | ${r.kept.map((k) => `${k.k} ${fmt(k.n)}`).join(', ') || 'none'} | | |`);
    L.push(`| leads whose counters disagree with their messages | ${fmt(r.wrong)} | 0 | ${verdict(r.wrong === 0)} |`);
    L.push(`| schema public + private vs a fresh database | ${r.schemaEqual ? 'equal' : 'differs'} | equal | ${verdict(r.schemaEqual)} |`);
    L.push('');
    if (r.lr) L.push(`- longest read wait: \`${r.lr.query.replace(/\s+/g, ' ')}\` behind \`${r.lr.blocker.replace(/\s+/g, ' ')}\``);
    if (r.lw) L.push(`- longest write wait: \`${r.lw.query.replace(/\s+/g, ' ')}\` behind \`${r.lw.blocker.replace(/\s+/g, ' ')}\``);
    if (r.strongest) L.push(`- longest ACCESS EXCLUSIVE hold: \`${r.strongest.query.replace(/\s+/g, ' ')}\` (the transaction's age when last seen holding it)`);
    L.push('- slowest preparation steps: ' + r.steps.map((s) => `${s.step} ${s.what ?? ''} ${secs(s.ms)}${s.batches ? ` (${s.batches} batches)` : ''}`).join('; '));
    if (r.failures.length) L.push('', '**Failures:**', '', ...r.failures.map((f) => `- ${f.split('\n')[0]}`));
    L.push(END);
    return L.join('\n');
}
