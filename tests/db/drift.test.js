// The drift check (npm run db:drift, scripts/schemas/) catches what it must: the catalog snapshot of the migrated test
// database is compared with a snapshot taken after deliberate changes, in a transaction that is rolled back (a
// function body, a missing grant, an added grant, a comment, a cron schedule, a policy, an index, a default
// privilege, a column default, a trigger, a view); and end to end, a function body changed in a copy of supabase/schemas
// makes scripts/db-drift.sh fail, naming that function and the differing line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { snapshot, compare } from '../../scripts/schemas/catalog.mjs';

const url = process.env.DATABASE_URL;
let client;
let reference;

before(async () => {
    assert.ok(url, 'DATABASE_URL is set by scripts/test.sh');
    client = new pg.Client({ connectionString: url });
    await client.connect();
    reference = await snapshot(client);
});

after(async () => {
    await client?.query('rollback').catch(() => {});
    await client?.end();
});

/** The differences after `sql` runs in a transaction that is then rolled back. */
async function driftAfter(sql) {
    await client.query('begin');
    try {
        await client.query(sql);
        return compare(reference, await snapshot(client));
    } finally {
        await client.query('rollback');
    }
}

const one = (diffs) => {
    assert.equal(diffs.length, 1, JSON.stringify(diffs, null, 1));
    return diffs[0];
};

test('no drift between a database and itself', async () => {
    assert.deepEqual(compare(reference, await snapshot(client)), []);
});

test('a changed function body', async () => {
    const body = (await client.query("select prosrc from pg_catalog.pg_proc where oid = 'private.kpi_min_sample()'::regprocedure")).rows[0].prosrc;
    const d = one(await driftAfter(`create or replace function private.kpi_min_sample() returns integer
        language sql immutable as $$ select 6 $$`));
    assert.equal(d.key, 'function private.kpi_min_sample()');
    assert.equal(d.attr, 'body');
    assert.equal(d.a, body);
    assert.equal(d.b, ' select 6 ');
});

test('a missing grant (EXECUTE)', async () => {
    const d = one(await driftAfter('revoke execute on function public.get_dashboard(uuid, text, date, date) from authenticated'));
    assert.deepEqual(d, { key: 'function public.get_dashboard(uuid, text, date, date)', kind: 'changed',
        attr: 'privileges of authenticated', a: 'EXECUTE', b: undefined });
});

test('a grant too many (the revoke that Supabase\'s default privileges make necessary, forgotten)', async () => {
    const d = one(await driftAfter('grant execute on function public.get_dashboard(uuid, text, date, date) to anon'));
    assert.deepEqual([d.key, d.attr, d.a, d.b], ['function public.get_dashboard(uuid, text, date, date)', 'privileges of anon', undefined, 'EXECUTE']);
});

test('a changed comment', async () => {
    const d = one(await driftAfter("comment on column public.leads.email is 'Changed.'"));
    assert.deepEqual([d.key, d.attr, d.b], ['column public.leads.email', 'comment', 'Changed.']);
});

test('a changed cron schedule', async () => {
    const d = one(await driftAfter("select cron.alter_job((select jobid from cron.job where jobname = 'purge-cron-run-details'), schedule => '15 4 * * *')"));
    assert.deepEqual([d.key, d.attr, d.a, d.b], ['cron job purge-cron-run-details', 'schedule', '15 3 * * *', '15 4 * * *']);
});

test('a missing cron job', async () => {
    const d = one(await driftAfter("select cron.unschedule('purge-cron-run-details')"));
    assert.deepEqual([d.key, d.kind], ['cron job purge-cron-run-details', 'missing']);
});

test('a changed policy, a dropped index, RLS turned off', async () => {
    const diffs = await driftAfter(`
        alter policy leads_select_authenticated on public.leads using (coach_id = (select auth.uid()));
        drop index public.coachs_email_lower_key;
        alter table public.kpi_daily disable row level security`);
    const got = diffs.map((d) => `${d.key}|${d.kind}|${d.attr ?? ''}`).sort();
    assert.deepEqual(got, [
        'index public.coachs_email_lower_key|missing|',
        'policy leads_select_authenticated on public.leads|changed|using',
        'table public.kpi_daily|changed|row level security',
    ]);
});

test('a changed default privilege, column default, trigger and view', async () => {
    const diffs = await driftAfter(`
        alter default privileges for role postgres in schema public grant truncate on tables to anon;
        alter table public.leads alter column status set default 'engaged';
        alter table public.coachs disable trigger coachs_set_updated_at;
        create or replace view private.coach_dashboard_kpis_live as select * from private.coach_dashboard_kpis_live where true`);
    const got = diffs.map((d) => `${d.key}|${d.attr ?? d.kind}`).sort();
    assert.deepEqual(got, [
        'column public.leads.status|default',
        'default privileges for role postgres in schema public on tables|privileges of anon',
        'trigger coachs_set_updated_at on public.coachs|enabled',
        'view private.coach_dashboard_kpis_live|definition',
    ]);
});

test('end to end: a function body changed in a schema file fails npm run db:drift, naming the function and the line', () => {
    const copy = mkdtempSync(join(tmpdir(), 'drift-'));
    try {
        cpSync('supabase/config.toml', join(copy, 'config.toml'));
        cpSync('supabase/schemas', join(copy, 'schemas'), { recursive: true });
        // the first function with a $$ body in the files: its first body line gets a trailing comment
        const files = readdirSync(join(copy, 'schemas')).filter((f) => f.endsWith('.sql')).sort();
        let found = null;
        for (const f of files) {
            const text = readFileSync(join(copy, 'schemas', f), 'utf8');
            const m = /^create or replace function (\S+?)\([\s\S]*?\nas \$\$\n(.+)\n/m.exec(text);
            if (!m) continue;
            found = { name: m[1], line: m[2] };
            const at = m.index + m[0].length - m[2].length - 1;
            writeFileSync(join(copy, 'schemas', f), `${text.slice(0, at)}${m[2]} -- changed${text.slice(at + m[2].length)}`);
            break;
        }
        assert.ok(found, 'a function with a $$ body in supabase/schemas');
        const run = spawnSync('bash', ['scripts/db-drift.sh'], {
            encoding: 'utf8',
            env: { ...process.env, SUPABASE_DIR: copy, MIGRATIONS_URL: url },
        });
        assert.equal(run.status, 1, run.stdout + run.stderr);
        const lines = run.stdout.split('\n').map((l) => l.trim());
        assert.ok(lines.some((l) => l.startsWith(`function ${found.name}(`) && l.endsWith(':')), run.stdout);
        assert.ok(lines.includes('body differs (- migrations, + schemas):'), run.stdout);
        assert.ok(lines.includes(`- ${found.line}`.trim()) || lines.includes(`-${found.line}`.trim()), run.stdout);
        assert.ok(lines.includes(`+ ${found.line} -- changed`.trim()), run.stdout);
    } finally {
        rmSync(copy, { recursive: true, force: true });
    }
});
