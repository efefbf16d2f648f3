// Shared setup of the API suites: they talk to a running local stack (local-supabase/api/server.js) through supabase-js,
// the client the page and the edge function use. scripts/test.sh starts the stack and sets API_URL/DATABASE_URL.
import { createClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { LOCAL_ANON_KEY, LOCAL_JWT_SECRET, LOCAL_SERVICE_ROLE_KEY } from '../../local-supabase/api/jwt.js';

export const API_URL = process.env.API_URL ?? 'http://127.0.0.1:54331';
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:54332/postgres';
export const APP_URL = process.env.APP_URL ?? 'http://127.0.0.1:3000';
export const ANON_KEY = process.env.ANON_KEY ?? LOCAL_ANON_KEY;
export const SERVICE_ROLE_KEY = process.env.SERVICE_ROLE_KEY ?? LOCAL_SERVICE_ROLE_KEY;
export const JWT_SECRET = process.env.JWT_SECRET ?? LOCAL_JWT_SECRET;

export const COACH_PASSWORD = 'coach-demo-2026';
export const ADMIN = { email: 'admin@example.com', password: 'admin-demo-2026' };
export const JULIE_ID = 'c0000000-0000-4000-8000-000000000001';
export const KARIM_ID = 'c0000000-0000-4000-8000-000000000002';
export const LUCAS_ID = 'c0000000-0000-4000-8000-000000000004';

// Node 20 has no global WebSocket and realtime-js wants one at construction; these suites never open a channel.
class NoRealtime {
    constructor() {
        throw new Error('realtime is not used by these tests');
    }
}

/** A supabase-js client with the given API key and no persisted session. */
export function client(key = ANON_KEY) {
    return createClient(API_URL, key, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
        realtime: { transport: NoRealtime },
    });
}

/** A client signed in with email and password. */
export async function signedIn(email, password = COACH_PASSWORD) {
    const c = client();
    const { data, error } = await c.auth.signInWithPassword({ email, password });
    if (error) throw error;
    return { client: c, session: data.session };
}

/** A client whose requests carry the given access token (what the page does after sign-in). */
export function withToken(token) {
    return createClient(API_URL, ANON_KEY, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
        global: { headers: { Authorization: `Bearer ${token}` } },
        realtime: { transport: NoRealtime },
    });
}

export const sign = (claims, secret = JWT_SECRET) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));

/** Follows a magic link like a browser: returns the 303 Location and the fragment's parameters. */
export async function followLink(link) {
    const res = await fetch(link, { redirect: 'manual' });
    const location = res.headers.get('location') ?? '';
    const hash = location.includes('#') ? location.slice(location.indexOf('#') + 1) : '';
    return { status: res.status, location, params: Object.fromEntries(new URLSearchParams(hash)) };
}

/** POST /functions/v1/create-coach with a bearer token (curl's request); body as given (object or raw string). */
export async function callCreateCoach(token, body, init = {}) {
    const res = await fetch(`${API_URL}/functions/v1/create-coach`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        ...init,
    });
    const text = await res.text();
    let json = null;
    try {
        json = JSON.parse(text);
    } catch { /* not JSON */ }
    return { status: res.status, body: json, text, headers: res.headers };
}

/** A pool on the test database as postgres, to check what the API wrote. */
export const db = () => new pg.Pool({ connectionString: DATABASE_URL, max: 2 });

export const unique = (prefix) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.org`;

export const ROOT = new URL('../..', import.meta.url).pathname;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A TCP port free right now on 127.0.0.1. */
export const freePort = () => new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address();
        srv.close(() => resolve(port));
    });
});

/**
 * Starts local-supabase/api/server.js as a process of its own over the test database (a stack of the test's own, to
 * restart, kill or configure); resolves with { child, url, port, log() } once /health answers.
 */
export async function startApiProcess(env = {}) {
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, 'local-supabase/api/server.js')], {
        env: { ...process.env, API_PORT: String(port), DATABASE_URL, APP_URL, FUNCTIONS_WARM: '0', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => { log += d; });
    child.stderr.on('data', (d) => { log += d; });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
        if (child.exitCode !== null) throw new Error(`the API exited: ${log}`);
        try {
            if ((await fetch(`${url}/health`)).ok) return { child, url, port, log: () => log };
        } catch { /* not yet */ }
        await sleep(100);
    }
    child.kill();
    throw new Error(`the API did not start: ${log}`);
}
