// Privileges: aclitem[] parsed, and the grant/revoke statements that turn what an object gets when it is created
// (PostgreSQL's defaults and the default privileges of its schema, e.g. Supabase's grants to anon on public) into
// what it has.

const PRIVILEGES = {
    r: 'select', a: 'insert', w: 'update', d: 'delete', D: 'truncate', x: 'references', t: 'trigger',
    X: 'execute', U: 'usage', C: 'create', c: 'connect', T: 'temporary', m: 'maintain',
};
const ORDER = 'rawdDxtXUCcTm';
export const ALL = { table: 'arwdDxt', sequence: 'rwU', function: 'X', procedure: 'X', type: 'U', schema: 'UC' };

/** aclitem[] (as text[]) -> Map grantee -> { privs: Set(letter), grantable: Set(letter) }; grantee '' is public. */
export function parseAcl(acl) {
    const map = new Map();
    for (const item of acl ?? []) {
        const m = /^(.*)=([A-Za-z*]*)\/(.*)$/.exec(item);
        if (!m) throw new Error(`aclitem ${item}`);
        const grantee = m[1] === '' ? 'public' : m[1].replace(/^"(.*)"$/, '$1');
        const e = map.get(grantee) ?? { privs: new Set(), grantable: new Set() };
        for (let i = 0; i < m[2].length; i++) {
            const c = m[2][i];
            if (c === '*') continue;
            e.privs.add(c);
            if (m[2][i + 1] === '*') e.grantable.add(c);
        }
        map.set(grantee, e);
    }
    return map;
}

/** Readable privileges: 'select, insert' or 'all'. */
export function privilegeList(letters, kind) {
    const sorted = [...letters].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
    if ((kind === 'table' || kind === 'sequence') && ALL[kind] && sorted.length === ALL[kind].length && [...ALL[kind]].every((c) => letters.has(c))) return 'all';
    return sorted.map((c) => PRIVILEGES[c] ?? c).join(', ');
}

const quoteRole = (r) => (r === 'public' || /^[a-z_][a-z_0-9]*$/.test(r) ? r : `"${r}"`);

/**
 * The statements that change `from` (aclitem[] text) into `to` on one object: revokes first, then grants, grantees
 * with the same privileges in one statement.
 */
export function aclChanges(kind, name, from, to, { explicit = false, owner = null } = {}) {
    const a = parseAcl(from);
    const b = parseAcl(to);
    const word = kind === 'procedure' ? 'procedure' : kind;
    const revokes = new Map();
    const grants = new Map();
    const grantOptions = new Map();
    const push = (map, letters, grantee) => {
        if (!letters.size) return;
        const k = [...letters].sort().join('');
        map.set(k, [...(map.get(k) ?? []), grantee]);
    };
    for (const [g, e] of a) {
        const keep = b.get(g)?.privs ?? new Set();
        push(revokes, new Set([...e.privs].filter((c) => !keep.has(c))), g);
    }
    for (const [g, e] of b) {
        // explicit: a role's privileges are granted even when the defaults gave them already (not the owner's, nor
        // public's: PostgreSQL's own default)
        const had = explicit && g !== owner && g !== 'public' ? new Set() : (a.get(g)?.privs ?? new Set());
        push(grants, new Set([...e.privs].filter((c) => !had.has(c) && !e.grantable.has(c))), g);
        push(grantOptions, new Set([...e.grantable].filter((c) => !(a.get(g)?.grantable ?? new Set()).has(c))), g);
    }
    const out = [];
    const order = (x) => (x === 'public' ? '' : x);
    const roles = (list) => list.sort((x, y) => order(x).localeCompare(order(y))).map(quoteRole).join(', ');
    for (const [k, list] of revokes) out.push(`revoke ${privilegeList(new Set(k), kind)} on ${word} ${name} from ${roles(list)};`);
    for (const [k, list] of grants) out.push(`grant ${privilegeList(new Set(k), kind)} on ${word} ${name} to ${roles(list)};`);
    for (const [k, list] of grantOptions) out.push(`grant ${privilegeList(new Set(k), kind)} on ${word} ${name} to ${roles(list)} with grant option;`);
    return out;
}

/**
 * What an object of each kind gets when postgres creates it in each schema now (default privileges included):
 * Map `${kind}:${schema}` -> aclitem[] text. Probes are created in a transaction that is rolled back.
 */
export async function probeDefaults(client, schemas = ['public', 'private']) {
    const result = new Map();
    await client.query('begin');
    try {
        for (const s of schemas) {
            await client.query(`create table ${s}.drift_probe_table (a int)`);
            await client.query(`create sequence ${s}.drift_probe_sequence`);
            await client.query(`create function ${s}.drift_probe_function() returns int language sql as 'select 1'`);
            await client.query(`create type ${s}.drift_probe_type as (a int)`);
            const { rows } = await client.query(`
                select 'table' as kind, coalesce(c.relacl, pg_catalog.acldefault('r', c.relowner))::text[] as acl
                from pg_catalog.pg_class as c where c.oid = '${s}.drift_probe_table'::regclass
                union all
                select 'sequence', coalesce(c.relacl, pg_catalog.acldefault('s', c.relowner))::text[]
                from pg_catalog.pg_class as c where c.oid = '${s}.drift_probe_sequence'::regclass
                union all
                select 'function', coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))::text[]
                from pg_catalog.pg_proc as p where p.oid = '${s}.drift_probe_function()'::regprocedure
                union all
                select 'type', coalesce(t.typacl, pg_catalog.acldefault('T', t.typowner))::text[]
                from pg_catalog.pg_type as t where t.oid = '${s}.drift_probe_type'::regtype`);
            for (const r of rows) result.set(`${r.kind}:${s}`, r.acl);
            result.set(`procedure:${s}`, result.get(`function:${s}`));
        }
    } finally {
        await client.query('rollback');
    }
    return result;
}

/** Grants and revokes of one object relative to its creation defaults. a: { nspname, acl (or null), owner } */
export function grantStatements(kind, name, a, defaults) {
    const def = defaults.get(`${kind}:${a.nspname}`);
    if (!def) throw new Error(`no default privileges probed for ${kind} in ${a.nspname}`);
    const letter = { table: 'r', sequence: 's', function: 'f', procedure: 'f', type: 'T' }[kind];
    const acl = a.acl ?? defaultAcl(letter, a.owner);
    return aclChanges(kind, name, def, acl, { explicit: true, owner: a.owner });
}

function defaultAcl(letter, owner) {
    // acldefault(): the owner has every privilege; public has execute on functions and usage on types
    const all = { r: 'arwdDxt', s: 'rwU', f: 'X', T: 'U' }[letter];
    const acl = [`${owner}=${all}/${owner}`];
    if (letter === 'f') acl.unshift(`=X/${owner}`);
    if (letter === 'T') acl.unshift(`=U/${owner}`);
    return acl;
}
