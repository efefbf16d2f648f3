#!/usr/bin/env node
// Local stand-in for the Supabase API gateway, for machines without Docker (`npm start`, `npm test`).
// It speaks, for what this project uses, the same HTTP contract as `supabase start` on one port:
//   /auth/v1       GoTrue: token (password, refresh_token), user, logout, admin users create/get/delete,
//                  admin generate_link (magiclink, recovery), verify (GET -> 303 with #access_token…, POST)
//   /rest/v1/      PostgREST OpenAPI description of the callable functions (n8n's Supabase credential test)
//   /rest/v1/rpc/  PostgREST RPC (as authenticator, role from the JWT with its settings, request.jwt.claims, one
//                  transaction, PostgREST errors)
//   /functions/v1/ edge functions of supabase/functions, run under Deno (npm package `deno`)
// Everything else answers 404/501 with a JSON error: it is not the product, run `supabase start` for the real stack.
// The contract, what it refuses and where it knowingly differs: local-supabase/README.md.
//
// Environment:
//   API_PORT                   port to listen on (default 54321, as `supabase start`)
//   API_HOST                   interface (default 127.0.0.1)
//   API_EXTERNAL_URL           URL browsers use to reach this API, used in magic links and the JWT `iss`
//                              (default http://127.0.0.1:$API_PORT)
//   DATABASE_URL               PostgreSQL, as postgres (default postgresql://postgres@127.0.0.1:54322/postgres); the
//                              API logs in to the same database as `authenticator` (rest) and `supabase_auth_admin`
//                              (auth), like PostgREST and GoTrue; the functions get it as SUPABASE_DB_URL
//   JWT_SECRET                 HS256 secret (default the public demo one of `supabase start`:
//                              super-secret-jwt-token-with-at-least-32-characters-long; refused outside loopback)
//   ALLOW_DEMO_JWT_SECRET=1    start with the demo secret although a URL or the interface is not loopback (warns)
//   ANON_KEY, SERVICE_ROLE_KEY the API keys (default: those `supabase start` prints when JWT_SECRET is the default,
//                              otherwise minted with JWT_SECRET and the same claims)
//   APP_URL                    the dashboard URL: site URL of auth (magic-link redirects must share its origin) and
//                              APP_URL of the edge functions (default http://127.0.0.1:3000)
//   API_MAX_BODY_BYTES         request body cap of /rest/v1 and /functions/v1 (default 16 MiB: 413 above; /auth/v1
//                              has GoTrue's 1 MiB)
//   RATE_LIMIT_HEADER          take the client IP of the auth rate limits from this header (e.g. X-Forwarded-For,
//                              first value) instead of the connection, behind a trusted proxy (GoTrue's
//                              GOTRUE_RATE_LIMIT_HEADER)
//   GOTRUE_RATE_LIMIT_TOKEN_REFRESH, GOTRUE_RATE_LIMIT_VERIFY, GOTRUE_RATE_LIMIT_OTP
//                              requests per 5 minutes per client IP, over config.toml's [auth.rate_limit] (as GoTrue)
//   FUNCTIONS_DIR              the edge functions' folder (default supabase/functions)
//   FUNCTIONS_WARM=0           do not boot the edge functions at start-up (they then boot on first request)
//   PG_NET_WORKER=1            send the HTTP requests queued by net.http_post / net.http_get (the stand-in of pg_net in
//                              platform.sql; pg-net.js), as pg_net's worker does on Supabase (npm start sets it)
//   SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASS, SMTP_FROM, SMTP_SECURE, DIGEST_SIGNING_SECRET
//                              passed to the edge functions (the digest emails and create-coach's magic link emails;
//                              npm start points SMTP_* at its development mail server when none is set)
//   TELEGRAM_API_URL           passed to the edge functions: the Telegram Bot API's base URL (default
//                              https://api.telegram.org; tests point it at local-supabase/telegram-api.js)
// The edge functions get SUPABASE_URL (this API), SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY,
// SUPABASE_DB_URL (= DATABASE_URL) and APP_URL, as the Supabase edge runtime provides them, and the SMTP_* settings
// DIGEST_SIGNING_SECRET and TELEGRAM_API_URL of the environment (on Supabase: `supabase secrets set`).
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { cors } from 'hono/cors';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { authRoutes, fail } from './auth.js';
import { restRoutes, databaseUnavailable } from './rest.js';
import { functionsRoutes } from './functions.js';
import { startPgNetWorker } from './pg-net.js';
import { jwtTools, LOCAL_JWT_SECRET, LOCAL_ANON_KEY, LOCAL_SERVICE_ROLE_KEY } from './jwt.js';
import { authRateLimits, readSupabaseConfig } from './config.js';
import { createPool, isConnectionError, urlForRole } from './db.js';
import { tokenBucket } from './rate-limit.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const AUTH_MAX_BODY_BYTES = 1024 * 1024; // GoTrue's limitRequestBody(1 << 20)
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024; // a full ingest_messages batch (1,000 DMs of 4,000 characters)

const LOOPBACK = (host) => /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i.test(host);

/**
 * The demo JWT secret of `supabase start` is public: anyone can mint a service_role token with it. Outside loopback
 * (a URL or the interface that others can reach) the API refuses it, unless ALLOW_DEMO_JWT_SECRET=1 (then it warns).
 * Returns the warning to print, or throws.
 */
export function checkJwtSecret(env, { secret, publicUrl, siteUrl, host }) {
    if (secret !== LOCAL_JWT_SECRET) return null;
    const exposed = [['API_HOST', host], ['API_EXTERNAL_URL', new URL(publicUrl).hostname], ['APP_URL', new URL(siteUrl).hostname]]
        .filter(([, h]) => !LOOPBACK(h) && h !== '');
    if (!exposed.length) return null;
    const what = exposed.map(([k, h]) => `${k} (${h})`).join(', ');
    const message = [
        '',
        '!!! ======================================================================================== !!!',
        `!!! The API uses the PUBLIC demo JWT secret of \`supabase start\`, but ${what} is not loopback.`,
        '!!! Anyone who can reach it can sign a service_role token with that secret and bypass every rule.',
        '!!! Set JWT_SECRET to a secret of your own (at least 32 characters); ANON_KEY and SERVICE_ROLE_KEY',
        '!!! are then minted from it. ALLOW_DEMO_JWT_SECRET=1 starts anyway (a throwaway demo only).',
        '!!! ======================================================================================== !!!',
        '',
    ].join('\n');
    if (env.ALLOW_DEMO_JWT_SECRET === '1') return message;
    const e = new Error(message);
    e.code = 'DEMO_JWT_SECRET';
    throw e;
}

export async function createApi(env = process.env) {
    const port = Number(env.API_PORT ?? 54321);
    const host = env.API_HOST ?? '127.0.0.1';
    const publicUrl = (env.API_EXTERNAL_URL ?? `http://127.0.0.1:${port}`).replace(/\/$/, '');
    const databaseUrl = env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:54322/postgres';
    const secret = env.JWT_SECRET ?? LOCAL_JWT_SECRET;
    const siteUrl = (env.APP_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
    const warning = checkJwtSecret(env, { secret, publicUrl, siteUrl, host });
    const jwt = jwtTools(secret);
    const mintKey = (role) => jwt.sign({ iss: 'supabase-demo', role, exp: 1983812996 });
    const anonKey = env.ANON_KEY ?? (secret === LOCAL_JWT_SECRET ? LOCAL_ANON_KEY : await mintKey('anon'));
    const serviceRoleKey = env.SERVICE_ROLE_KEY ?? (secret === LOCAL_JWT_SECRET ? LOCAL_SERVICE_ROLE_KEY : await mintKey('service_role'));
    const apiKeys = new Set([anonKey, serviceRoleKey]);
    const maxBody = Number(env.API_MAX_BODY_BYTES ?? DEFAULT_MAX_BODY_BYTES);
    const config = readSupabaseConfig(ROOT);

    // PostgREST logs in as authenticator, GoTrue as supabase_auth_admin.
    const restPool = createPool(urlForRole(databaseUrl, 'authenticator'), 'local-api-rest');
    const authPool = createPool(urlForRole(databaseUrl, 'supabase_auth_admin'), 'local-api-auth');
    const pools = [restPool, authPool];

    const rate = authRateLimits(config, env);
    const limits = {
        token: tokenBucket({ perFiveMinutes: rate.token }),
        verify: tokenBucket({ perFiveMinutes: rate.verify }),
        otp: tokenBucket({ perFiveMinutes: rate.otp }),
    };
    const rateLimitHeader = env.RATE_LIMIT_HEADER?.toLowerCase();
    const clientIp = (c) => {
        const forwarded = rateLimitHeader && c.req.header(rateLimitHeader)?.split(',')[0]?.trim();
        if (forwarded) return forwarded;
        try {
            return (getConnInfo(c).remote.address ?? 'unknown').replace(/^::ffff:/, '');
        } catch {
            return 'unknown'; // called without a socket (app.fetch in a test)
        }
    };

    const functions = functionsRoutes({
        root: ROOT,
        functionsDir: env.FUNCTIONS_DIR ? resolve(env.FUNCTIONS_DIR) : undefined,
        config,
        jwt,
        functionEnv: {
            SUPABASE_URL: `http://127.0.0.1:${port}`,
            SUPABASE_ANON_KEY: anonKey,
            SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey,
            SUPABASE_DB_URL: databaseUrl,
            APP_URL: siteUrl,
            ...Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined
                && /^(SMTP_(HOST|PORT|USER|PASS|FROM|SECURE)|DIGEST_SIGNING_SECRET|TELEGRAM_API_URL)$/.test(k))),
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
    // Compressed answers, as the hosted gateway sends them (Envoy and Cloudflare in front of PostgREST and GoTrue,
    // which do not compress themselves): gzip whenever the client accepts it (browsers, fetch). The functions'
    // answers are passed through as they are.
    app.use('/auth/v1/*', compress({ encoding: 'gzip' }));
    app.use('/rest/v1/*', compress({ encoding: 'gzip' }));

    // Body caps, before anything reads a body: GoTrue's 1 MiB on auth, API_MAX_BODY_BYTES on rest and functions.
    app.use('/auth/v1/*', bodyLimit({
        maxSize: AUTH_MAX_BODY_BYTES,
        onError: (c) => fail(c, 413, 'request_entity_too_large', `Request body too large (max ${AUTH_MAX_BODY_BYTES} bytes)`),
    }));
    app.use('/rest/v1/*', bodyLimit({
        maxSize: maxBody,
        onError: (c) => c.json({ code: 'PGRST413', details: null, hint: null, message: `Request body too large (max ${maxBody} bytes, API_MAX_BODY_BYTES)` }, 413),
    }));
    app.use('/functions/v1/*', bodyLimit({
        maxSize: maxBody,
        onError: (c) => c.json({ code: 'REQUEST_TOO_LARGE', message: `Request body too large (max ${maxBody} bytes, API_MAX_BODY_BYTES)` }, 413,
            { 'Access-Control-Allow-Origin': c.req.header('origin') ?? '*' }),
    }));

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

    app.route('/auth/v1', authRoutes({ pool: authPool, jwt, publicUrl, siteUrl, limits, clientIp }));
    app.route('/rest/v1', restRoutes({ pool: restPool, jwt }));
    app.route('/functions/v1', functions.app);
    app.get('/health', (c) => c.json({ status: 'ok' }));
    app.all('*', (c) => c.json({ message: `no route ${c.req.method} ${c.req.path} in the local API stand-in (auth/v1, rest/v1/rpc, functions/v1)` }, 404));
    app.onError((e, c) => {
        // The database out of reach: 503, never the driver's message (it names internal addresses).
        if (isConnectionError(e)) {
            console.error(`api: ${c.req.method} ${c.req.path}: database unavailable (${e.code ?? e.message})`);
            if (c.req.path.startsWith('/rest/')) return databaseUnavailable(c);
            return fail(c, 503, 'unexpected_failure', 'Database unavailable: retrying the connection');
        }
        console.error(`api: ${c.req.method} ${c.req.path}: ${e.stack ?? e}`);
        const body = { code: 500, error_code: 'unexpected_failure', msg: 'Unexpected failure (see the API log)', message: 'Unexpected failure (see the API log)' };
        return c.json(body, 500);
    });

    return {
        app, port, host, pool: restPool, pools, functions, anonKey, serviceRoleKey, publicUrl, warning, maxBody,
        /** Answers Expect: 100-continue before the body travels (413 at once when Content-Length is above the cap). */
        checkContinue(req, res, server) {
            const length = Number(req.headers['content-length'] ?? 0);
            const cap = req.url.startsWith('/auth/v1') ? AUTH_MAX_BODY_BYTES : maxBody;
            if (length > cap) {
                const text = JSON.stringify({ code: 413, message: `Request body too large (max ${cap} bytes)` });
                res.writeHead(413, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), Connection: 'close' });
                res.end(text);
                return;
            }
            res.writeContinue();
            server.emit('request', req, res);
        },
        /** Upgrade requests (WebSockets): passed to the edge function they name; nothing else upgrades. */
        upgrade(req, socket, head) {
            return functions.upgrade(req, socket, head);
        },
        async close() {
            functions.stop();
            await Promise.allSettled(pools.map((p) => p.end()));
        },
    };
}

/** Listens with the gateway's connection handling (100-continue, upgrades); resolves with the node server. */
export function listen(api) {
    return new Promise((resolveListen) => {
        const server = serve({ fetch: api.app.fetch, port: api.port, hostname: api.host }, () => resolveListen(server));
        server.on('checkContinue', (req, res) => api.checkContinue(req, res, server));
        server.on('upgrade', (req, socket, head) => api.upgrade(req, socket, head));
    });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    let api;
    try {
        api = await createApi();
    } catch (e) {
        if (e.code !== 'DEMO_JWT_SECRET') throw e;
        console.error(e.message);
        console.error('api: refusing to start with the demo JWT secret outside loopback');
        process.exit(1);
    }
    if (api.warning) console.error(api.warning);
    // fail fast when the database is not there at start; later outages answer 503 and heal by themselves
    await api.pool.query('select 1').catch((e) => {
        console.error(`api: cannot reach the database (${e.code ?? e.message}): start it first (npm run db:start)`);
        process.exit(1);
    });
    const server = await listen(api);
    console.log(`api: listening on ${api.publicUrl} (database ${new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:54322/postgres').port})`);
    if (process.env.FUNCTIONS_WARM !== '0') api.functions.warm();
    const pgNet = process.env.PG_NET_WORKER === '1'
        ? startPgNetWorker({ databaseUrl: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:54322/postgres' })
        : null;
    // The functions end with this process whatever ends it (their stdin closes); on a normal exit, at once.
    process.on('exit', () => api.functions.stop());
    const shutdown = () => {
        server.close();
        pgNet?.stop().catch(() => {});
        api.close().finally(() => process.exit(0));
        setTimeout(() => process.exit(0), 3000).unref();
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
}
