// The API refuses to start with the public demo JWT secret of `supabase start` when others could reach it (a URL that
// is not loopback, or an interface other than loopback): anyone could sign a service_role token with that secret.
// ALLOW_DEMO_JWT_SECRET=1 starts it anyway with a loud warning; a secret of one's own starts it quietly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ANON_KEY, DATABASE_URL, ROOT, freePort, startApiProcess } from './helpers.js';

/** Runs server.js until it exits (or 10 s): { code, output }. */
async function runUntilExit(env) {
    const child = spawn(process.execPath, [join(ROOT, 'local-supabase/api/server.js')], {
        env: { ...process.env, DATABASE_URL, FUNCTIONS_WARM: '0', API_PORT: String(await freePort()), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill(), 10_000);
    const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    return { code, output };
}

for (const [what, env] of [
    ['APP_URL on a public host', { APP_URL: 'https://dashboard.example.com' }],
    ['API_EXTERNAL_URL on a public host', { API_EXTERNAL_URL: 'https://api.example.com' }],
    ['listening on every interface', { API_HOST: '0.0.0.0' }],
]) {
    test(`the demo JWT secret with ${what}: refuses to start, loudly`, async () => {
        const { code, output } = await runUntilExit(env);
        assert.equal(code, 1, output);
        assert.match(output, /PUBLIC demo JWT secret/);
        assert.match(output, /Set JWT_SECRET/);
        assert.doesNotMatch(output, /listening on/);
    });
}

test('ALLOW_DEMO_JWT_SECRET=1 starts it with the warning; a secret of its own starts it quietly with keys minted from it', async () => {
    const allowed = await startApiProcess({ APP_URL: 'https://dashboard.example.com', ALLOW_DEMO_JWT_SECRET: '1' });
    try {
        assert.match(allowed.log(), /PUBLIC demo JWT secret/);
    } finally {
        allowed.child.kill();
    }
    const own = await startApiProcess({ APP_URL: 'https://dashboard.example.com', JWT_SECRET: 'a-secret-of-our-own-of-at-least-32-characters' });
    try {
        assert.doesNotMatch(own.log(), /demo JWT secret/);
        const res = await fetch(`${own.url}/rest/v1/rpc/health`, { method: 'POST', headers: { apikey: ANON_KEY } });
        assert.equal(res.status, 401, 'the demo anon key is not a key of this API');
    } finally {
        own.child.kill();
    }
});
