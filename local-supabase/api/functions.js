// /functions/v1/<name>: runs supabase/functions/<name>/index.ts under Deno (the npm package `deno`), one process per
// function started on first use (or at boot with warm()), and proxies requests to it as the Supabase gateway does.
//   - verify_jwt = true (the default; `[functions.<name>] verify_jwt = false` in supabase/config.toml turns it off):
//     a request needs a JWT signed with the project secret; OPTIONS preflights go straight to the function (its CORS).
//   - The request is forwarded as a proxy forwards it (RFC 9110 §7.6.1): the hop-by-hop headers (Connection and what it
//     names, Keep-Alive, Transfer-Encoding, TE, Trailer, Upgrade, Proxy-*) and Expect are the gateway's business, not
//     the function's (Expect: 100-continue is answered by the gateway, a chunked body is passed on whole), and an
//     Upgrade request (a WebSocket) is passed to the function over a raw connection, as Kong does.
//   - Deno runs with --cached-only: the functions' dependencies are cached at set-up (local-supabase/cache-functions.mjs,
//     run by scripts/ensure-deps.sh), so serving works offline; it gets the machine's CA and proxy settings
//     (denoEnv), and ends with the API (deno-host.ts watches its stdin).
import { Hono } from 'hono';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bearer } from './jwt.js';
import { verifyJwt } from './config.js';

const NAME_RE = /^[a-z0-9][a-z0-9_-]*$/i;
const BOOT_TIMEOUT_MS = 60_000;
// Headers that concern one connection (RFC 9110 §7.6.1) plus Expect, which the gateway answers itself.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te',
    'trailer', 'transfer-encoding', 'upgrade', 'expect', 'host', 'content-length'];

/**
 * What Deno needs from the machine's environment: its own DENO_* settings, npm registry settings, the CA bundle and
 * proxy variables (a TLS-inspecting proxy otherwise gives "invalid peer certificate: UnknownIssuer"). Deno reads
 * NODE_EXTRA_CA_CERTS and DENO_CERT itself; SSL_CERT_FILE / SSL_CERT_DIR only through the system store, which it then
 * uses too (DENO_TLS_CA_STORE=system,mozilla) unless told otherwise.
 */
export function denoEnv(env = process.env) {
    const pass = /^(DENO_[A-Z0-9_]+|NPM_CONFIG_[A-Z0-9_]+|npm_config_[a-z0-9_]+|(HTTPS?|ALL|NO)_PROXY|(https?|all|no)_proxy|SSL_CERT_(FILE|DIR)|NODE_EXTRA_CA_CERTS|TZ|LANG|LC_[A-Z]+)$/;
    const out = { PATH: env.PATH ?? '/usr/bin:/bin', HOME: env.HOME ?? '/tmp', NO_COLOR: '1' };
    for (const [k, v] of Object.entries(env)) if (pass.test(k) && v !== undefined) out[k] = v;
    if ((env.SSL_CERT_FILE || env.SSL_CERT_DIR) && !env.DENO_TLS_CA_STORE && !env.DENO_CERT) out.DENO_TLS_CA_STORE = 'system,mozilla';
    return out;
}

const freePort = () =>
    new Promise((resolve, reject) => {
        const srv = createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });

/** Request headers as the function must see them: hop-by-hop ones (and those Connection names) removed. */
export function forwardedHeaders(incoming) {
    const headers = new Headers(incoming);
    const named = (headers.get('connection') ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
    for (const h of [...HOP_BY_HOP, ...named]) headers.delete(h);
    return headers;
}

export function functionsRoutes({ root, functionsDir = join(root, 'supabase/functions'), config = {}, jwt, functionEnv, log = console.log }) {
    const app = new Hono();
    const fnRoot = functionsDir;
    const denoBin = existsSync(join(root, 'node_modules/.bin/deno')) ? join(root, 'node_modules/.bin/deno') : 'deno';
    const running = new Map(); // name -> Promise<{ child, port, ready }>
    const current = new Map(); // name -> the child process serving it
    const children = new Set();

    const exists = (name) => NAME_RE.test(name) && !name.startsWith('_') && existsSync(join(fnRoot, name, 'index.ts'));

    async function boot(name) {
        const dir = join(fnRoot, name);
        const port = await freePort();
        const args = ['run', '--quiet', '--no-prompt', '--cached-only', '--allow-net', '--allow-env', '--allow-read', '--allow-sys'];
        if (existsSync(join(dir, 'deno.json'))) args.push('--config', join(dir, 'deno.json'));
        args.push(join(root, 'local-supabase/api/deno-host.ts'), pathToFileURL(join(dir, 'index.ts')).href);
        const child = spawn(denoBin, args, {
            cwd: root,
            env: { ...denoEnv(), ...functionEnv, FUNCTION_PORT: String(port) },
            // stdin stays open and unused: its end tells the function that the API is gone
            stdio: ['pipe', 'pipe', 'pipe'],
        });
        child.stdin.on('error', () => {}); // the function may end first: writing nothing, a broken pipe is no news
        children.add(child);
        current.set(name, child);
        const entry = { child, port };
        entry.ready = new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`function ${name} did not start within ${BOOT_TIMEOUT_MS / 1000}s`)), BOOT_TIMEOUT_MS);
            child.stdout.on('data', (d) => {
                const text = d.toString();
                if (text.includes(`listening on ${port}`)) {
                    clearTimeout(timer);
                    resolve();
                }
                for (const line of text.split('\n').filter(Boolean)) log(`[fn ${name}] ${line}`);
            });
            child.stderr.on('data', (d) => {
                for (const line of d.toString().split('\n').filter(Boolean)) log(`[fn ${name}] ${line}`);
            });
            child.on('error', (e) => {
                clearTimeout(timer);
                children.delete(child);
                if (current.get(name) === child) {
                    current.delete(name);
                    running.delete(name);
                }
                reject(e);
            });
            child.on('exit', (code, signal) => {
                clearTimeout(timer);
                children.delete(child);
                if (current.get(name) === child) { // the next request boots it again
                    current.delete(name);
                    running.delete(name);
                }
                reject(new Error(`function ${name} exited (${signal ?? `code ${code}`}); its dependencies are cached by scripts/ensure-deps.sh`));
            });
        });
        entry.ready.catch(() => {});
        return entry;
    }

    const get = (name) => {
        if (!running.has(name)) running.set(name, boot(name));
        return running.get(name);
    };

    // The gateway's own answers carry CORS headers too, so a browser sees the status rather than a CORS failure.
    const gatewayError = (c, body, status) => c.json(body, status, { 'Access-Control-Allow-Origin': c.req.header('origin') ?? '*' });

    /** The gateway's checks for a request to a function: null when it may go on, else [status, body]. */
    async function admit(name, method, authorization) {
        if (!exists(name)) return [404, { code: 'NOT_FOUND', message: 'Requested function was not found' }];
        if (method !== 'OPTIONS' && verifyJwt(config, name)) {
            const m = /^bearer\s+(.+)$/i.exec((authorization ?? '').trim());
            if (!m) return [401, { code: 401, msg: 'Error: Missing authorization header' }];
            const v = await jwt.verify(m[1].trim());
            if (v.error) return [401, { code: 401, msg: 'Invalid JWT' }];
        }
        return null;
    }

    async function ready(name) {
        try {
            const entry = await get(name);
            await entry.ready;
            return entry;
        } catch (e) {
            log(`[fn ${name}] boot error: ${e.message}`);
            return null;
        }
    }

    async function handle(c) {
        const name = c.req.param('name');
        const refused = await admit(name, c.req.method, c.req.header('authorization'));
        if (refused) return gatewayError(c, refused[1], refused[0]);
        const entry = await ready(name);
        if (!entry) return gatewayError(c, { code: 'BOOT_ERROR', message: 'Function failed to start (please check logs)' }, 503);
        const url = new URL(c.req.url);
        const path = url.pathname.replace(/^\/functions\/v1/, '');
        const hasBody = !['GET', 'HEAD'].includes(c.req.method);
        let res;
        try {
            res = await fetch(`http://127.0.0.1:${entry.port}${path}${url.search}`, {
                method: c.req.method,
                headers: forwardedHeaders(c.req.raw.headers),
                body: hasBody ? await c.req.arrayBuffer() : undefined,
                redirect: 'manual',
            });
        } catch (e) {
            log(`[fn ${name}] ${e.message}`);
            return gatewayError(c, { code: 'WORKER_ERROR', message: 'Function exited due to an error (please check logs)' }, 500);
        }
        const out = new Headers(res.headers);
        out.delete('content-encoding');
        out.delete('content-length');
        out.delete('transfer-encoding');
        out.delete('connection');
        out.delete('keep-alive');
        return new Response(res.body, { status: res.status, headers: out });
    }

    app.all('/:name', handle);
    app.all('/:name/*', handle);

    /** A raw HTTP answer on a socket that was asked to upgrade. */
    const refuseUpgrade = (socket, status, body) => {
        const text = JSON.stringify(body);
        socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 401 ? 'Unauthorized' : 'Service Unavailable'}\r\n`
            + `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    };

    return {
        app,
        /**
         * An Upgrade request (node's 'upgrade' event) for /functions/v1/<name>…: the same checks, then the request and
         * both directions of the connection are passed to the function as they are (WebSockets work end to end).
         */
        async upgrade(req, socket, head) {
            socket.on('error', () => {});
            const url = new URL(req.url, 'http://gateway');
            const m = /^\/functions\/v1\/([^/]+)(\/.*)?$/.exec(url.pathname);
            if (!m) return refuseUpgrade(socket, 404, { message: `no upgrade route for ${url.pathname}` });
            const name = decodeURIComponent(m[1]);
            const refused = await admit(name, req.method, req.headers.authorization);
            if (refused) return refuseUpgrade(socket, refused[0], refused[1]);
            const entry = await ready(name);
            if (!entry) return refuseUpgrade(socket, 503, { code: 'BOOT_ERROR', message: 'Function failed to start (please check logs)' });
            const upstream = connect(entry.port, '127.0.0.1');
            upstream.on('error', () => socket.destroy());
            socket.on('close', () => upstream.destroy());
            upstream.on('connect', () => {
                const lines = [`${req.method} ${url.pathname.replace(/^\/functions\/v1/, '')}${url.search} HTTP/1.1`];
                for (let i = 0; i < req.rawHeaders.length; i += 2) {
                    if (req.rawHeaders[i].toLowerCase() !== 'host') lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
                }
                lines.push(`Host: 127.0.0.1:${entry.port}`);
                upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
                if (head?.length) upstream.write(head);
                socket.pipe(upstream);
                upstream.pipe(socket);
            });
        },
        /** Boots every function in the background so the first request does not wait. */
        warm() {
            if (!existsSync(fnRoot)) return;
            for (const name of readdirSync(fnRoot)) if (exists(name)) get(name).then((e) => e.ready).catch(() => {});
        },
        /** Ends every function (they also end by themselves when the API's process is gone). */
        stop() {
            for (const child of children) child.kill('SIGTERM');
        },
        children,
    };
}
