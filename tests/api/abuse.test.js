// Abuse the local stand-in must refuse the way GoTrue does, each on an API instance of its own (its own counters):
//   - the per-IP rate limits of supabase/config.toml [auth.rate_limit]: token_refresh on /token (password sign-in
//     included), token_verifications on /verify, each a bucket of 30 refilled at n / 5 min; past it 429
//     over_request_rate_limit, even for the right password or code; another IP is not affected. The instance of
//     those tests runs with GoTrue's GOTRUE_RATE_LIMIT_* set to 1 a 5 minutes, so that no token comes back while
//     they run, however slow the machine (at config.toml's 150, a bcrypt check of 2 s under load refilled one and
//     a request meant to be refused got through); the mapping of config.toml itself is checked on its own;
//   - password hashing does not run on the event loop: 20 concurrent wrong sign-ins cost the main thread a small
//     fraction of what hashing them there would.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createClient } from '@supabase/supabase-js';
import bcrypt from 'bcrypt';
import { fileURLToPath } from 'node:url';
import { authRateLimits, readSupabaseConfig } from '../../local-supabase/api/config.js';
import { createApi, listen } from '../../local-supabase/api/server.js';
import { ANON_KEY, COACH_PASSWORD, DATABASE_URL, SERVICE_ROLE_KEY, client as stackClient } from './helpers.js';

/** CPU time (user + system, ms) of this process's main thread, the one running the event loop (Linux). */
function mainThreadCpuMs() {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const freePort = () => new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address();
        srv.close(() => resolve(port));
    });
});

class NoRealtime {
    constructor() {
        throw new Error('realtime is not used by these tests');
    }
}

/** A fresh API instance on a free port: { url, api, server, close }. */
async function startApi(env = {}) {
    const port = await freePort();
    const api = await createApi({ ...process.env, API_PORT: String(port), DATABASE_URL, FUNCTIONS_WARM: '0', APP_URL: 'http://127.0.0.1:3000', ...env });
    const server = await listen(api);
    return { url: `http://127.0.0.1:${port}`, api, close: async () => { server.close(); await api.close(); } };
}

const supabaseAt = (url) => createClient(url, ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: NoRealtime },
});

/** curl from a given loopback address (another client IP): [status, body]. */
const curlFrom = (ip, args) => new Promise((resolve, reject) => {
    execFile('curl', ['-sS', '--interface', ip, '-o', '-', '-w', '\n%{http_code}', ...args], (error, stdout, stderr) => {
        if (error) return reject(new Error(`${error.message}\n${stderr}`));
        const cut = stdout.lastIndexOf('\n');
        resolve([Number(stdout.slice(cut + 1)), stdout.slice(0, cut)]);
    });
});

describe('rate limits of supabase/config.toml, per IP, as GoTrue answers them', () => {
    let stack;
    before(async () => {
        stack = await startApi({ GOTRUE_RATE_LIMIT_TOKEN_REFRESH: '1', GOTRUE_RATE_LIMIT_VERIFY: '1', GOTRUE_RATE_LIMIT_OTP: '1' });
    });

    test('the limits are config.toml\'s [auth.rate_limit], GoTrue\'s environment variables winning when set', () => {
        const toml = readSupabaseConfig(ROOT).auth.rate_limit;
        assert.deepEqual(authRateLimits(readSupabaseConfig(ROOT), {}),
            { token: toml.token_refresh, verify: toml.token_verifications, otp: toml.sign_in_sign_ups });
        assert.deepEqual(authRateLimits({}, {}), { token: 150, verify: 30, otp: 30 });
        assert.deepEqual(authRateLimits(readSupabaseConfig(ROOT), { GOTRUE_RATE_LIMIT_TOKEN_REFRESH: '1', GOTRUE_RATE_LIMIT_VERIFY: '2', GOTRUE_RATE_LIMIT_OTP: '3' }),
            { token: 1, verify: 2, otp: 3 });
    });
    after(() => stack.close());

    test('wrong passwords: 30 get 400, then 429 over_request_rate_limit, also for the right password; another IP still signs in', async () => {
        const supabase = supabaseAt(stack.url);
        const statuses = [];
        for (let i = 0; i < 40; i++) {
            const { error } = await supabase.auth.signInWithPassword({ email: 'julie@example.com', password: `wrong-${i}` });
            statuses.push(error.status);
            if (error.status === 429) {
                assert.equal(error.code, 'over_request_rate_limit');
                break;
            }
            assert.equal(error.code, 'invalid_credentials');
        }
        // a burst of 30 (refilled at 1 / 300 s here: nothing comes back while the test runs)
        assert.ok(statuses.length >= 31 && statuses.at(-1) === 429, `a 429 after the burst of 30: ${statuses.join(' ')}`);
        const right = await supabase.auth.signInWithPassword({ email: 'julie@example.com', password: COACH_PASSWORD });
        assert.equal(right.error?.status, 429, 'the right password is refused too while the limit holds');

        const [status, body] = await curlFrom('127.0.0.2', ['-X', 'POST', `${stack.url}/auth/v1/token?grant_type=password`,
            '-H', `apikey: ${ANON_KEY}`, '-H', 'Content-Type: application/json',
            '-d', JSON.stringify({ email: 'julie@example.com', password: COACH_PASSWORD })]);
        assert.equal(status, 200, `another client IP is not limited: ${body}`);
        const [limited, limitedBody] = await curlFrom('127.0.0.1', ['-i', '-X', 'POST', `${stack.url}/auth/v1/token?grant_type=password`,
            '-H', `apikey: ${ANON_KEY}`, '-d', '{}']);
        assert.equal(limited, 429);
        assert.match(limitedBody, /x-sb-error-code: over_request_rate_limit/i);
        assert.ok(limitedBody.endsWith('{"code":429,"error_code":"over_request_rate_limit","msg":"Request rate limit reached"}'), limitedBody);
    });

    test('wrong 6-digit codes on /verify: 429 after the burst, and the right code is refused as well', async () => {
        const email = 'karim@example.com';
        const admin = createClient(stack.url, SERVICE_ROLE_KEY, {
            auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: NoRealtime },
        }).auth.admin;
        const { data, error } = await admin.generateLink({ type: 'magiclink', email });
        assert.equal(error, null);
        const code = data.properties.email_otp;
        const supabase = supabaseAt(stack.url);
        const statuses = [];
        for (let i = 0; i < 40; i++) {
            const wrong = String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
            const r = await supabase.auth.verifyOtp({ email, token: wrong, type: 'email' });
            statuses.push(r.error.status);
            if (r.error.status === 429) {
                assert.equal(r.error.code, 'over_request_rate_limit');
                break;
            }
            assert.equal(r.error.status, 403);
        }
        assert.ok(statuses.length >= 31 && statuses.at(-1) === 429, `a 429 after the burst of 30: ${statuses.join(' ')}`);
        const right = await supabase.auth.verifyOtp({ email, token: code, type: 'email' });
        assert.equal(right.error?.status, 429, 'the right code is refused while the limit holds');
    });
});

describe('password hashing off the event loop', () => {
    let stack;
    before(async () => {
        stack = await startApi();
    });
    after(() => stack.close());

    test('20 concurrent wrong sign-ins cost the main thread a fraction of the CPU that hashing them on it would', async (t) => {
        // the cost of one bcrypt check of a stored hash (cost 10, as GoTrue's), on this thread
        const stored = bcrypt.hashSync('x', bcrypt.genSaltSync(10, 'a'));
        const t0 = performance.now();
        bcrypt.compareSync('y', stored);
        const oneHash = performance.now() - t0;

        const supabase = supabaseAt(stack.url);
        const signIns = (n) => Promise.all(Array.from({ length: n }, (_, i) =>
            supabase.auth.signInWithPassword({ email: 'sophie@example.com', password: `wrong-${i}` })));
        await signIns(2); // warm up: connections, compiled code
        const before = mainThreadCpuMs();
        const results = await signIns(20);
        const busy = mainThreadCpuMs() - before; // CPU time of this process's main thread (the API's event loop)
        t.diagnostic(`main thread CPU ${busy} ms for 20 sign-ins; one bcrypt check ${oneHash.toFixed(0)} ms`);
        assert.deepEqual([...new Set(results.map((r) => r.error?.code))], ['invalid_credentials']);
        // hashing on the event loop costs it >= 20 x oneHash; off it, the requests cost a few ms each
        assert.ok(busy < 5 * oneHash, `main thread CPU ${busy} ms for 20 sign-ins; one bcrypt check takes ${oneHash.toFixed(0)} ms`);
        // and the stack of npm test answers as usual meanwhile
        assert.equal((await stackClient().rpc('health')).data?.database, 'ok');
    });
});
