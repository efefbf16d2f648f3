// The documented upgrade of a legacy database (docs/upgrade.md), on the databases scripts/test.sh builds in the test
// cluster: `postgres` (migrations + seed), `fresh` (migrations only, a database like the two others: pg_cron runs in
// `postgres` only), `legacy` (the legacy fixtures, then prepare.js and push.sh) and `legacy_direct` (fixture.sql
// upgraded by a plain `supabase db push`, as before the documented path existed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { schemaDiff } from '../../scripts/upgrade/schema-diff.js';
import { migrationFiles } from '../../scripts/upgrade/prepare.js';
import { splitStatements } from '../../scripts/upgrade/sql-split.js';
import { isTimestamp, houseRules, LANDED } from '../../scripts/lint-migrations.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const port = process.env.DB_PORT;
const url = (db) => `postgresql://postgres@127.0.0.1:${port}/${db}?sslmode=disable`;
const psql = (db, args, input) => spawnSync('psql', ['-X', '-q', '-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-d', db, ...args],
    { encoding: 'utf8', input, cwd: ROOT });
const node = (args) => spawnSync(process.execPath, args, { encoding: 'utf8', cwd: ROOT });

async function withDb(db, fn) {
    const client = new pg.Client({ connectionString: url(db) });
    await client.connect();
    try {
        return await fn(client);
    } finally {
        await client.end();
    }
}
const rows = (db, sql, params) => withDb(db, async (c) => (await c.query(sql, params)).rows);

/** A new database holding the legacy tables (and the given fixture files), for tests that change it. */
function legacyDb(name, fixtures = ['tests/legacy/fixture.sql']) {
    psql('postgres', ['-c', `drop database if exists ${name} with (force)`, '-c', `create database ${name}`]);
    const r = psql(name, ['-v', 'ON_ERROR_STOP=1', '-f', 'local-supabase/platform.sql', '-f', 'scripts/upgrade/legacy-schema.sql',
        ...fixtures.flatMap((f) => ['-f', f])]);
    assert.equal(r.status, 0, r.stderr);
    return name;
}
const dropDb = (name) => psql('postgres', ['-c', `drop database if exists ${name} with (force)`]);

test('the preparation runs each landed statement exactly as supabase db push splits it', async () => {
    const recorded = new Map((await rows('postgres', 'select version, statements from supabase_migrations.schema_migrations')).map((r) => [r.version, r.statements]));
    for (const f of migrationFiles()) {
        assert.deepEqual(splitStatements(readFileSync(f.path, 'utf8')), recorded.get(f.version), `${f.name}: the CLI recorded other statements`);
    }
});

for (const db of ['legacy', 'legacy_direct']) {
    test(`${db}: public and private end exactly as in a fresh database (normalized pg_dump --schema-only)`, () => {
        const d = schemaDiff(url('fresh'), url(db));
        assert.ok(d.equal, `the schemas differ:\n${d.diff}`);
    });

    test(`${db}: same migration history as a fresh database, nothing left invalid or half-done`, async () => {
        const versions = async (name) => (await rows(name, 'select version from supabase_migrations.schema_migrations order by 1')).map((r) => r.version);
        assert.deepEqual(await versions(db), await versions('fresh'));
        const left = await rows(db, `select c.conname::text as name from pg_constraint as c join pg_namespace as n on n.oid = c.connamespace
            where n.nspname in ('public', 'private') and (not c.convalidated or c.conname like 'legacy_upgrade_%')
            union all select c.relname::text from pg_index as i join pg_class as c on c.oid = i.indexrelid where not i.indisvalid`);
        assert.deepEqual(left, [], 'no NOT VALID constraint, helper check or invalid index is left');
    });
}

test('legacy: every step of the preparation finished, the legacy leads were derived in batches', async () => {
    const steps = await rows('legacy', 'select count(*)::int as n, count(*) filter (where finished_at is null)::int as open from legacy_upgrade.steps');
    assert.ok(steps[0].n > 200, `${steps[0].n} steps recorded`);
    assert.equal(steps[0].open, 0);
});

test('prepare.js again on the upgraded database: nothing to do', () => {
    const r = node(['scripts/upgrade/prepare.js', '--db-url', url('legacy')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /already recorded as applied: nothing to prepare/);
});

test('prepare.js refuses a database without the legacy tables, and coaches sharing an email, changing nothing', async () => {
    const empty = legacyDb('upgrade_not_legacy', []);
    try {
        psql(empty, ['-c', 'drop table public.kpi_daily, public.messages, public.leads, public.coachs']);
        const r = node(['scripts/upgrade/prepare.js', '--db-url', url(empty)]);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /must all exist: this is not the legacy database/);
    } finally {
        dropDb(empty);
    }
    const dup = legacyDb('upgrade_dup_email');
    try {
        psql(dup, ['-c', "insert into public.coachs (name, email) values ('Twin', 'ONE@legacy.example')"]);
        const r = node(['scripts/upgrade/prepare.js', '--db-url', url(dup)]);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /coachs share an email \(case-insensitively\).*one@legacy\.example \(2\)/);
        assert.deepEqual(await rows(dup, "select to_regclass('legacy_upgrade.steps') as s, to_regclass('private.legacy_values') as v"), [{ s: null, v: null }]);
    } finally {
        dropDb(dup);
    }
});

// pg_dump of the whole database, schema and rows, without the CLI's own history schema (a refused push creates it, empty).
const dumpAll = (db) => {
    const r = spawnSync('pg_dump', ['--no-owner', '--exclude-schema=supabase_migrations', url(db)], { encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.replace(/^\\(un)?restrict .*$/gm, '');
};

test('a plain supabase db push on an unprepared legacy database refuses before changing anything, naming docs/upgrade.md', async () => {
    const db = legacyDb('upgrade_plain_push', ['tests/legacy/fixture.sql', 'tests/legacy/fixture-cases.sql', 'tests/legacy/fixture-kpi-daily-timestamps.sql']);
    try {
        const before = dumpAll(db);
        const cli = spawnSync(join(ROOT, 'node_modules/.bin/supabase'), ['db', 'push', '--db-url', url(db), '--yes'], { cwd: ROOT, encoding: 'utf8' });
        const out = cli.stdout + cli.stderr;
        assert.notEqual(cli.status, 0, out);
        assert.match(out, /Applying migration 20261125000100_create_private_schema\.sql\.\.\.\nERROR: supabase db push refused: this is a legacy database \(4 coachs, 9 leads, 10 messages, 6 kpi_daily rows\) that scripts\/upgrade\/prepare\.js has not prepared\..* Upgrade it as docs\/upgrade\.md says: node scripts\/upgrade\/prepare\.js, then scripts\/upgrade\/push\.sh\. Nothing was changed\. \(SQLSTATE 55000\)/);
        assert.doesNotMatch(out, /Applying migration 20261125000150/);
        assert.equal(dumpAll(db), before, 'the schema and every row are as they were');
        assert.deepEqual(await rows(db, 'select count(*)::int as n from supabase_migrations.schema_migrations'), [{ n: 0 }]);
        // push.sh stops at once too (55000 is not a lock timeout it would retry)
        const push = spawnSync('scripts/upgrade/push.sh', ['--db-url', url(db), '--attempts', '2', '--wait', '0'], { cwd: ROOT, encoding: 'utf8' });
        assert.equal(push.status, 1);
        assert.match(push.stderr, /supabase db push refused: this is a legacy database/);
        assert.doesNotMatch(push.stderr, /gave up waiting for a lock/);
        assert.equal(dumpAll(db), before);
    } finally {
        dropDb(db);
    }
});

test('the guard of 20261125000100: empty legacy tables and the documented override go through; an unfinished preparation is refused', () => {
    // The migration's file run by psql in a rolled-back transaction, as the CLI runs it (one transaction per file).
    const run = (db, { options, before = '' } = {}) => spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-d', db], {
        encoding: 'utf8', cwd: ROOT, env: { ...process.env, PGOPTIONS: options ?? '' },
        input: `begin;\n${before}\n\\i supabase/migrations/20261125000100_create_private_schema.sql\nrollback;\n`,
    });
    const override = '-c legacy_upgrade.plain_push=accept_loss';
    const empty = legacyDb('upgrade_guard_empty', []);
    try {
        const r = run(empty);
        assert.equal(r.status, 0, `legacy tables without rows: nothing to lose, the push goes on\n${r.stderr}`);
    } finally {
        dropDb(empty);
    }
    const db = legacyDb('upgrade_guard_rows');
    try {
        let r = run(db);
        assert.equal(r.status, 3);
        assert.match(r.stderr, /ERROR: {2}supabase db push refused: this is a legacy database \(2 coachs, 5 leads, 6 messages, 3 kpi_daily rows\)/);
        assert.match(r.stderr, /HINT: {2}To push anyway and accept those losses .*add legacy_upgrade\.plain_push=accept_loss to the query string of --db-url \(docs\/upgrade\.md\)/);
        r = run(db, { options: '-c legacy_upgrade.plain_push=yes' });
        assert.equal(r.status, 3, 'only the exact override value lets it through');
        r = run(db, { options: override });
        assert.equal(r.status, 0, `the override lets it through\n${r.stderr}`);
        // prepare.js stopped half-way (its progress table exists, its migrations are not recorded): refused, override or not
        r = run(db, { options: override, before: 'create schema legacy_upgrade; create table legacy_upgrade.steps (step text);' });
        assert.equal(r.status, 3);
        assert.match(r.stderr, /supabase db push refused: scripts\/upgrade\/prepare\.js started preparing this legacy database and has not recorded its migrations as applied\. Run prepare\.js again to its end/);
    } finally {
        dropDb(db);
    }
});

test('prepare.js gives up on a lock it cannot get, then resumes where it stopped', async () => {
    const db = legacyDb('upgrade_resume', ['tests/legacy/fixture.sql', 'tests/legacy/fixture-cases.sql']);
    const holder = new pg.Client({ connectionString: url(db) });
    await holder.connect();
    try {
        // A long reader of leads: the step that adds the leads columns (ACCESS EXCLUSIVE) cannot get its lock.
        await holder.query('begin; lock table public.leads in access share mode');
        const r = node(['scripts/upgrade/prepare.js', '--db-url', url(db), '--lock-timeout', '100ms', '--retries', '1', '--quiet']);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /step 20261125000500#1 failed after 2 attempts: canceling statement due to lock timeout/);
        assert.match(r.stderr, /run prepare\.js again: finished steps are skipped/);
        await holder.query('rollback');
        const before = await rows(db, "select step, finished_at from legacy_upgrade.steps where finished_at is not null order by step");
        const again = node(['scripts/upgrade/prepare.js', '--db-url', url(db)]);
        assert.equal(again.status, 0, again.stderr);
        assert.match(again.stdout, /resuming/);
        assert.doesNotMatch(again.stdout, /20261125000100#0 /, 'a finished step is not run again');
        const after = await rows(db, `select step, finished_at from legacy_upgrade.steps where step = any ($1) order by step`, [before.map((b) => b.step)]);
        assert.deepEqual(after, before, 'the finished steps were not run again');
        const push = spawnSync('scripts/upgrade/push.sh', ['--db-url', url(db)], { cwd: ROOT, encoding: 'utf8' });
        assert.equal(push.status, 0, push.stderr);
        const d = schemaDiff(url('fresh'), url(db));
        assert.ok(d.equal, d.diff);
    } finally {
        await holder.end().catch(() => {});
        dropDb(db);
    }
});

test('push.sh: a migration that gives up on lock_timeout is rolled back and pushed again', async () => {
    const db = legacyDb('upgrade_push_retry');
    const dir = mkdtempSync(join(os.tmpdir(), 'push-retry-'));
    const holder = new pg.Client({ connectionString: url(db) });
    await holder.connect();
    try {
        mkdirSync(join(dir, 'supabase/migrations'), { recursive: true });
        cpSync(join(ROOT, 'supabase/config.toml'), join(dir, 'supabase/config.toml'));
        // no lock_timeout of its own: the one push.sh gives the connection bounds it
        writeFileSync(join(dir, 'supabase/migrations/20261201000000_add_coachs_note.sql'),
            '-- Purpose: test\nalter table public.coachs add column note text;\n');
        await holder.query('begin; lock table public.coachs in access share mode');
        // the holder lets go once push.sh reports the first attempt gave up
        const r = await new Promise((resolve) => {
            const child = spawn('scripts/upgrade/push.sh',
                ['--db-url', url(db), '--workdir', dir, '--lock-timeout', '200ms', '--wait', '1', '--attempts', '5'], { cwd: ROOT });
            let stderr = '';
            child.stderr.on('data', (d) => {
                stderr += d;
                if (/gave up waiting for a lock/.test(stderr)) holder.query('rollback').catch(() => {});
            });
            child.on('close', (status) => resolve({ status, stderr }));
        });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stderr, /attempt 1: 20261201000000_add_coachs_note\.sql gave up waiting for a lock \(SQLSTATE 55P03\)/);
        assert.deepEqual(await rows(db, "select count(*)::int as n from pg_attribute where attrelid = 'public.coachs'::regclass and attname = 'note'"), [{ n: 1 }]);
    } finally {
        await holder.end().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
        dropDb(db);
    }
});

test('push.sh: a CREATE INDEX CONCURRENTLY that gave up leaves an invalid index, dropped before the next attempt', async () => {
    const db = legacyDb('upgrade_push_index');
    const dir = mkdtempSync(join(os.tmpdir(), 'push-index-'));
    const writer = new pg.Client({ connectionString: url(db) });
    await writer.connect();
    try {
        mkdirSync(join(dir, 'supabase/migrations'), { recursive: true });
        cpSync(join(ROOT, 'supabase/config.toml'), join(dir, 'supabase/config.toml'));
        writeFileSync(join(dir, 'supabase/migrations/20261201000000_create_coachs_name_index.sql'),
            '-- Purpose: test\n-- squawk-ignore-file require-lock-timeout -- the only statement\ncreate index concurrently coachs_name_idx on public.coachs (name);\n');
        // An open write transaction: the build creates the index, then waits for it and gives up (lock_timeout).
        await writer.query("begin; insert into public.coachs (name, email) values ('Busy', 'busy@legacy.example')");
        const r = await new Promise((resolve) => {
            const child = spawn('scripts/upgrade/push.sh',
                ['--db-url', url(db), '--workdir', dir, '--lock-timeout', '200ms', '--wait', '1', '--attempts', '5'], { cwd: ROOT });
            let stderr = '';
            child.stderr.on('data', (d) => {
                stderr += d;
                // let go once the first attempt gave up (the drop of the invalid index waits for this transaction too)
                if (/gave up waiting for a lock/.test(stderr)) writer.query('rollback').catch(() => {});
            });
            child.on('close', (status) => resolve({ status, stderr }));
        });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stderr, /push: dropped the invalid index public\.coachs_name_idx that the failed build of supabase\/migrations\/20261201000000_create_coachs_name_index\.sql left/);
        assert.deepEqual(await rows(db, "select i.indisvalid from pg_index as i where i.indexrelid = 'public.coachs_name_idx'::regclass"), [{ indisvalid: true }]);
    } finally {
        await writer.end().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
        dropDb(db);
    }
});

test('seed.sql refuses a database holding coaches, leads or users it did not create, and changes nothing', async () => {
    const count = () => rows('legacy', '(select count(*)::int as n from auth.users) union all (select count(*)::int from public.coachs)');
    const before = await count();
    // psql without ON_ERROR_STOP goes on after an error: the seed's transaction keeps the rest from running
    const r = psql('legacy', ['-f', 'supabase/seed.sql']);
    assert.match(r.stderr, /supabase\/seed\.sql refused to run: this database holds 4 coach\(es\), 9 lead\(s\) and 0 user\(s\) that the seed did not create \(e\.g\. legacy-44444444-4444-4444-8444-444444444444@coach\.invalid\); nothing was changed/);
    assert.match(r.stderr, /HINT:.*never with supabase db push --include-seed onto a real project/);
    assert.deepEqual(await count(), before);
    const cli = spawnSync(join(ROOT, 'node_modules/.bin/supabase'), ['db', 'push', '--include-seed', '--db-url', url('legacy'), '--yes'], { cwd: ROOT, encoding: 'utf8' });
    assert.notEqual(cli.status, 0);
    assert.match(cli.stderr + cli.stdout, /seed\.sql refused to run/);
    assert.deepEqual(await count(), before);
});

test('lint-migrations: real UTC versions, a purpose line, reasons for squawk ignores', () => {
    assert.ok(isTimestamp('20261201135521'));
    for (const bad of ['20261125400000', '20261125500100', '20261131120000', '2026112512000']) assert.ok(!isTimestamp(bad), bad);
    assert.deepEqual(houseRules('/x/20261125400000_replace_dashboard_row_function.sql', '-- Purpose: x\n', []),
        ['20261125400000 is not a real UTC time: take the version from `date -u +%Y%m%d%H%M%S`']);
    assert.deepEqual(houseRules('/x/20261201000000_add_x.sql', '-- Purpose: x\n-- squawk-ignore require-lock-timeout\nselect 1;\n', []),
        ['line 2: a squawk ignore needs its reason: `-- squawk-ignore <rule> -- <why this statement is safe>`']);
    assert.deepEqual(houseRules('/x/20261201000000_add_x.sql', '-- Purpose: x\n-- squawk-ignore require-lock-timeout -- the table is created above\n', []), []);
});

test('lint-migrations: after the landed ones, lock_timeout at most 500ms, set before touching a table, triggers on one hot table', () => {
    assert.equal(LANDED, '20261201152754');
    const after = '/x/20261201180000_add_x.sql';
    const raise = ' push.sh pushes with 500 ms and retries, a migration must not raise it; `set lock_timeout = \'500ms\';`';
    assert.deepEqual(houseRules(after, "-- Purpose: x\nset local lock_timeout = '3s';\nupdate private.t set a = 1;\n", []),
        [`line 2: lock_timeout '3s' is above 500ms:${raise}`]);
    assert.deepEqual(houseRules(after, '-- Purpose: x\nset lock_timeout = 0;\nselect 1;\n', []), [`line 2: lock_timeout 0 disables the timeout:${raise}`]);
    assert.deepEqual(houseRules(after, "-- Purpose: x\nselect pg_catalog.set_config('lock_timeout', '1min', true);\n", []),
        [`line 2: lock_timeout '1min' is above 500ms:${raise}`]);
    for (const fine of ["'500ms'", '500', "'0.2s'", "'100ms'"]) {
        assert.deepEqual(houseRules(after, `-- Purpose: x\nset lock_timeout = ${fine};\nupdate private.t set a = 1;\n`, []), [], fine);
    }
    // the same file among the landed ones: not checked (they are never edited)
    assert.deepEqual(houseRules('/x/20261201152754_add_x.sql', "-- Purpose: x\nset local lock_timeout = '3s';\n", []), []);
    // a statement on an existing table before any lock_timeout: DDL, DML (a data-modifying WITH too)
    const unset = (table, line) => `line ${line}: touches the existing table ${table} without a lock_timeout: put \`set lock_timeout = '500ms';\` before the first statement of the file`;
    assert.deepEqual(houseRules(after, '-- Purpose: x\n\n-- why\nalter table public.leads add column x integer;\n', []), [unset('public.leads', 4)]);
    assert.deepEqual(houseRules(after, "-- Purpose: x\ninsert into coachs (id) values (gen_random_uuid());\nset lock_timeout = '500ms';\n", []),
        [unset('public.coachs', 2)]);
    assert.deepEqual(houseRules(after, '-- Purpose: x\nwith d as (delete from public.messages where false returning id) select count(*) from d;\n', []),
        [unset('public.messages', 2)]);
    // tables the file creates, and a concurrent index alone (it cannot set one: push.sh's applies), need none
    assert.deepEqual(houseRules(after, '-- Purpose: x\ncreate table private.t (id integer);\ncreate index t_id on private.t (id);\ninsert into private.t values (1);\n', []), []);
    assert.deepEqual(houseRules(after, '-- Purpose: x\n-- squawk-ignore-file require-lock-timeout -- CREATE INDEX CONCURRENTLY must be alone\ncreate index concurrently leads_x on public.leads (x);\n', []), []);
    // triggers: one hot table per file, whatever the statement (create, drop, alter table ... disable trigger)
    const triggers = (n, list) => `triggers on ${n} hot tables (${list}): at most one per migration, each trigger statement locks its table until the migration commits; one file per table`;
    assert.deepEqual(houseRules(after, ["-- Purpose: x", "set lock_timeout = '500ms';",
        'create trigger a after insert on public.leads for each statement execute function private.f();',
        'drop trigger if exists b on messages;',
        'create or replace trigger c after update on public.leads for each statement execute function private.f();',
        'alter table public.coach_settings disable trigger d;',
        'create trigger e after insert on private.t for each row execute function private.f();', ''].join('\n'), []),
    [triggers(3, 'public.leads line 3, public.messages line 4, public.coach_settings line 6')]);
    assert.deepEqual(houseRules(after, ["-- Purpose: x", "set lock_timeout = '500ms';",
        'drop trigger if exists a on public.leads;',
        'create trigger a after update of online on public.leads for each statement execute function private.f();', ''].join('\n'), []), [],
    'several trigger statements on one hot table are fine');

    // the CLI fails on a bad file: the landed 20261201150903 (3 s, triggers on the five hot tables) as a new migration
    const dir = mkdtempSync(join(os.tmpdir(), 'lint-'));
    try {
        const bad = join(dir, '20261201180000_create_kpi_queue_triggers.sql');
        writeFileSync(bad, readFileSync(join(ROOT, 'supabase/migrations/20261201150903_create_kpi_queue_triggers.sql'), 'utf8'));
        const r = spawnSync(process.execPath, [join(ROOT, 'scripts/lint-migrations.js'), bad], { cwd: ROOT, encoding: 'utf8' });
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stderr, /20261201180000_create_kpi_queue_triggers\.sql: line 4: lock_timeout '3s' is above 500ms/);
        assert.match(r.stderr, /20261201180000_create_kpi_queue_triggers\.sql: triggers on 5 hot tables \(public\.leads line 73, public\.messages line 86, public\.lead_status_events line 99, public\.coachs line 112, public\.coach_settings line 146\)/);
        assert.match(r.stderr, /lint-migrations: 1 migration\(s\) newer than \d+ checked: FAILED/);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test('the SQL of docs/upgrade.md runs on the upgraded legacy database', async () => {
    const text = readFileSync(join(ROOT, 'docs/upgrade.md'), 'utf8');
    const blocks = [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.ok(blocks.length > 0);
    await withDb('legacy', async (c) => {
        for (const sql of blocks) {
            await c.query('begin');
            try {
                await c.query(sql);
            } catch (e) {
                assert.fail(`docs/upgrade.md: ${e.message}\n${sql}`);
            } finally {
                await c.query('rollback');
            }
        }
    });
});
