// The draft of the next migration (npm run db:drift -- --sql): for each difference between the database built from
// supabase/migrations and the one built from supabase/schemas, the SQL that brings the first to the second.
//   - functions, procedures, views, policies, triggers and cron jobs: the statement as the schema file writes it
//     (the whole function, as a replacement migration must copy it), or a drop when the schema files no longer have it;
//   - function settings alone: `alter function … set`; comments: `comment on … is …`; privileges: the revokes and
//     grants from the one state to the other, per role (EXECUTE included), default privileges too; RLS flags;
//   - indexes: `create index concurrently` (a migration file of its own on an existing table);
//   - the rest (tables, columns, constraints, types, sequences, extensions, …): listed in comments with what the
//     schema file says, to be written by hand following docs/upgrade.md's lock rules.
// Reference data (glossary and singleton rows) is not compared and never drafted: it stays in data migrations.
import { readFileSync } from 'node:fs';
import { schemaFiles } from './files.mjs';
import { literal, statementAt } from './sql-style.mjs';

const PRIVS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'EXECUTE', 'USAGE', 'CREATE', 'CONNECT', 'TEMPORARY'];

/** 'DELETE, INSERT with grant option' -> Map privilege -> grantable */
function privileges(text) {
    const map = new Map();
    for (const p of (text ?? '').split(', ').filter(Boolean)) {
        const grantable = p.endsWith(' with grant option');
        map.set(grantable ? p.slice(0, -' with grant option'.length) : p, grantable);
    }
    return map;
}
const privList = (set) => [...set].sort((a, b) => PRIVS.indexOf(a) - PRIVS.indexOf(b)).map((p) => p.toLowerCase()).join(', ');

/** 'function private.f(uuid)' -> { word: 'function', name: 'private.f(uuid)' } and the like */
function target(key) {
    const m = /^(schema|table|view|materialized view|sequence|foreign table|function|procedure|aggregate|type) (.*)$/.exec(key);
    if (!m) return null;
    const word = { view: 'table', 'materialized view': 'table', 'foreign table': 'table' }[m[1]] ?? m[1];
    return { kind: m[1], word, name: m[2] };
}

/** The statements in the schema files that start with `re` (a RegExp source, case-insensitive, at a line start). */
function fromFiles(files, re) {
    const found = [];
    for (const f of files) {
        for (const m of f.text.matchAll(new RegExp(re, 'gim'))) found.push({ file: f.path, sql: statementAt(f.text, m.index) });
    }
    return found;
}
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function migrationSql(diffs, { schemas }) {
    const files = schemaFiles().map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    const byKey = new Map();
    for (const d of diffs) byKey.set(d.key, [...(byKey.get(d.key) ?? []), d]);
    const snapshotOf = (key, side) => {
        const d = byKey.get(key);
        const whole = d.find((x) => x.kind !== 'changed');
        if (whole) return side === 'a' ? whole.a : whole.b;
        return null;
    };

    // the order objects were created in the schemas' database: a new function after those it calls
    const { rows: order } = await schemas.query(`
        select format('%s %I.%I(%s)', case p.prokind when 'p' then 'procedure' when 'a' then 'aggregate'
            when 'w' then 'window function' else 'function' end, n.nspname, p.proname,
            pg_catalog.oidvectortypes(p.proargtypes)) as key, p.oid::bigint as oid
        from pg_catalog.pg_proc as p join pg_catalog.pg_namespace as n on n.oid = p.pronamespace
        union all
        select format('%s %I.%I', case c.relkind when 'v' then 'view' when 'm' then 'materialized view' else 'table' end,
            n.nspname, c.relname), c.oid::bigint
        from pg_catalog.pg_class as c join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p', 'v', 'm')`);
    const oid = new Map(order.map((r) => [r.key, Number(r.oid)]));
    const keys = [...byKey.keys()].sort((x, y) => (oid.get(x) ?? 0) - (oid.get(y) ?? 0) || x.localeCompare(y));

    const sections = { drops: [], definitions: [], alters: [], comments: [], grants: [], cron: [], indexes: [], byHand: [] };
    for (const key of keys) {
        const list = byKey.get(key);
        const whole = list.find((d) => d.kind !== 'changed');
        const changed = new Map(list.filter((d) => d.kind === 'changed').map((d) => [d.attr, d]));
        const attrsA = whole?.kind === 'missing' ? whole.a : null; // only in migrations
        const attrsB = whole?.kind === 'extra' ? whole.b : null; // only in schemas
        const t = target(key);
        let m;

        if ((m = /^(function|procedure) (\S+?)\((.*)\)$/.exec(key))) {
            const [, word, qname] = m;
            if (attrsA) { sections.drops.push(`drop ${word} ${key.slice(word.length + 1)};`); continue; }
            const defChanged = attrsB || [...changed.keys()].some((a) => !a.startsWith('privileges of ') && a !== 'comment' && a !== 'settings');
            if (defChanged) {
                const stmts = fromFiles(files, `^create (or replace )?${word} ${esc(qname)}\\(`);
                const own = stmts.length === 1 ? stmts[0] : null;
                if (changed.has('returns') || changed.has('arguments')) {
                    sections.drops.push(`-- ${key}: its arguments or result change: create or replace cannot do that`);
                    sections.drops.push(`drop ${word} ${key.slice(word.length + 1)};`);
                }
                sections.definitions.push(own
                    ? `-- ${key}, as ${own.file} defines it\n${own.sql.replace(/^create (function|procedure)/i, 'create or replace $1')}`
                    : `-- ${key}: ${stmts.length ? 'overloaded, several definitions' : 'no create statement found'} in supabase/schemas; its definition:\n${(await schemas.query(`select pg_catalog.pg_get_functiondef('${key.slice(word.length + 1).replace(/'/g, "''")}'::regprocedure) as d`)).rows[0].d.trim()};`);
            } else if (changed.has('settings')) {
                const a = settingsOf(changed.get('settings').a);
                const b = settingsOf(changed.get('settings').b);
                for (const [k, v] of b) if (a.get(k) !== v) sections.alters.push(`alter ${word} ${key.slice(word.length + 1)} set ${k} = ${settingValue(v)};`);
                for (const k of a.keys()) if (!b.has(k)) sections.alters.push(`alter ${word} ${key.slice(word.length + 1)} reset ${k};`);
            }
        } else if ((m = /^policy (\S+) on (\S+)$/.exec(key))) {
            const [, name, table] = m;
            if (attrsA) { sections.drops.push(`drop policy ${name} on ${table};`); continue; }
            const stmts = fromFiles(files, `^create policy ${esc(name)}\\s+on ${esc(table)}\\b`);
            if (attrsB || [...changed.keys()].some((a) => a !== 'comment')) {
                const create = stmts[0] ? stmts[0].sql : `-- ${key}: no create policy statement in supabase/schemas`;
                sections.definitions.push(attrsB ? create : `drop policy ${name} on ${table};\n${create}`);
            }
        } else if ((m = /^trigger (\S+) on (\S+)$/.exec(key))) {
            const [, name, table] = m;
            if (attrsA) { sections.drops.push(`drop trigger ${name} on ${table};`); continue; }
            const onlyEnabled = !attrsB && [...changed.keys()].every((a) => a === 'enabled' || a === 'comment');
            if (!onlyEnabled) {
                const stmts = fromFiles(files, `^create (or replace )?(constraint )?trigger ${esc(name)}\\b`)
                    .filter((s) => new RegExp(`\\bon ${esc(table)}\\b`, 'i').test(s.sql));
                const create = stmts[0] ? stmts[0].sql : `-- ${key}: no create trigger statement in supabase/schemas`;
                sections.definitions.push(attrsB ? create : `drop trigger ${name} on ${table};\n${create}`);
            }
            const enabled = changed.get('enabled')?.b ?? attrsB?.get('enabled');
            if (enabled && enabled !== 'O') sections.alters.push(`alter table ${table} ${enabled === 'D' ? 'disable' : 'enable'} trigger ${name};`);
            else if (changed.has('enabled')) sections.alters.push(`alter table ${table} enable trigger ${name};`);
        } else if ((m = /^cron job (.*)$/.exec(key))) {
            const name = m[1];
            if (attrsA) { sections.cron.push(`select cron.unschedule(${literal(name)});`); continue; }
            const b = attrsB ?? null;
            const get = (a) => (b ? b.get(a) : changed.get(a)?.b);
            if (b || changed.has('schedule') || changed.has('command')) {
                const stmts = fromFiles(files, `^select cron\\.schedule\\(\\s*${esc(literal(name))}`);
                sections.cron.push(stmts[0] ? stmts[0].sql : `-- ${key}: no cron.schedule statement in supabase/schemas`);
            }
            for (const a of ['database', 'username', 'active']) {
                if (changed.has(a) || (b && a === 'active' && get(a) === 'false')) {
                    const v = get(a);
                    sections.cron.push(`select cron.alter_job((select jobid from cron.job where jobname = ${literal(name)}), ${a} => ${a === 'active' ? v : literal(v)});`);
                }
            }
            continue;
        } else if ((m = /^index (\S+)$/.exec(key))) {
            if (attrsA) { sections.indexes.push(`drop index concurrently ${m[1]};`); continue; }
            const def = (attrsB ?? null)?.get('definition') ?? changed.get('definition')?.b;
            if (def) {
                if (!attrsB) sections.indexes.push(`drop index concurrently ${m[1]};`);
                sections.indexes.push(`${def.replace(/^CREATE (UNIQUE )?INDEX /, (x, u) => `create ${u ? 'unique ' : ''}index concurrently `).replace(/ USING btree /, ' ')};`);
            }
        } else if ((m = /^(view|materialized view) (\S+)$/.exec(key)) && (attrsB || changed.has('definition'))) {
            const stmts = fromFiles(files, `^create (or replace )?${m[1] === 'view' ? '' : 'materialized '}view ${esc(m[2])}\\b`);
            if (m[1] === 'materialized view' && !attrsB) sections.drops.push(`drop materialized view ${m[2]}; -- and its indexes, grants and comments: written again below`);
            sections.definitions.push(stmts[0] ? stmts[0].sql.replace(/^create view/i, 'create or replace view') : `-- ${key}: no create statement in supabase/schemas`);
        } else if ((m = /^(table) (\S+)$/.exec(key)) && !attrsA && !attrsB) {
            for (const [attr, d] of changed) {
                if (attr === 'row level security') sections.alters.push(`alter table ${m[2]} ${d.b === 'true' ? 'enable' : 'disable'} row level security;`);
                if (attr === 'forced row level security') sections.alters.push(`alter table ${m[2]} ${d.b === 'true' ? '' : 'no '}force row level security;`);
            }
        } else if ((m = /^column (\S+)\.(\S+)\.(\S+)$/.exec(key)) && !attrsA && !attrsB && changed.has('default')) {
            const d = changed.get('default');
            sections.alters.push(`alter table ${m[1]}.${m[2]} alter column ${m[3]} ${d.b === undefined ? 'drop default' : `set default ${d.b}`};`);
        } else if ((m = /^default privileges for role (\S+)(?: in schema (\S+))? on (\S+)$/.exec(key))) {
            for (const [attr, d] of changed.size ? changed : new Map([...(attrsB ?? attrsA ?? new Map())].map(([k, v]) => [k, attrsB ? { a: undefined, b: v } : { a: v, b: undefined }]))) {
                const grantee = attr.replace(/^privileges of /, '');
                const a = privileges(d.a);
                const b = privileges(d.b);
                const prefix = `alter default privileges for role ${m[1]}${m[2] ? ` in schema ${m[2]}` : ''}`;
                const revoke = new Set([...a.keys()].filter((p) => !b.has(p)));
                const grant = new Set([...b.keys()].filter((p) => !a.has(p)));
                if (revoke.size) sections.grants.push(`${prefix} revoke ${privList(revoke)} on ${m[3]} from ${grantee};`);
                if (grant.size) sections.grants.push(`${prefix} grant ${privList(grant)} on ${m[3]} to ${grantee};`);
            }
            continue;
        }

        // comments and privileges of anything whose definition is not drafted whole above
        const commentOf = (d) => (d === undefined ? 'null' : literal(d));
        const commentTarget = commentTargetOf(key);
        if (changed.has('comment') && commentTarget) sections.comments.push(`comment on ${commentTarget} is\n    ${commentOf(changed.get('comment').b)};`);
        if (attrsB?.has('comment') && commentTarget) sections.comments.push(`comment on ${commentTarget} is\n    ${commentOf(attrsB.get('comment'))};`);
        if (t) {
            const entries = attrsB
                ? [...attrsB].filter(([a]) => a.startsWith('privileges of ')).map(([a, v]) => [a, { a: undefined, b: v }])
                : [...changed].filter(([a]) => a.startsWith('privileges of '));
            if (attrsB && t) {
                // a new object: its grants as the schema file writes them
                const stmts = fromFiles(files, `^(grant|revoke) [a-z, ]+ on ${t.word} ${esc(t.name.replace(/\(.*$/, ''))}\\b`);
                sections.grants.push(...stmts.map((s) => s.sql));
            } else {
                for (const [attr, d] of entries) {
                    const grantee = attr.replace(/^privileges of /, '');
                    const a = privileges(d.a);
                    const b = privileges(d.b);
                    const revoke = new Set([...a.keys()].filter((p) => !b.has(p)));
                    const grant = new Set([...b.keys()].filter((p) => !a.has(p) || (b.get(p) && !a.get(p))));
                    if (revoke.size) sections.grants.push(`revoke ${privList(revoke)} on ${t.word} ${t.name} from ${grantee};`);
                    if (grant.size) {
                        const withOption = [...grant].filter((p) => b.get(p));
                        const plain = [...grant].filter((p) => !b.get(p));
                        if (plain.length) sections.grants.push(`grant ${privList(new Set(plain))} on ${t.word} ${t.name} to ${grantee};`);
                        if (withOption.length) sections.grants.push(`grant ${privList(new Set(withOption))} on ${t.word} ${t.name} to ${grantee} with grant option;`);
                    }
                }
            }
        }

        // what is not drafted: listed
        const drafted = new Set(['comment', 'enabled', 'row level security', 'forced row level security']);
        if (/^(function|procedure) /.test(key)) ['body', 'arguments', 'returns', 'language', 'volatility', 'security definer', 'strict', 'leakproof', 'parallel', 'cost', 'rows', 'settings'].forEach((a) => drafted.add(a));
        if (/^(view|materialized view) /.test(key)) drafted.add('definition');
        if (/^index /.test(key)) drafted.add('definition');
        if (/^policy /.test(key)) ['command', 'permissive', 'roles', 'using', 'with check'].forEach((a) => drafted.add(a));
        if (/^trigger /.test(key)) drafted.add('definition');
        if (/^column /.test(key)) drafted.add('default');
        const rest = [...changed.keys()].filter((a) => !drafted.has(a) && !a.startsWith('privileges of '));
        const handledWhole = /^(function|procedure|index|view|materialized view|policy|trigger) /.test(key);
        if (attrsA && !handledWhole) sections.byHand.push(`-- ${key}: only in supabase/migrations: drop it (or add it to supabase/schemas)`);
        if (attrsB && !handledWhole) sections.byHand.push(`-- ${key}: only in supabase/schemas: ${describe(attrsB)}`);
        for (const a of rest) {
            const d = changed.get(a);
            sections.byHand.push(`-- ${key}: ${a}: ${JSON.stringify(d.a ?? null)} -> ${JSON.stringify(d.b ?? null)}`);
        }
    }

    const out = [
        '-- Draft of the next migration (npm run db:drift -- --sql): what supabase/schemas defines and supabase/migrations',
        '-- do not yet. Review it, split it (one concept per migration; an index on an existing table in a file of its own),',
        '-- and save it as supabase/migrations/<date -u +%Y%m%d%H%M%S>_<verb_noun>.sql under a one-line purpose header.',
        '-- Reference data (glossary and singleton rows) is not compared: write data changes by hand.',
    ];
    if (diffs.length === 0) return `${out.join('\n')}\n-- Nothing: the schema files and the migrations define the same database.\n`;
    out.push('', "set lock_timeout = '500ms';");
    const add = (title, list) => { if (list.length) out.push('', `-- ${title}`, ...list.flatMap((s, i) => (i ? ['', s] : [s]))); };
    add('gone from the schema files', sections.drops);
    add('definitions, as the schema files write them', sections.definitions);
    add('settings, RLS, defaults and trigger states', sections.alters);
    add('comments', sections.comments);
    add('privileges', sections.grants);
    add('pg_cron jobs', sections.cron);
    add('indexes (build them in a migration of their own: concurrently cannot run in a transaction)', sections.indexes);
    add('to write by hand (docs/upgrade.md: lock rules, NOT VALID then VALIDATE, batched backfills)', sections.byHand);
    return `${out.join('\n')}\n`;
}

function settingsOf(text) {
    const map = new Map();
    for (const c of (text ?? '').split(', ').filter(Boolean)) {
        const i = c.indexOf('=');
        map.set(c.slice(0, i), c.slice(i + 1));
    }
    return map;
}
function settingValue(v) {
    if (v === '""') return "''";
    return /^[a-z_0-9.]+$/.test(v) ? v : literal(v);
}

/** The target of `comment on` for an object key, or null. */
function commentTargetOf(key) {
    let m;
    if ((m = /^(schema|table|view|materialized view|sequence|foreign table|index|type|function|procedure|aggregate|extension) (.*)$/.exec(key))) return `${m[1]} ${m[2]}`;
    if ((m = /^column (.*)$/.exec(key))) return `column ${m[1]}`;
    if ((m = /^(constraint|policy|trigger|rule) (\S+) on (domain )?(.*)$/.exec(key))) return `${m[1]} ${m[2]} on ${m[3] ?? ''}${m[4]}`;
    return null;
}

function describe(attrs) {
    return [...attrs].filter(([a]) => !a.startsWith('privileges of ') && a !== 'comment' && a !== 'owner')
        .map(([a, v]) => `${a} ${JSON.stringify(v)}`).join(', ');
}

