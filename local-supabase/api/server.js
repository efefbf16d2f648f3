#!/usr/bin/env node
// Local stand-in for the Supabase API gateway, for machines without Docker (`npm start`, `npm test`).
// It speaks, for what this project uses, the same HTTP contract as `supabase start` on one port:
//   /auth/v1       GoTrue: token (password, refresh_token), user, logout, admin users create/get/delete,
//                  admin generate_link (magiclink, recovery), verify (GET -> 303 with #access_token…, POST)
//   /rest/v1/rpc/  PostgREST RPC (role from the JWT, request.jwt.claims, one transaction, PostgREST errors)
//   /functions/v1/ edge functions of supabase/functions, run under Deno (npm package `deno`)
// Everything else answers 404/501 with a JSON error: it is not the product, run `supabase start` for the real stack.
//
// Environment:
//   API_PORT                   port to listen on (default 54321, as `supabase start`)
//   API_HOST                   interface (default 127.0.0.1)
//   API_EXTERNAL_URL           URL browsers use to reach this API, used in magic links and the JWT `iss`
//                              (default http://127.0.0.1:$API_PORT)
//   DATABASE_URL               PostgreSQL the API talks to (default postgresql://postgres@127.0.0.1:54322/postgres)
//   JWT_SECRET                 HS256 secret (default the one of `supabase start`:
//                              super-secret-jwt-token-with-at-least-32-characters-long)
//   ANON_KEY, SERVICE_ROLE_KEY the API keys (default: those `supabase start` prints when JWT_SECRET is the default,
//                              otherwise minted with JWT_SECRET and the same claims)
//   APP_URL                    the dashboard URL: site URL of auth (magic-link redirects must share its origin) and
//                              APP_URL of the edge functions (default http://127.0.0.1:3000)
//   FUNCTIONS_WARM=0           do not boot the edge functions at start-up (they then boot on first request)
// The edge functions get SUPABASE_URL (this API), SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY,
// SUPABASE_DB_URL (= DATABASE_URL) and APP_URL, as the Supabase edge runtime provides them.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import pg from 'pg';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { authRoutes } from './auth.js';
import { restRoutes } from './rest.js';
import { functionsRoutes } from './functions.js';
import { jwtTools, LOCAL_JWT_SECRET, LOCAL_ANON_KEY, LOCAL_SERVICE_ROLE_KEY } from './jwt.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

export async function createApi(env = process.env) {
    const port = Number(env.API_PORT ?? 54321);
    const publicUrl = (env.API_EXTERNAL_URL ?? `http://127.0.0.1:${port}`).replace(/\/$/, '');
    const databaseUrl = env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:54322/postgres';
    const secret = env.JWT_SECRET ?? LOCAL_JWT_SECRET;
    const siteUrl = (env.APP_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
    const jwt = jwtTools(secret);
    const mintKey = (role) => jwt.sign({ iss: 'supabase-demo', role, exp: 1983812996 });
    const anonKey = env.ANON_KEY ?? (secret === LOCAL_JWT_SECRET ? LOCAL_ANON_KEY : await mintKey('anon'));
    const serviceRoleKey = env.SERVICE_ROLE_KEY ?? (secret === LOCAL_JWT_SECRET ? LOCAL_SERVICE_ROLE_KEY : await mintKey('service_role'));
    const apiKeys = new Set([anonKey, serviceRoleKey]);

    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, application_name: 'local-api' });
    pool.on('error', (e) => console.error(`api: idle database connection error: ${e.message}`));

    const functions = functionsRoutes({
        root: ROOT,
        jwt,
        functionEnv: {
            SUPABASE_URL: `http://127.0.0.1:${port}`,
            SUPABASE_ANON_KEY: anonKey,
            SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey,
            SUPABASE_DB_URL: databaseUrl,
            APP_URL: siteUrl,
        },
        log: (line) => console.log(line),
    });

    const app = new Hono();
    // CORS like the gateway of `supabase start`: any origin, the request's headers, credentials allowed.
    const gatewayCors = cors({
        origin: (origin) => origin || '*',
        allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        exposeHeaders: ['Content-Range', 'Content-Profile', 'Content-Location', 'Preference-Applied', 'X-Supabase-Api-Version'],
        credentials: true,
        maxAge: 3600,
    });
    app.use('/auth/v1/*', gatewayCors);
    app.use('/rest/v1/*', gatewayCors);

    // The gateway's key check (Kong key-auth) on auth and rest; the links of emails (verify) need no key.
    const keyAuth = async (c, next) => {
        if (c.req.method === 'OPTIONS' || c.req.path === '/auth/v1/verify' && c.req.method === 'GET') return next();
        const key = c.req.header('apikey') ?? c.req.query('apikey');
        if (!key) return c.json({ message: 'No API key found in request' }, 401);
        if (!apiKeys.has(key)) return c.json({ message: 'Invalid authentication credentials' }, 401);
        return next();
    };
    app.use('/auth/v1/*', keyAuth);
    app.use('/rest/v1/*', keyAuth);

    app.route('/auth/v1', authRoutes({ pool, jwt, publicUrl, siteUrl }));
    app.route('/rest/v1', restRoutes({ pool, jwt }));
    app.route('/functions/v1', functions.app);
    app.get('/health', (c) => c.json({ status: 'ok' }));
    app.all('*', (c) => c.json({ message: `no route ${c.req.method} ${c.req.path} in the local API stand-in (auth/v1, rest/v1/rpc, functions/v1)` }, 404));
    app.onError((e, c) => {
        console.error(`api: ${c.req.method} ${c.req.path}: ${e.stack ?? e}`);
        return c.json({ code: 500, error_code: 'unexpected_failure', msg: e.message, message: e.message }, 500);
    });

    return { app, port, host: env.API_HOST ?? '127.0.0.1', pool, functions, anonKey, serviceRoleKey, publicUrl };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    const api = await createApi();
    await api.pool.query('select 1'); // fail fast when the database is not there
    const server = serve({ fetch: api.app.fetch, port: api.port, hostname: api.host }, () => {
        console.log(`api: listening on ${api.publicUrl} (database ${new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:54322/postgres').port})`);
    });
    if (process.env.FUNCTIONS_WARM !== '0') api.functions.warm();
    const shutdown = () => {
        api.functions.stop();
        server.close();
        api.pool.end().finally(() => process.exit(0));
        setTimeout(() => process.exit(0), 3000).unref();
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
}
