#!/usr/bin/env node
// Made the first version of supabase/schemas/*.sql from a database migrated from supabase/migrations: pg_dump
// --schema-only split per object and regrouped by table and feature (layout.mjs), in the project's lowercase style;
// function definitions, comments and grants from the catalogs; policies, views, named checks and `begin atomic`
// functions as the latest migration wrote them. Grants are written relative to what an object gets when it is created
// after supabase/schemas/00_schemas.sql (Supabase's default privileges included), so the revokes those make
// necessary are kept.
//
//   DATABASE_URL=postgresql://… node scripts/schemas/bootstrap.mjs [--out .local/schemas-bootstrap]
//
// The files are edited by hand since (npm run db:drift proves they build the migrations' database): this writes
// elsewhere, to see how an object looks when generated; it refuses to overwrite supabase/schemas.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { lowerSql, literal, dollarQuote, statementAt } from './sql-style.mjs';
import { FILES, DESCRIPTIONS, fileOf, positionOf } from './layout.mjs';
import { grantStatements, probeDefaults } from './acl.mjs';

// the migrations, newest first: where a statement's text was written by hand, it is kept (policies, views,
// `begin atomic` functions); the drift check proves it defines the same object
const migrationsDir = 'supabase/migrations';
const migrationTexts = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort().reverse()
    .map((f) => readFileSync(join(migrationsDir, f), 'utf8'));
const escapeRx = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
function original(rx) {
    for (const text of migrationTexts) {
        let last = null;
        for (const m of text.matchAll(new RegExp(rx, 'gim'))) last = m;
        if (last) return statementAt(text, last.index);
    }
    return null;
}

// a named constraint as a migration wrote it: `constraint <name> check (…)`, without `not valid` (validated later)
function originalConstraint(name) {
    for (const text of migrationTexts) {
        let last = null;
        for (const m of text.matchAll(new RegExp(`\\bconstraint ${escapeRx(name)}\\s`, 'gim'))) last = m;
        if (!last) continue;
        const rest = text.slice(last.index);
        let depth = 0;
        let end = rest.length;
        for (let i = 0; i < rest.length; i++) {
            const c = rest[i];
            if (c === "'") { i = rest.indexOf("'", i + 1); continue; }
            if (c === '(') depth += 1;
            else if (c === ')') { if (depth === 0) { end = i; break; } depth -= 1; }
            else if ((c === ',' || c === ';') && depth === 0) { end = i; break; }
        }
        const def = rest.slice(0, end).trim().replace(/\s+not valid$/i, '')
            .replace(/\(\s*\n\s*/g, '(').replace(/\s*\n\s*\)/g, ')').replace(/\s*\n\s*/g, ' ');
        if (/^constraint \S+ (check|unique|primary key|foreign key|exclude)/i.test(def)) return def;
        return null;
    }
    return null;
}

const url = process.env.DATABASE_URL;
if (!url) { console.error('bootstrap: DATABASE_URL is required'); process.exit(2); }
const outDir = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : '.local/schemas-bootstrap';
if (join(outDir) === join('supabase/schemas')) { console.error('bootstrap: supabase/schemas is edited by hand; write elsewhere (--out)'); process.exit(2); }
const SCHEMAS = ['public', 'private'];

const client = new pg.Client({ connectionString: url });
await client.connect();
await client.query("set search_path = ''");

// ---------------------------------------------------------------------------------------------------------------
// pg_dump, split per TOC entry
const dump = execFileSync('pg_dump', ['--schema-only', '--no-owner', '--no-acl', ...SCHEMAS.flatMap((s) => ['-n', s]), url],
    { encoding: 'utf8', maxBuffer: 1 << 28 });
const entries = [];
const re = /^--\n-- Name: (.*); Type: (.*); Schema: (.*); Owner: .*\n--\n/gm;
let m;
let last = null;
while ((m = re.exec(dump))) {
    if (last) last.sql = dump.slice(last.end, m.index).trim();
    last = { name: m[1], type: m[2], schema: m[3], end: m.index + m[0].length };
    entries.push(last);
}
last.sql = dump.slice(last.end).replace(/--\n-- PostgreSQL database dump complete[\s\S]*$/, '').trim();

// ---------------------------------------------------------------------------------------------------------------
// objects: { file, kind, key, sql, deps:Set<string> }, in file order then dependency order
const objects = new Map(); // key -> object
const add = (key, kind, owner, sql) => {
    let o = objects.get(key);
    if (!o) { o = { key, kind, owner, parts: [] }; objects.set(key, o); }
    o.parts.push(sql);
    return o;
};
const tableParts = new Map(); // table -> { create, constraints[], rest[] }
const tablePart = (t) => {
    if (!tableParts.has(t)) tableParts.set(t, { create: '', identity: [], constraints: [], rls: [], policies: [], comments: [], indexes: [], triggers: [] });
    return tableParts.get(t);
};

const low = (s) => lowerSql(s).replace(/ using btree /g, ' ');

// functions from the catalogs
const { rows: functions } = await client.query(`
    select p.oid, n.nspname, p.proname, p.prokind, format('%I.%I', n.nspname, p.proname) as qname,
        pg_catalog.pg_get_function_arguments(p.oid) as args, pg_catalog.oidvectortypes(p.proargtypes) as argtypes,
        pg_catalog.pg_get_function_result(p.oid) as result, l.lanname, p.provolatile, p.prosecdef, p.proisstrict,
        p.proleakproof, p.proparallel, p.procost, p.prorows, p.proretset, p.proconfig, p.prosrc,
        case when p.prosqlbody is not null then pg_catalog.pg_get_function_sqlbody(p.oid) end as sqlbody,
        pg_catalog.obj_description(p.oid, 'pg_proc') as comment
    from pg_catalog.pg_proc as p
    join pg_catalog.pg_namespace as n on n.oid = p.pronamespace
    join pg_catalog.pg_language as l on l.oid = p.prolang
    where n.nspname = any($1) and not exists (
        select 1 from pg_catalog.pg_depend as d where d.objid = p.oid and d.deptype = 'e')
    order by p.oid`, [SCHEMAS]);

export function functionSql(f) {
    const kw = f.prokind === 'p' ? 'procedure' : 'function';
    const lines = [`create or replace ${kw} ${f.qname}(${lowerSql(f.args)})`];
    if (f.prokind !== 'p') lines.push(`returns ${lowerSql(f.result)}`);
    lines.push(`language ${f.lanname}`);
    if (f.prokind !== 'p') lines.push({ i: 'immutable', s: 'stable', v: 'volatile' }[f.provolatile]);
    lines.push(f.prosecdef ? 'security definer' : 'security invoker');
    if (f.proisstrict) lines.push('strict');
    if (f.proleakproof) lines.push('leakproof');
    if (f.proparallel !== 'u') lines.push(`parallel ${{ s: 'safe', r: 'restricted' }[f.proparallel]}`);
    if (Number(f.procost) !== 100 && f.lanname !== 'c' && f.lanname !== 'internal') lines.push(`cost ${Number(f.procost)}`);
    if (f.proretset && Number(f.prorows) !== 1000) lines.push(`rows ${Number(f.prorows)}`);
    for (const c of f.proconfig ?? []) {
        const [k, ...v] = c.split('=');
        const value = v.join('=');
        lines.push(k === 'search_path'
            ? `set search_path = ${value === '""' ? "''" : value}`
            : `set ${k} = ${/^[a-z_0-9.]+$/.test(value) ? value : literal(value)}`);
    }
    if (f.sqlbody) return `${lines.join('\n')}\n${lowerSql(f.sqlbody)};`;
    return `${lines.join('\n')}\nas ${dollarQuote(f.prosrc)};`;
}

const defaults = await probeDefaults(client);
const { rows: acls } = await client.query(`
    select 'function' as kind, format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes)) as name,
        p.prokind::text as prokind, n.nspname, p.proacl::text[] as acl, p.proowner::regrole::text as owner
    from pg_catalog.pg_proc as p join pg_catalog.pg_namespace as n on n.oid = p.pronamespace where n.nspname = any($1)
    union all
    select case c.relkind when 'S' then 'sequence' else 'table' end, format('%I.%I', n.nspname, c.relname),
        c.relkind::text, n.nspname, c.relacl::text[], c.relowner::regrole::text
    from pg_catalog.pg_class as c join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
    where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
    union all
    select 'type', format('%I.%I', n.nspname, t.typname), t.typtype::text, n.nspname, t.typacl::text[],
        t.typowner::regrole::text
    from pg_catalog.pg_type as t join pg_catalog.pg_namespace as n on n.oid = t.typnamespace
    where n.nspname = any($1) and t.typtype in ('c', 'e', 'd') and (t.typrelid = 0 or
        (select c.relkind from pg_catalog.pg_class as c where c.oid = t.typrelid) = 'c')`, [SCHEMAS]);
const aclOf = new Map(acls.map((a) => [`${a.kind} ${a.name}`, a]));
const grantsFor = (kind, name) => {
    const a = aclOf.get(`${kind} ${name}`);
    if (!a) return [];
    const objKind = kind === 'function' && a.prokind === 'p' ? 'procedure' : kind;
    return grantStatements(objKind, name, a, defaults);
};

for (const f of functions) {
    const sig = `${f.qname}(${f.argtypes})`;
    const kw = f.prokind === 'p' ? 'procedure' : 'function';
    const written = f.sqlbody
        ? original(`^create (or replace )?${kw} ${escapeRx(f.qname)}\\(`)?.replace(/^create function/i, 'create or replace function')
        : null;
    const parts = [written ?? functionSql(f)];
    const tail = [];
    if (f.comment != null) tail.push(`comment on ${kw} ${sig} is\n    ${literal(f.comment)};`);
    parts.push(tail.join('\n'));
    parts.push(grantsFor('function', sig).join('\n'));
    const o = add(`function ${f.qname}`, 'function', f.qname, parts.filter(Boolean).join('\n\n'));
    o.body = f.sqlbody ?? f.prosrc;
    o.sql = true;
}

// index -> table, for comments on indexes
const indexTable = new Map((await client.query(`
    select format('%I.%I', n.nspname, i.relname) as index, format('%I.%I', n.nspname, t.relname) as table
    from pg_catalog.pg_index as x join pg_catalog.pg_class as i on i.oid = x.indexrelid
    join pg_catalog.pg_class as t on t.oid = x.indrelid join pg_catalog.pg_namespace as n on n.oid = t.relnamespace
    where n.nspname = any($1)`, [SCHEMAS])).rows.map((r) => [r.index, r.table]));

// the rest from pg_dump
const triggerComments = new Map();
const ownerOfOn = (sql) => /\bON (?:ONLY )?([a-z_]+\.[a-z_0-9]+)/i.exec(sql)?.[1];
for (const e of entries) {
    const sql = e.sql;
    switch (e.type) {
        case 'SCHEMA': case 'EXTENSION': case 'DEFAULT ACL': case 'FUNCTION': case 'PROCEDURE':
            break;
        case 'TABLE': {
            const t = `${e.schema}.${e.name}`;
            tablePart(t).create = low(sql).replace(/^    (constraint (\S+) check .*?)(,?)$/gm,
                (line, def, name, comma) => `    ${originalConstraint(name) ?? def}${comma}`);
            break;
        }
        case 'SEQUENCE': {
            const t = /ALTER TABLE (?:ONLY )?(\S+)/.exec(sql)?.[1];
            if (t) tablePart(t).identity.push(low(sql));
            else add(`sequence ${e.schema}.${e.name}`, 'sequence', null, low(sql));
            break;
        }
        case 'SEQUENCE OWNED BY': case 'DEFAULT': {
            const t = /ALTER (?:TABLE|SEQUENCE) (?:ONLY )?(\S+)/.exec(sql)?.[1];
            tablePart(t).identity.push(low(sql));
            break;
        }
        case 'CONSTRAINT': case 'FK CONSTRAINT': {
            const mm = /^ALTER TABLE ONLY (\S+)\n    ADD (CONSTRAINT [\s\S]*);$/.exec(sql);
            if (!mm) throw new Error(`constraint: ${sql}`);
            tablePart(mm[1]).constraints.push(originalConstraint(e.name.split(' ')[1]) ?? low(mm[2]));
            break;
        }
        case 'INDEX':
            tablePart(ownerOfOn(sql)).indexes.push(low(sql));
            break;
        case 'ROW SECURITY':
            tablePart(`${e.schema}.${e.name}`).rls.push(low(sql));
            break;
        case 'POLICY': {
            const written = original(`^create policy ${escapeRx(e.name.split(' ')[1])}\\s+on ${escapeRx(ownerOfOn(sql))}\\b`);
            tablePart(ownerOfOn(sql)).policies.push(written ?? low(sql));
            break;
        }
            break;
        case 'TRIGGER': {
            const t = ownerOfOn(sql);
            const fn = /EXECUTE FUNCTION (\S+)\(/.exec(sql)[1];
            const pretty = low(sql).replace(/^(create (?:constraint )?trigger \S+) /, '$1\n    ')
                .replace(/ (for each (?:row|statement))/, '\n    $1');
            tablePart(t).triggers.push({ fn, name: e.name.split(' ')[1], sql: pretty });
            break;
        }
        case 'COMMENT': {
            const mm = /^COMMENT ON (COLUMN|TABLE|VIEW|MATERIALIZED VIEW|INDEX|CONSTRAINT|POLICY|TRIGGER|TYPE|SEQUENCE|SCHEMA|FUNCTION|PROCEDURE) (\S+)(?: ON (\S+))?/.exec(sql);
            if (!mm) throw new Error(`comment: ${sql.slice(0, 200)}`);
            const [, kind, name, on] = mm;
            if (kind === 'FUNCTION' || kind === 'PROCEDURE' || kind === 'SCHEMA') break;
            const text = low(sql).replace(/ is '/, " is\n    '");
            if (kind === 'COLUMN') {
                const t = name.split('.').slice(0, 2).join('.');
                if (tableParts.has(t)) tablePart(t).comments.push(low(sql));
                else add(objectKeyOf(t), null, null, low(sql));
            } else if (kind === 'TABLE') tablePart(name).comments.unshift(text);
            else if (kind === 'INDEX') {
                const t = indexTable.get(name);
                if (tableParts.has(t)) tablePart(t).indexes.push(text); else add(objectKeyOf(t), null, null, text);
            } else if (kind === 'TRIGGER') triggerComments.set(`${on} ${name}`, text);
            else if (kind === 'CONSTRAINT' || kind === 'POLICY') tablePart(on).comments.push(text);
            else if (kind === 'VIEW' || kind === 'MATERIALIZED VIEW') add(objectKeyOf(name), null, null, text);
            else if (kind === 'TYPE') add(`type ${name}`, 'type', name, text);
            else throw new Error(`comment: ${sql}`);
            break;
        }
        case 'TYPE':
            add(`type ${e.schema}.${e.name}`, 'type', `${e.schema}.${e.name}`, low(sql).replace(/\t/g, '    '));
            for (const g of grantsFor('type', `${e.schema}.${e.name}`)) add(`type ${e.schema}.${e.name}`, 'type', null, g);
            break;
        case 'VIEW': case 'MATERIALIZED VIEW': {
            const name = `${e.schema}.${e.name}`;
            const written = original(`^create (or replace )?(materialized )?view ${escapeRx(name)}\\b`);
            add(`view ${name}`, 'view', name, written ?? low(sql));
            break;
        }
        default:
            throw new Error(`unhandled TOC entry ${e.type} ${e.name}`);
    }
}
function objectKeyOf(name) {
    return objects.has(`view ${name}`) ? `view ${name}` : `table ${name}`;
}
// views: their grants
for (const o of objects.values()) {
    if (o.kind === 'view') o.parts.push(...grantsFor('table', o.owner));
}

// tables: one block each, constraints folded into create table
for (const [t, p] of tableParts) {
    if (!p.create) {
        // a materialized view's indexes
        const key = objectKeyOf(t);
        for (const s of [...p.indexes, ...p.comments]) add(key, null, null, s);
        p.viewTriggers = p.triggers;
        continue;
    }
    let create = p.create;
    if (p.constraints.length) {
        create = create.replace(/\n\);$/, `,\n${p.constraints.map((c) => `    ${c.replace(/\n/g, '\n    ')}`).join(',\n')}\n);`);
    }
    const parts = [create, ...p.identity, [...p.rls, ...p.policies].join('\n\n'),
        grantsFor('table', t).join('\n'), p.comments.join('\n'), p.indexes.join('\n')].filter(Boolean);
    add(`table ${t}`, 'table', t, parts.join('\n\n'));
}

// triggers: in the file of the table, or of the trigger function when that comes later
for (const [t, p] of tableParts) {
    for (const tr of p.triggers) {
        const tableFile = fileOf(`table ${t}`) ?? fileOf(`view ${t}`);
        const fnFile = fileOf(`function ${tr.fn}`);
        const key = FILES.indexOf(fnFile) > FILES.indexOf(tableFile) ? `function ${tr.fn}` : (objects.has(`table ${t}`) ? `table ${t}` : `view ${t}`);
        add(key, null, null, [tr.sql, triggerComments.get(`${t} ${tr.name}`)].filter(Boolean).join('\n\n'));
    }
}

// cron jobs
const { rows: jobs } = await client.query(`select jobname, schedule, command, database, username, active
    from cron.job order by jobid`).catch(() => ({ rows: [] }));
for (const j of jobs) {
    let sql = `select cron.schedule(\n    ${literal(j.jobname)},\n    ${literal(j.schedule)},\n    ${dollarQuote(j.command)}\n);`;
    if (!j.active) sql += `\nselect cron.alter_job(job_id => (select jobid from cron.job where jobname = ${literal(j.jobname)}), active => false);`;
    add(`cron ${j.jobname}`, 'cron', null, sql);
}

// ---------------------------------------------------------------------------------------------------------------
// dependencies (names mentioned in the text) and the order inside each file
const names = [...objects.values()].filter((o) => o.owner).map((o) => [o.owner, o.key]);
for (const o of objects.values()) {
    o.text = o.parts.join('\n\n');
    o.deps = new Set();
    // what the definition uses, comments aside
    const code = o.text.replace(/^comment on [\s\S]*?';$/gm, '').replace(/--.*$/gm, '');
    for (const [name, key] of names) {
        if (key === o.key) continue;
        const rx = new RegExp(`(^|[^a-z_0-9.])${name.replace('.', '\\.')}([^a-z_0-9]|$)`);
        if (rx.test(code)) o.deps.add(key);
    }
}
const byFile = new Map(FILES.map((f) => [f, []]));
const unsorted = [];
for (const o of objects.values()) {
    const f = fileOf(o.key);
    if (f) byFile.get(f).push(o); else unsorted.push(o);
}
if (unsorted.length) {
    console.error(`bootstrap: no file for ${unsorted.map((o) => o.key).join(', ')}`);
    byFile.set('99_unsorted.sql', unsorted);
}
const problems = [];
const rank = (key) => FILES.indexOf(fileOf(key));
for (const [file, list] of byFile) {
    // keep FILES' declared order of objects where dependencies allow
    const order = new Map(list.map((o, i) => [o.key, orderInLayout(o.key, i)]));
    list.sort((a, b) => order.get(a.key) - order.get(b.key));
    const done = new Set();
    const out = [];
    const visit = (o, stack) => {
        if (done.has(o.key)) return;
        if (stack.has(o.key)) return;
        stack.add(o.key);
        for (const d of o.deps) {
            const dep = objects.get(d);
            if (fileOf(d) === file) visit(dep, stack);
            else if (rank(d) > FILES.indexOf(file)) problems.push(`${o.key} (${file}) uses ${d} (${fileOf(d)}), a later file`);
        }
        stack.delete(o.key);
        done.add(o.key);
        out.push(o);
    };
    for (const o of list) visit(o, new Set());
    byFile.set(file, out);
}
function orderInLayout(key, i) {
    return positionOf(key) * 1000 + i;
}
for (const p of problems) console.error(`bootstrap: ${p}`);

mkdirSync(outDir, { recursive: true });
for (const f of readdirSync(outDir)) if (f.endsWith('.sql') && f !== '00_schemas.sql') rmSync(join(outDir, f));
for (const [file, list] of byFile) {
    if (!list.length) continue;
    const header = DESCRIPTIONS[file] ? `${wrapComment(DESCRIPTIONS[file])}\n\n` : '';
    writeFileSync(join(outDir, file), `${header}${list.map((o) => o.text).join('\n\n')}\n`);
}
await client.end();

function wrapComment(text, width = 118) {
    const lines = [];
    let line = '--';
    for (const word of text.split(' ')) {
        if (line.length + word.length + 1 > width) { lines.push(line); line = '--'; }
        line += ` ${word}`;
    }
    lines.push(line);
    return lines.join('\n');
}
