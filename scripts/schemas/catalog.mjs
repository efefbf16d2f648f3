// A snapshot of a database's definition, read from the catalogs: every object of every schema but PostgreSQL's own
// (pg_catalog, information_schema, pg_toast) and the CLI's migration history (supabase_migrations), with what a
// migration can change on it. Independent of oids and creation order, so that two databases built differently
// compare equal when they define the same things. Data is not read, except pg_cron's jobs (cron.job).
//
// snapshot(client) -> Map key -> Map attribute -> value (string). Keys name the object the way SQL does:
// 'table public.coachs', 'column public.coachs.email', 'function private.kpi_rate(numeric, numeric, boolean)', …

const SKIP = `('pg_catalog', 'information_schema', 'pg_toast', 'supabase_migrations')`;
const userSchema = (col) => `${col} not in ${SKIP} and ${col} !~ '^pg_(toast_)?temp_'`;

// aclitem[] -> one attribute per grantee: 'privileges of anon' = 'EXECUTE', 'privileges of public' = …
const ACL = (acl, kind, owner) => `(
    select coalesce(jsonb_object_agg(x.grantee, x.privs), '{}'::jsonb) from (
        select case when e.grantee = 0 then 'public' else e.grantee::regrole::text end as grantee,
            string_agg(e.privilege_type || case when e.is_grantable then ' with grant option' else '' end, ', '
                order by e.privilege_type) as privs
        from pg_catalog.aclexplode(coalesce(${acl}, pg_catalog.acldefault(${kind}, ${owner}))) as e
        group by 1) as x)`;

const QUERIES = {
    schema: `
        select format('schema %I', n.nspname) as key, jsonb_build_object(
            'owner', n.nspowner::regrole::text,
            'comment', pg_catalog.obj_description(n.oid, 'pg_namespace')) as attrs,
            ${ACL('n.nspacl', `'n'::"char"`, 'n.nspowner')} as acl
        from pg_catalog.pg_namespace as n where ${userSchema('n.nspname')}`,

    extension: `
        select format('extension %I', e.extname) as key, jsonb_build_object(
            'schema', e.extnamespace::regnamespace::text, 'version', e.extversion) as attrs, null::jsonb as acl
        from pg_catalog.pg_extension as e`,

    relation: `
        select format('%s %I.%I', case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view'
                when 'm' then 'materialized view' when 'S' then 'sequence' when 'f' then 'foreign table'
                when 'c' then 'type' end, n.nspname, c.relname) as key,
            jsonb_build_object(
                'owner', c.relowner::regrole::text,
                'row level security', case when c.relkind in ('r', 'p') then c.relrowsecurity::text end,
                'forced row level security', case when c.relkind in ('r', 'p') then c.relforcerowsecurity::text end,
                'persistence', c.relpersistence,
                'replica identity', case when c.relkind in ('r', 'p', 'm') then c.relreplident::text end,
                'options', c.reloptions::text,
                'partition of', (select i.inhparent::regclass::text from pg_catalog.pg_inherits as i where i.inhrelid = c.oid),
                'partition bound', pg_catalog.pg_get_expr(c.relpartbound, c.oid),
                'partition key', case when c.relkind = 'p' then pg_catalog.pg_get_partkeydef(c.oid) end,
                'definition', case when c.relkind in ('v', 'm') then pg_catalog.pg_get_viewdef(c.oid) end,
                'view options', null,
                'comment', pg_catalog.obj_description(c.oid, 'pg_class'),
                'sequence', (select format('%s start %s increment %s min %s max %s cache %s%s', s.seqtypid::regtype,
                        s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, case when s.seqcycle then ' cycle' else '' end)
                    from pg_catalog.pg_sequence as s where s.seqrelid = c.oid),
                'owned by', (select format('%s.%I', d.refobjid::regclass, a.attname)
                    from pg_catalog.pg_depend as d join pg_catalog.pg_attribute as a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
                    where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i') and c.relkind = 'S')
            ) as attrs,
            case when c.relkind <> 'c' then ${ACL('c.relacl', `(case when c.relkind = 'S' then 's' else 'r' end)::"char"`, 'c.relowner')} end as acl
        from pg_catalog.pg_class as c join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
        where ${userSchema('n.nspname')} and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')`,

    column: `
        select format('column %I.%I.%I', n.nspname, c.relname, a.attname) as key, jsonb_build_object(
            'position', row_number() over (partition by c.oid order by a.attnum)::text,
            'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
            'not null', a.attnotnull::text,
            'default', pg_catalog.pg_get_expr(d.adbin, d.adrelid),
            'identity', nullif(a.attidentity, ''),
            'generated', nullif(a.attgenerated, ''),
            'collation', case when a.attcollation <> t.typcollation then a.attcollation::regcollation::text end,
            'comment', pg_catalog.col_description(c.oid, a.attnum)) as attrs,
            case when a.attacl is not null then ${ACL('a.attacl', `'c'::"char"`, 'c.relowner')} end as acl
        from pg_catalog.pg_attribute as a
        join pg_catalog.pg_class as c on c.oid = a.attrelid
        join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
        join pg_catalog.pg_type as t on t.oid = a.atttypid
        left join pg_catalog.pg_attrdef as d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where ${userSchema('n.nspname')} and c.relkind in ('r', 'p', 'v', 'm', 'f', 'c') and a.attnum > 0 and not a.attisdropped`,

    constraint: `
        select format('constraint %s on %s', pg_catalog.quote_ident(k.conname),
                coalesce(k.conrelid::regclass::text, 'domain ' || k.contypid::regtype::text)) as key,
            jsonb_build_object(
                'definition', pg_catalog.pg_get_constraintdef(k.oid),
                'validated', k.convalidated::text,
                'comment', pg_catalog.obj_description(k.oid, 'pg_constraint')) as attrs, null::jsonb as acl
        from pg_catalog.pg_constraint as k join pg_catalog.pg_namespace as n on n.oid = k.connamespace
        where ${userSchema('n.nspname')}`,

    index: `
        select format('index %I.%I', n.nspname, i.relname) as key, jsonb_build_object(
            'definition', pg_catalog.pg_get_indexdef(x.indexrelid),
            'valid', x.indisvalid::text,
            'comment', pg_catalog.obj_description(i.oid, 'pg_class')) as attrs, null::jsonb as acl
        from pg_catalog.pg_index as x join pg_catalog.pg_class as i on i.oid = x.indexrelid
        join pg_catalog.pg_namespace as n on n.oid = i.relnamespace
        where ${userSchema('n.nspname')}`,

    policy: `
        select format('policy %I on %s', p.polname, p.polrelid::regclass) as key, jsonb_build_object(
            'command', p.polcmd::text,
            'permissive', p.polpermissive::text,
            'roles', (select string_agg(case when r = 0 then 'public' else r::regrole::text end, ', ' order by 1)
                from unnest(p.polroles) as r),
            'using', pg_catalog.pg_get_expr(p.polqual, p.polrelid),
            'with check', pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid),
            'comment', pg_catalog.obj_description(p.oid, 'pg_policy')) as attrs, null::jsonb as acl
        from pg_catalog.pg_policy as p join pg_catalog.pg_class as c on c.oid = p.polrelid
        join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
        where ${userSchema('n.nspname')}`,

    trigger: `
        select format('trigger %I on %s', t.tgname, t.tgrelid::regclass) as key, jsonb_build_object(
            'definition', pg_catalog.pg_get_triggerdef(t.oid),
            'enabled', t.tgenabled::text,
            'comment', pg_catalog.obj_description(t.oid, 'pg_trigger')) as attrs, null::jsonb as acl
        from pg_catalog.pg_trigger as t join pg_catalog.pg_class as c on c.oid = t.tgrelid
        join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
        where ${userSchema('n.nspname')} and not t.tgisinternal`,

    rule: `
        select format('rule %I on %s', r.rulename, r.ev_class::regclass) as key, jsonb_build_object(
            'definition', pg_catalog.pg_get_ruledef(r.oid)) as attrs, null::jsonb as acl
        from pg_catalog.pg_rewrite as r join pg_catalog.pg_class as c on c.oid = r.ev_class
        join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
        where ${userSchema('n.nspname')} and r.rulename <> '_RETURN'`,

    function: `
        select format('%s %I.%I(%s)', case p.prokind when 'p' then 'procedure' when 'a' then 'aggregate'
                when 'w' then 'window function' else 'function' end,
                n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes)) as key,
            jsonb_build_object(
                'arguments', pg_catalog.pg_get_function_arguments(p.oid),
                'returns', case when p.prokind <> 'p' then pg_catalog.pg_get_function_result(p.oid) end,
                'language', l.lanname,
                'volatility', p.provolatile::text,
                'security definer', p.prosecdef::text,
                'strict', p.proisstrict::text,
                'leakproof', p.proleakproof::text,
                'parallel', p.proparallel::text,
                'cost', p.procost::text,
                'rows', p.prorows::text,
                'settings', array_to_string(p.proconfig, ', '),
                'body', case when p.prosqlbody is not null then pg_catalog.pg_get_function_sqlbody(p.oid) else p.prosrc end,
                'owner', p.proowner::regrole::text,
                'comment', pg_catalog.obj_description(p.oid, 'pg_proc')) as attrs,
            ${ACL('p.proacl', `'f'::"char"`, 'p.proowner')} as acl
        from pg_catalog.pg_proc as p join pg_catalog.pg_namespace as n on n.oid = p.pronamespace
        join pg_catalog.pg_language as l on l.oid = p.prolang
        where ${userSchema('n.nspname')}`,

    type: `
        select format('type %s', t.oid::regtype) as key, jsonb_build_object(
            'kind', t.typtype::text,
            'owner', t.typowner::regrole::text,
            'labels', case when t.typtype = 'e' then (select string_agg(e.enumlabel, ', ' order by e.enumsortorder)
                from pg_catalog.pg_enum as e where e.enumtypid = t.oid) end,
            'base type', case when t.typtype = 'd' then pg_catalog.format_type(t.typbasetype, t.typtypmod) end,
            'not null', case when t.typtype = 'd' then t.typnotnull::text end,
            'default', t.typdefault,
            'comment', pg_catalog.obj_description(t.oid, 'pg_type')) as attrs,
            ${ACL('t.typacl', `'T'::"char"`, 't.typowner')} as acl
        from pg_catalog.pg_type as t join pg_catalog.pg_namespace as n on n.oid = t.typnamespace
        where ${userSchema('n.nspname')} and t.typtype in ('c', 'e', 'd', 'r')
            and (t.typrelid = 0 or (select c.relkind from pg_catalog.pg_class as c where c.oid = t.typrelid) = 'c')`,

    'default privileges': `
        select format('default privileges for role %s%s on %s', d.defaclrole::regrole,
                case when d.defaclnamespace <> 0 then ' in schema ' || d.defaclnamespace::regnamespace::text else '' end,
                case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences' when 'f' then 'functions'
                    when 'T' then 'types' when 'n' then 'schemas' end) as key,
            '{}'::jsonb as attrs,
            (select coalesce(jsonb_object_agg(x.grantee, x.privs), '{}'::jsonb) from (
                select case when e.grantee = 0 then 'public' else e.grantee::regrole::text end as grantee,
                    string_agg(e.privilege_type || case when e.is_grantable then ' with grant option' else '' end, ', '
                        order by e.privilege_type) as privs
                from pg_catalog.aclexplode(d.defaclacl) as e group by 1) as x) as acl
        from pg_catalog.pg_default_acl as d`,

    'event trigger': `
        select format('event trigger %I', e.evtname) as key, jsonb_build_object(
            'event', e.evtevent, 'function', e.evtfoid::regprocedure::text, 'enabled', e.evtenabled::text,
            'tags', array_to_string(e.evttags, ', ')) as attrs, null::jsonb as acl
        from pg_catalog.pg_event_trigger as e`,

    publication: `
        select format('publication %I', p.pubname) as key, jsonb_build_object(
            'all tables', p.puballtables::text,
            'tables', (select string_agg(format('%I.%I', t.schemaname, t.tablename), ', ' order by 1, 2)
                from pg_catalog.pg_publication_tables as t where t.pubname = p.pubname)) as attrs, null::jsonb as acl
        from pg_catalog.pg_publication as p`,

    'database setting': `
        select format('database setting %s', coalesce(nullif(s.setrole, 0)::regrole::text || ' ', '') || split_part(c, '=', 1)) as key,
            jsonb_build_object('value', substr(c, length(split_part(c, '=', 1)) + 2)) as attrs, null::jsonb as acl
        from pg_catalog.pg_db_role_setting as s cross join unnest(s.setconfig) as c
        where s.setdatabase = (select oid from pg_catalog.pg_database where datname = current_database())`,

    'cron job': `
        select format('cron job %s', coalesce(j.jobname, j.command)) as key, jsonb_build_object(
            'schedule', j.schedule, 'command', j.command, 'database', j.database, 'username', j.username,
            'active', j.active::text) as attrs, null::jsonb as acl
        from cron.job as j
        where to_regclass('cron.job') is not null`,
};

/** The snapshot of the database `client` is connected to. */
export async function snapshot(client) {
    await client.query("set search_path = ''");
    const hasCron = (await client.query("select to_regclass('cron.job') is not null as yes")).rows[0].yes;
    const objects = new Map();
    for (const [name, sql] of Object.entries(QUERIES)) {
        if (name === 'cron job' && !hasCron) continue;
        const { rows } = await client.query(sql);
        for (const r of rows) {
            if (objects.has(r.key)) throw new Error(`catalog snapshot: two objects named ${r.key}`);
            const attrs = new Map();
            for (const [k, v] of Object.entries(r.attrs)) if (v !== null && v !== undefined) attrs.set(k, String(v));
            if (r.acl) for (const [g, p] of Object.entries(r.acl)) attrs.set(`privileges of ${g}`, p);
            objects.set(r.key, attrs);
        }
    }
    return objects;
}

/**
 * The differences between two snapshots: [{ key, kind: 'missing'|'extra'|'changed', attr?, a?, b? }], sorted by key.
 * a = reference (migrations), b = candidate (schemas). 'missing': in a only; 'extra': in b only.
 */
export function compare(a, b) {
    const out = [];
    const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
    for (const key of keys) {
        const x = a.get(key);
        const y = b.get(key);
        if (!y) { out.push({ key, kind: 'missing', a: x }); continue; }
        if (!x) { out.push({ key, kind: 'extra', b: y }); continue; }
        for (const attr of [...new Set([...x.keys(), ...y.keys()])].sort()) {
            if (x.get(attr) !== y.get(attr)) out.push({ key, kind: 'changed', attr, a: x.get(attr), b: y.get(attr) });
        }
    }
    return out;
}
