// /functions/v1/<name>: runs supabase/functions/<name>/index.ts under Deno (the npm package `deno`), one process per
// function started on first use (or at boot with warm()), and proxies requests to it. Like the Supabase gateway with
// verify_jwt = true (the default; `[functions.<name>] verify_jwt = false` in supabase/config.toml turns it off), a
// request needs a JWT signed with the project secret; OPTIONS preflights go straight to the function (its CORS).
import { Hono } from 'hono';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bearer } from './jwt.js';

const NAME_RE = /^[a-z0-9][a-z0-9_-]*$/i;
const BOOT_TIMEOUT_MS = 180_000; // the first boot may download the function's npm: dependencies

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

function verifyJwtSetting(root, name) {
    try {
        const toml = readFileSync(join(root, 'supabase/config.toml'), 'utf8');
        const section = toml.split(/^\[/m).find((s) => s.startsWith(`functions.${name}]`));
        const m = section && /^\s*verify_jwt\s*=\s*(true|false)/m.exec(section);
        return m ? m[1] === 'true' : true;
    } catch {
        return true;
    }
}

export function functionsRoutes({ root, jwt, functionEnv, log = console.log }) {
    const app = new Hono();
    const fnRoot = join(root, 'supabase/functions');
    const denoBin = existsSync(join(root, 'node_modules/.bin/deno')) ? join(root, 'node_modules/.bin/deno') : 'deno';
    const running = new Map(); // name -> Promise<{ child, port, ready }>
    const children = new Set();

    const exists = (name) => NAME_RE.test(name) && !name.startsWith('_') && existsSync(join(fnRoot, name, 'index.ts'));

    async function boot(name) {
        const dir = join(fnRoot, name);
        const port = await freePort();
        const args = ['run', '--quiet', '--no-prompt', '--allow-net', '--allow-env', '--allow-read', '--allow-sys'];
        if (existsSync(join(dir, 'deno.json'))) args.push('--config', join(dir, 'deno.json'));
        args.push(join(root, 'local-supabase/api/deno-host.ts'), pathToFileURL(join(dir, 'index.ts')).href);
        const child = spawn(denoBin, args, {
            cwd: root,
            env: { PATH: process.env.PATH, HOME: process.env.HOME, ...(process.env.DENO_DIR ? { DENO_DIR: process.env.DENO_DIR } : {}), NO_COLOR: '1', ...functionEnv, FUNCTION_PORT: String(port) },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.add(child);
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
            child.on('exit', (code) => {
                clearTimeout(timer);
                children.delete(child);
                running.delete(name);
                reject(new Error(`function ${name} exited with code ${code}`));
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

    async function handle(c) {
        const name = c.req.param('name');
        if (!exists(name)) return gatewayError(c, { code: 'NOT_FOUND', message: 'Requested function was not found' }, 404);
        if (c.req.method !== 'OPTIONS' && verifyJwtSetting(root, name)) {
            const token = bearer(c);
            if (!token) return gatewayError(c, { code: 401, msg: 'Error: Missing authorization header' }, 401);
            const v = await jwt.verify(token);
            if (v.error) return gatewayError(c, { code: 401, msg: 'Invalid JWT' }, 401);
        }
        let entry;
        try {
            entry = await get(name);
            await entry.ready;
        } catch (e) {
            log(`[fn ${name}] boot error: ${e.message}`);
            return gatewayError(c, { code: 'BOOT_ERROR', message: 'Function failed to start (please check logs)' }, 503);
        }
        const url = new URL(c.req.url);
        const path = url.pathname.replace(/^\/functions\/v1/, '');
        const headers = new Headers(c.req.raw.headers);
        headers.delete('host');
        const hasBody = !['GET', 'HEAD'].includes(c.req.method);
        let res;
        try {
            res = await fetch(`http://127.0.0.1:${entry.port}${path}${url.search}`, {
                method: c.req.method,
                headers,
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
        return new Response(res.body, { status: res.status, headers: out });
    }

    app.all('/:name', handle);
    app.all('/:name/*', handle);

    return {
        app,
        /** Boots every function in the background so the first request does not wait for downloads. */
        warm() {
            if (!existsSync(fnRoot)) return;
            for (const name of readdirSync(fnRoot)) if (exists(name)) get(name).then((e) => e.ready).catch(() => {});
        },
        stop() {
            for (const child of children) child.kill('SIGTERM');
        },
    };
}
