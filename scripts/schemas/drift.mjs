#!/usr/bin/env node
// Compares two databases' definitions (catalog.mjs): one built from supabase/migrations, one from supabase/schemas.
// Prints every difference, grouped by object, and exits 1 when there is any. Run through scripts/db-drift.sh
// (npm run db:drift), which builds the two databases.
//
//   node scripts/schemas/drift.mjs --migrations <url> --schemas <url> [--sql]
//
// --sql also prints, for what differs, the SQL that makes the migrations' database match the schema files (see
// sql.mjs): the draft of the next migration.
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { snapshot, compare } from './catalog.mjs';
import { schemaFiles } from './files.mjs';

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const migrationsUrl = opt('--migrations');
const schemasUrl = opt('--schemas');
if (!migrationsUrl || !schemasUrl) {
    console.error('usage: drift.mjs --migrations <url> --schemas <url> [--sql]');
    process.exit(2);
}

const read = async (url) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try { return { client, snap: await snapshot(client) }; } catch (e) { await client.end(); throw e; }
};
const m = await read(migrationsUrl);
const s = await read(schemasUrl);
const diffs = compare(m.snap, s.snap);
const twice = await definedTwice(s.client);
if (twice.length && !args.includes('--sql')) {
    console.log(['drift: a definition is written twice in supabase/schemas (the later one silently replaces the first):',
        ...twice.map((t) => `  ${t}`)].join('\n'));
    if (diffs.length === 0) process.exit(1);
}

if (args.includes('--sql')) {
    const { migrationSql } = await import('./sql.mjs');
    process.stdout.write(await migrationSql(diffs, { migrations: m.client, schemas: s.client }));
    await m.client.end();
    await s.client.end();
    process.exit(0);
}
await m.client.end();
await s.client.end();

if (diffs.length === 0) {
    console.log(`drift: none (${m.snap.size} objects compared: tables, columns, constraints, indexes, policies, RLS, `
        + 'functions, grants, default privileges, comments, triggers, views, types, cron jobs)');
    process.exit(0);
}

const byKey = new Map();
for (const d of diffs) byKey.set(d.key, [...(byKey.get(d.key) ?? []), d]);
const lines = [`drift: supabase/schemas and supabase/migrations define different databases (${byKey.size} ${byKey.size === 1 ? 'object differs' : 'objects differ'}):`];
for (const [key, list] of byKey) {
    const first = list[0];
    if (first.kind === 'missing') {
        lines.push(`  ${key}: only in supabase/migrations (add it to supabase/schemas)`);
    } else if (first.kind === 'extra') {
        lines.push(`  ${key}: only in supabase/schemas (no migration makes it)`);
    } else {
        lines.push(`  ${key}:`);
        for (const d of list) lines.push(...describe(d).map((l) => `    ${l}`));
    }
}
lines.push('', 'The schema file is the definition; a migration brings the database to it. See README.md, "Changing the schema".');
lines.push('npm run db:drift -- --sql prints the draft of that migration.');
console.log(lines.join('\n'));
process.exit(1);

function describe(d) {
    const show = (v) => (v === undefined ? '(none)' : JSON.stringify(v));
    if ((d.a ?? '').includes('\n') || (d.b ?? '').includes('\n')) {
        return [`${d.attr} differs (- migrations, + schemas):`, ...lineDiff(d.a ?? '', d.b ?? '').map((l) => `  ${l}`)];
    }
    return [`${d.attr}: migrations ${show(d.a)}, schemas ${show(d.b)}`];
}

/** The changed lines of two texts with one line of context, at most 40 lines. */
export function lineDiff(a, b) {
    const x = a.split('\n');
    const y = b.split('\n');
    const n = x.length;
    const mm = y.length;
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(mm + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = mm - 1; j >= 0; j--) {
        lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
    const ops = [];
    let i = 0;
    let j = 0;
    while (i < n || j < mm) {
        if (i < n && j < mm && x[i] === y[j]) { ops.push([' ', x[i], i + 1]); i++; j++; }
        else if (i < n && (j === mm || lcs[i + 1][j] >= lcs[i][j + 1])) { ops.push(['-', x[i], i + 1]); i++; }
        else { ops.push(['+', y[j], j + 1]); j++; }
    }
    const keep = new Set();
    ops.forEach((o, k) => { if (o[0] !== ' ') for (const q of [k - 1, k, k + 1]) keep.add(q); });
    const out = [];
    let last = -2;
    for (let k = 0; k < ops.length; k++) {
        if (!keep.has(k)) continue;
        if (k !== last + 1) out.push('…');
        out.push(`${ops[k][0]} ${ops[k][1]}`);
        last = k;
    }
    if (out.length > 40) return [...out.slice(0, 40), `… (${out.length - 40} more lines)`];
    if (out.every((l) => l === '…' || l[0] === ' ') || out.length === 0) return ['(whitespace at the end differs)'];
    return out;
}

/**
 * Functions, procedures and views created by more than one statement of the schema files: `create or replace` lets
 * the later one win without an error. Overloads (same name, other arguments) are told apart by the catalog: a name is
 * reported when its statements outnumber the objects of that name in the schemas' database.
 */
async function definedTwice(client) {
    const seen = new Map();
    for (const path of schemaFiles()) {
        const text = readFileSync(path, 'utf8');
        for (const x of text.matchAll(/^create (?:or replace )?(function|procedure|view|materialized view) ([a-z_0-9."]+)/gim)) {
            const key = `${x[1].toLowerCase().replace('procedure', 'function')} ${x[2].toLowerCase()}`;
            const line = text.slice(0, x.index).split('\n').length;
            seen.set(key, [...(seen.get(key) ?? []), `${path}:${line}`]);
        }
    }
    const out = [];
    for (const [key, places] of seen) {
        if (places.length < 2) continue;
        const [kind, qname] = [key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1)];
        const [schema, name] = qname.split('.');
        const { rows } = await client.query(kind === 'function'
            ? 'select count(*)::int as n from pg_catalog.pg_proc as p join pg_catalog.pg_namespace as n on n.oid = p.pronamespace where n.nspname = $1 and p.proname = $2'
            : 'select count(*)::int as n from pg_catalog.pg_class as c join pg_catalog.pg_namespace as n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2', [schema, name]);
        if (places.length > rows[0].n) out.push(`${kind} ${qname}: ${places.join(', ')}`);
    }
    return out;
}
