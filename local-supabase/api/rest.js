// /rest/v1/rpc/<function>: PostgREST's RPC contract for the exposed schema `public`.
// Connected as `authenticator`, like PostgREST: one transaction per request; the JWT's `role` claim becomes the
// database role (anon without a JWT) with that role's own settings applied (statement_timeout of anon 3 s,
// authenticated 8 s: ALTER ROLE … SET, see db.js) and its claims `request.jwt.claims`; JSON body keys are named
// arguments and the body TEXT goes to PostgreSQL as sent (json_to_record), so numbers stay exact and PostgreSQL refuses
// what does not fit; stable/immutable functions (and GET) run read only; scalar -> bare JSON value, composite ->
// object, setof -> array, void -> 204, the response is PostgreSQL's own JSON text; errors are {code, message, details,
// hint} with PostgREST's status mapping; the database out of reach -> 503 PGRST000 (no internal address).
// GET /rest/v1/ answers PostgREST's OpenAPI 2.0 description of the functions the caller's role may execute (its
// openapi-mode follow-privileges): what n8n's Supabase API credential test calls. Tables/views (/rest/v1/<table>) are
// not implemented: 501 (so the description lists none).
import { Hono } from 'hono';
import { bearer } from './jwt.js';
import { isConnectionError, roleSettingsCache } from './db.js';
import { nestedDeeperThan, MAX_JSON_DEPTH } from './json.js';

const SCHEMA = 'public';
// Roles the authenticator may switch to (grant anon, authenticated, service_role to authenticator).
const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);

const pgrstError = (c, status, code, message, details = null, hint = null) =>
    c.json({ code, details, hint, message }, status);

/** PostgREST's answer while the database cannot be reached (it retries the connection; so does the pool here). */
export const databaseUnavailable = (c) => pgrstError(c, 503, 'PGRST000',
    'Could not connect with the database: it is unavailable or restarting; retry in a moment', null, null);

/** PostgREST's SQLSTATE -> HTTP status table (docs.postgrest.org, references/errors). */
export function statusForSqlState(code, role) {
    if (!code) return 500;
    if (/^PT\d{3}$/.test(code)) return Number(code.slice(2));
    const exact = { '23503': 409, '23505': 409, '25006': 405, '53400': 500, P0001: 400, '42883': 404, '42P01': 404, '42P17': 500 };
    if (code in exact) return exact[code];
    if (code === '42501') return role === 'anon' ? 401 : 403;
    const prefix = {
        '08': 503, '09': 500, '0L': 403, '0P': 403, '25': 500, '28': 403, '2D': 500, '38': 500, '39': 500, '3B': 500,
        '40': 500, '53': 503, '54': 500, '55': 500, '57': 500, '58': 500, F0: 500, HV: 500, P0: 500, XX: 500,
    };
    return prefix[code.slice(0, 2)] ?? 400;
}

const ident = (s) => `"${String(s).replace(/"/g, '""')}"`;

/** The overloads of schema.name with their input arguments and return shape. */
async function loadFunctions(pool, name) {
    const { rows } = await pool.query(
        `select p.oid, p.provolatile, p.proretset, p.pronargs, p.pronargdefaults,
                t.typname = 'void' and t.typnamespace = 'pg_catalog'::regnamespace as returns_void,
                t.typtype = 'c' or (p.prorettype = 'record'::regtype and 'o' = any(coalesce(p.proargmodes::text[], '{}')))
                    or (p.prorettype = 'record'::regtype and 't' = any(coalesce(p.proargmodes::text[], '{}'))) as returns_row,
                coalesce(p.proargnames, '{}') as arg_names,
                coalesce(p.proargmodes::text[], '{}') as arg_modes,
                array(select format_type(x, null) from unnest(p.proargtypes) as x) as in_types
         from pg_catalog.pg_proc as p
         join pg_catalog.pg_namespace as n on n.oid = p.pronamespace
         join pg_catalog.pg_type as t on t.oid = p.prorettype
         where n.nspname = $1 and p.proname = $2 and p.prokind = 'f'`,
        [SCHEMA, name],
    );
    return rows.map((f) => {
        // Input arguments: modes i (in), b (inout), v (variadic); no modes means all in.
        const names = f.arg_modes.length
            ? f.arg_names.filter((_, i) => ['i', 'b', 'v'].includes(f.arg_modes[i]))
            : f.arg_names.slice(0, f.pronargs);
        const args = f.in_types.map((type, i) => ({ name: names[i] ?? '', type }));
        const required = args.slice(0, args.length - f.pronargdefaults).map((a) => a.name);
        return { ...f, args, required };
    });
}

function pickOverload(fns, keys) {
    const single = fns.filter((f) => f.args.length === 1 && f.args[0].name === '' && ['json', 'jsonb'].includes(f.args[0].type));
    const named = fns.filter((f) => f.args.every((a) => a.name !== '')
        && keys.every((k) => f.args.some((a) => a.name === k))
        && f.required.every((r) => keys.includes(r)));
    if (named.length) return named;
    return single.map((f) => ({ ...f, wholeBody: true }));
}

/** Who is calling: PostgREST reads only the Authorization header; no header means anon. {claims, role} or {refused}. */
async function callerOf(c, jwt) {
    let claims = { role: 'anon' };
    const token = bearer(c);
    if (token) {
        const v = await jwt.verify(token);
        if (v.error === 'expired') return { refused: pgrstError(c, 401, 'PGRST303', 'JWT expired') };
        if (v.error) return { refused: pgrstError(c, 401, 'PGRST301', v.message) };
        claims = v.claims;
    }
    const role = claims.role ?? 'anon';
    if (!API_ROLES.has(role)) return { refused: pgrstError(c, 403, '42501', `permission denied to set role "${role}"`) };
    return { claims, role };
}

// PostgREST's OpenAPI (Swagger 2.0) document, as its root path serves it: the media types it speaks, the root path,
// one path per function (POST with an `args` body object, GET with one query parameter per argument), tagged
// "(rpc) <name>", summary and description from the function's comment (first line, rest); argument types as
// PostgREST maps them (text -> string, integer -> integer, numeric -> number, boolean, json/jsonb -> no type).
const MEDIA = ['application/json', 'application/vnd.pgrst.object+json;nulls=stripped', 'application/vnd.pgrst.object+json', 'text/csv'];
const SWAGGER_TYPES = {
    'character varying': 'string', character: 'string', text: 'string', boolean: 'boolean', smallint: 'integer',
    integer: 'integer', bigint: 'integer', numeric: 'number', real: 'number', 'double precision': 'number',
};
const swaggerType = (pgType) => (pgType === 'json' || pgType === 'jsonb' ? undefined
    : pgType.endsWith('[]') ? 'array' : SWAGGER_TYPES[pgType] ?? 'string');

async function openApiDocument(pool, role, host) {
    const { rows } = await pool.query(
        `select p.proname as name, p.pronargdefaults as defaults, obj_description(p.oid, 'pg_proc') as comment,
                coalesce(p.proargnames, '{}') as arg_names, coalesce(p.proargmodes::text[], '{}') as arg_modes,
                array(select format_type(x, null) from unnest(p.proargtypes) as x) as in_types
         from pg_catalog.pg_proc as p
         join pg_catalog.pg_namespace as n on n.oid = p.pronamespace
         where n.nspname = $1 and p.prokind = 'f' and has_function_privilege($2, p.oid, 'execute')
         order by p.proname, p.oid`,
        [SCHEMA, role],
    );
    const paths = {
        '/': {
            get: {
                tags: ['Introspection'], summary: 'OpenAPI description (this document)',
                produces: ['application/openapi+json', 'application/json'], responses: { 200: { description: 'OK' } },
            },
        },
    };
    for (const f of rows) {
        const names = f.arg_modes.length
            ? f.arg_names.filter((_, i) => ['i', 'b', 'v'].includes(f.arg_modes[i]))
            : f.arg_names.slice(0, f.in_types.length);
        const args = f.in_types.map((type, i) => ({ name: names[i] ?? '', type }));
        if (args.some((a) => a.name === '')) continue; // PostgREST calls those with the whole body; not listed by name
        const required = args.slice(0, args.length - f.defaults).map((a) => a.name);
        const [summary, ...rest] = (f.comment ?? '').split('\n');
        const text = { ...(summary ? { summary } : {}), ...(rest.join('\n').trim() ? { description: rest.join('\n').trim() } : {}) };
        const property = (a) => [a.name, { format: a.type, ...(swaggerType(a.type) ? { type: swaggerType(a.type) } : {}) }];
        const tags = [`(rpc) ${f.name}`];
        const ok = { 200: { description: 'OK' } };
        paths[`/rpc/${f.name}`] = {
            get: {
                tags, ...text, produces: MEDIA.slice(0, 3), responses: ok,
                parameters: args.map((a) => ({ name: a.name, in: 'query', required: required.includes(a.name), ...property(a)[1] })),
            },
            post: {
                tags, ...text, produces: MEDIA.slice(0, 3), responses: ok,
                parameters: [
                    {
                        name: 'args', in: 'body', required: true,
                        schema: { type: 'object', ...(required.length ? { required } : {}), properties: Object.fromEntries(args.map(property)) },
                    },
                    { $ref: '#/parameters/preferParams' },
                ],
            },
        };
    }
    return {
        swagger: '2.0',
        info: { description: '', title: 'standard public schema', version: 'local stand-in' },
        host, basePath: '/rest/v1/', schemes: ['http'], consumes: MEDIA, produces: MEDIA, paths, definitions: {},
        parameters: {
            preferParams: {
                name: 'Prefer', description: 'Preference', required: false, in: 'header', type: 'string',
                enum: ['params=single-object'],
            },
        },
        externalDocs: { description: 'PostgREST Documentation', url: 'https://postgrest.org/en/v12/references/api.html' },
    };
}

export function restRoutes({ pool, jwt }) {
    const app = new Hono();
    const settingsFor = roleSettingsCache(pool, [...API_ROLES]);

    /** args: the named arguments (keys only matter); bodyText: the JSON text to hand PostgreSQL as is. */
    async function rpc(c, args, method, bodyText) {
        try {
            return await call(c, args, method, bodyText);
        } catch (e) {
            if (isConnectionError(e)) return databaseUnavailable(c);
            throw e;
        }
    }

    async function call(c, args, method, bodyText) {
        const fnName = c.req.param('fn');
        const profile = c.req.header(method === 'GET' ? 'accept-profile' : 'content-profile');
        if (profile && profile !== SCHEMA) {
            return pgrstError(c, 406, 'PGRST106', `The schema must be one of the following: ${SCHEMA}`, null, null);
        }

        const caller = await callerOf(c, jwt);
        if (caller.refused) return caller.refused;
        const { claims, role } = caller;

        const keys = Object.keys(args);
        const candidates = pickOverload(await loadFunctions(pool, fnName), keys);
        if (candidates.length === 0) {
            const list = keys.join(', ');
            return pgrstError(c, 404, 'PGRST202',
                `Could not find the function ${SCHEMA}.${fnName}${keys.length ? `(${list})` : ' without parameters'} in the schema cache`,
                `Searched for the function ${SCHEMA}.${fnName}${keys.length ? ` with parameters ${list}` : ' without parameters'} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
                null);
        }
        if (candidates.length > 1) {
            return pgrstError(c, 300, 'PGRST203', `Could not choose the best candidate function between: ${candidates.map((f) => `${SCHEMA}.${fnName}(${f.args.map((a) => `${a.name} => ${a.type}`).join(', ')})`).join(', ')}`,
                null, 'Try renaming the parameters or the function itself in the database so function overloading can be resolved');
        }
        const fn = candidates[0];

        // Arguments go through json_to_record, as PostgREST does: PostgreSQL reads the client's JSON text and casts each
        // value to the parameter type (an id sent as the number 17841400000000001 stays exact; 1e400 is refused by a
        // numeric parameter that cannot hold it).
        const fnRef = `${ident(SCHEMA)}.${ident(fnName)}`;
        let prefix = '';
        let expr;
        let params = [];
        if (fn.wholeBody) {
            expr = `${fnRef}($1::${fn.args[0].type})`;
            params = [bodyText];
        } else {
            const used = fn.args.filter((a) => keys.includes(a.name));
            if (used.length) {
                prefix = `with pgrst_args as (select * from json_to_record($1::json) as _(${used.map((a) => `${ident(a.name)} ${a.type}`).join(', ')})) `;
                params = [bodyText];
            }
            expr = `${fnRef}(${used.map((a) => `${ident(a.name)} := (select ${ident(a.name)} from pgrst_args)`).join(', ')})`;
        }
        // The response is PostgreSQL's own JSON text, never parsed and printed again by JavaScript.
        let sql;
        if (fn.returns_void) sql = `${prefix}select ${expr}`;
        else if (fn.proretset) sql = `${prefix}select coalesce(json_agg(pgrst_t), '[]'::json)::text as body from ${expr} as pgrst_t`;
        else if (fn.returns_row) sql = `${prefix}select to_json(pgrst_t)::text as body from ${expr} as pgrst_t`;
        else sql = `${prefix}select to_json(${expr})::text as body`;

        const readOnly = method === 'GET' || fn.provolatile !== 'v';
        const settings = await settingsFor(role);
        const client = await pool.connect();
        let broken = null;
        try {
            await client.query(readOnly ? 'begin isolation level read committed read only' : 'begin isolation level read committed');
            await client.query(
                `select set_config('search_path', 'public, extensions', true), set_config('role', $1, true),
                        set_config('request.jwt.claims', $2, true), set_config('request.method', $3, true),
                        set_config('request.path', $4, true), set_config('request.headers', $5, true),
                        (select count(set_config(s.name, s.value, true)) from unnest($6::text[], $7::text[]) as s (name, value))`,
                [role, JSON.stringify(claims), method, new URL(c.req.url).pathname.replace(/^\/rest\/v1/, ''),
                    JSON.stringify(Object.fromEntries(Object.entries(c.req.header()).filter(([k]) => k !== 'authorization' && k !== 'apikey'))),
                    settings.map(([k]) => k), settings.map(([, v]) => v)],
            );
            const result = await client.query(sql, params);
            await client.query('commit');
            if (fn.returns_void) return c.body(null, 204);
            return c.body(result.rows[0]?.body ?? 'null', 200, { 'content-type': 'application/json; charset=utf-8' });
        } catch (e) {
            if (isConnectionError(e)) {
                broken = e;
                throw e;
            }
            await client.query('rollback').catch(() => {});
            if (!e.code) throw e;
            return pgrstError(c, statusForSqlState(e.code, role), e.code, e.message, e.detail ?? null, e.hint ?? null);
        } finally {
            client.release(broken ?? undefined); // a broken connection is dropped, not reused
        }
    }

    app.post('/rpc/:fn', async (c) => {
        const text = await c.req.text();
        let args = {};
        if (text.trim() !== '') {
            if (nestedDeeperThan(text)) {
                return pgrstError(c, 400, 'PGRST102', `Empty or invalid json: nested deeper than ${MAX_JSON_DEPTH} levels`);
            }
            try {
                args = JSON.parse(text); // for the argument names only: the values go to PostgreSQL as text
            } catch {
                return pgrstError(c, 400, 'PGRST102', 'Empty or invalid json');
            }
        }
        if (args === null || typeof args !== 'object' || Array.isArray(args)) {
            return pgrstError(c, 501, 'PGRST102', 'Only a JSON object body is supported by the local API stand-in (bulk RPC calls are not implemented)');
        }
        return rpc(c, args, 'POST', text.trim() === '' ? '{}' : text);
    });

    app.get('/rpc/:fn', (c) => {
        const args = c.req.query();
        return rpc(c, args, 'GET', JSON.stringify(args));
    });

    // The root: the OpenAPI description (n8n's Supabase API credential test calls it with the service role key).
    const root = async (c) => {
        const caller = await callerOf(c, jwt);
        if (caller.refused) return caller.refused;
        try {
            const doc = await openApiDocument(pool, caller.role, new URL(c.req.url).host);
            return c.body(JSON.stringify(doc), 200, { 'content-type': 'application/openapi+json; charset=utf-8' });
        } catch (e) {
            if (isConnectionError(e)) return databaseUnavailable(c);
            throw e;
        }
    };
    app.get('/', root); // /rest/v1 (the gateway's /rest/v1/ reaches PostgREST's / too: the catch-all below sends it here)

    app.all('*', (c) => {
        const path = new URL(c.req.url).pathname;
        if (path === '/rest/v1/' && ['GET', 'HEAD'].includes(c.req.method)) return root(c);
        return pgrstError(c, 501, 'PGRST501',
            `${c.req.method} ${path} is not implemented by the local API stand-in: only /rest/v1/ and /rest/v1/rpc/<function> are`,
            null, 'Read and write data through RPC functions, or run `supabase start` for the full PostgREST');
    });
    return app;
}
