// The drift check (npm run db:drift, scripts/schemas/) catches what it must: the catalog snapshot of the migrated test
// database is compared with a snapshot taken after deliberate changes, in a transaction that is rolled back (a
// function body, a missing grant, an added grant, a comment, a cron schedule, a policy, an index, a default
// privilege, a column default, a trigger, a view); and end to end, a function body changed in a copy of supabase/schemas
// makes scripts/db-drift.sh fail, naming that function and the differing line; and the draft migration it prints with
// --sql, applied to the migrated database, gives exactly the schema files' definition.
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
        language sql immutable set search_path = '' as $$ select 6 $$`));
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

test('a changed default privilege, column default, trigger and view comment', async () => {
    const diffs = await driftAfter(`
        alter default privileges for role postgres in schema public grant truncate on tables to anon;
        alter table public.leads alter column status set default 'engaged';
        alter table public.coachs disable trigger coachs_set_updated_at;
        comment on materialized view private.coach_dashboard_kpis is 'changed'`);
    const got = diffs.map((d) => `${d.key}|${d.attr ?? d.kind}`).sort();
    assert.deepEqual(got, [
        'column public.leads.status|default',
        'default privileges for role postgres in schema public on tables|privileges of anon',
        'materialized view private.coach_dashboard_kpis|comment',
        'trigger coachs_set_updated_at on public.coachs|enabled',
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

/** A copy of supabase/ whose schema files `change` edits: (path, text) -> new text. */
function alteredCopy(change) {
    const copy = mkdtempSync(join(tmpdir(), 'drift-'));
    cpSync('supabase/config.toml', join(copy, 'config.toml'));
    cpSync('supabase/schemas', join(copy, 'schemas'), { recursive: true });
    for (const f of readdirSync(join(copy, 'schemas')).filter((n) => n.endsWith('.sql'))) {
        const path = join(copy, 'schemas', f);
        const text = readFileSync(path, 'utf8');
        const changed = change(f, text);
        if (changed !== text) writeFileSync(path, changed);
    }
    return copy;
}

test('--sql: the draft migration, applied to the migrated database, gives what the altered schema files define', async () => {
    const edits = new Set();
    const copy = alteredCopy((file, text) => {
        let t = text;
        // a function body, a comment, a revoke forgotten (the grant Supabase's defaults give back), a cron schedule,
        // a policy, a new function with its comment and grants
        t = t.replace(/(create or replace function private\.kpi_min_sample\(\)[\s\S]*?\nas \$\$\n)(.*)\n/, (m, head, line) => { edits.add('body'); return `${head}${line} -- changed\n`; });
        t = t.replace(/^comment on column public\.leads\.email is[^;]*;/m, () => { edits.add('comment'); return "comment on column public.leads.email is 'Changed.';"; });
        t = t.replace(/^revoke execute on function public\.get_dashboard\(uuid, text, date, date\) from public, anon;/m, () => { edits.add('grant'); return 'revoke execute on function public.get_dashboard(uuid, text, date, date) from public;'; });
        t = t.replace(/^(select cron\.schedule\(\n\s+'purge-cron-run-details',\n\s+)'[^']*'/m, (m, head) => { edits.add('cron'); return `${head}'15 4 * * *'`; });
        t = t.replace(/^(create policy leads_select_authenticated on public\.leads[\s\S]*?using \()([\s\S]*?)\);/m, (m, head) => { edits.add('policy'); return `${head}coach_id = (select auth.uid()));`; });
        if (file === '90_cron_jobs.sql') {
            edits.add('function');
            t += "\ncreate or replace function private.drift_twice(x numeric)\nreturns numeric\nlanguage sql\nimmutable\nsecurity invoker\nas $$\n    select x * 2;\n$$;\n\n"
                + "comment on function private.drift_twice(numeric) is\n    'Twice x.';\n\nrevoke execute on function private.drift_twice(numeric) from public;\n"
                + 'grant execute on function private.drift_twice(numeric) to service_role;\n';
        }
        return t;
    });
    try {
        assert.deepEqual([...edits].sort(), ['body', 'comment', 'cron', 'function', 'grant', 'policy'], 'every edit applied to the copy');
        const env = { ...process.env, SUPABASE_DIR: copy, MIGRATIONS_URL: url };
        const draft = spawnSync('bash', ['scripts/db-drift.sh', '--sql'], { encoding: 'utf8', env });
        assert.equal(draft.status, 0, draft.stderr);
        const sql = draft.stdout;
        assert.match(sql, /^create or replace function private\.kpi_min_sample\(\)$/m);
        assert.match(sql, /^comment on column public\.leads\.email is\n {4}'Changed\.';$/m);
        assert.match(sql, /^grant execute on function public\.get_dashboard\(uuid, text, date, date\) to anon;$/m);
        assert.match(sql, /^select cron\.schedule\(\n {4}'purge-cron-run-details',\n {4}'15 4 \* \* \*',/m);
        assert.match(sql, /^drop policy leads_select_authenticated on public\.leads;\ncreate policy leads_select_authenticated/m);
        assert.match(sql, /^revoke execute on function private\.drift_twice\(numeric\) from public;$/m);
        // the draft brings the migrated database to the files: what differs from it afterwards is what the files changed
        await client.query('begin');
        try {
            await client.query(sql);
            const after = await snapshot(client);
            await client.query('rollback');
            const changed = compare(reference, after).map((d) => `${d.key}|${d.attr ?? d.kind}`).sort();
            assert.deepEqual(changed, [
                'column public.leads.email|comment',
                'cron job purge-cron-run-details|schedule',
                'function private.drift_twice(numeric)|extra',
                'function private.kpi_min_sample()|body',
                'function public.get_dashboard(uuid, text, date, date)|privileges of anon',
                'policy leads_select_authenticated on public.leads|using',
            ]);
            const twice = after.get('function private.drift_twice(numeric)');
            assert.equal(twice.get('privileges of service_role'), 'EXECUTE');
            assert.equal(twice.get('privileges of public'), undefined);
            assert.equal(twice.get('comment'), 'Twice x.');
        } finally {
            await client.query('rollback').catch(() => {});
        }
        // and the drift check, run on the same copy, lists those six objects
        const check = spawnSync('bash', ['scripts/db-drift.sh'], { encoding: 'utf8', env });
        assert.equal(check.status, 1);
        for (const k of ['column public.leads.email:', 'cron job purge-cron-run-details:', 'function private.drift_twice(numeric): only in supabase/schemas',
            'function private.kpi_min_sample():', 'function public.get_dashboard(uuid, text, date, date):', 'policy leads_select_authenticated on public.leads:']) {
            assert.ok(check.stdout.includes(`  ${k}`), `${k}\n${check.stdout}`);
        }
    } finally {
        rmSync(copy, { recursive: true, force: true });
    }
});

test('a function defined twice in the schema files fails the check, naming both places', () => {
    let first = null;
    const copy = alteredCopy((file, text) => {
        if (first) return text;
        const m = /^create or replace function (\S+?)\([\s\S]*?\n\$\$;\n/m.exec(text);
        if (!m) return text;
        first = { file, name: m[1], sql: m[0] };
        return `${text}\n${m[0]}`; // the same definition again, at the end of the same file
    });
    try {
        assert.ok(first, 'a function in supabase/schemas');
        const run = spawnSync('bash', ['scripts/db-drift.sh'], { encoding: 'utf8', env: { ...process.env, SUPABASE_DIR: copy, MIGRATIONS_URL: url } });
        assert.equal(run.status, 1, run.stdout + run.stderr);
        assert.match(run.stdout, /^drift: a definition is written twice in supabase\/schemas/m);
        assert.match(run.stdout, new RegExp(`^  function ${first.name.replace(/[.$]/g, '\\$&')}: \\S+/${first.file}:\\d+, \\S+/${first.file}:\\d+$`, 'm'));
    } finally {
        rmSync(copy, { recursive: true, force: true });
    }
});
