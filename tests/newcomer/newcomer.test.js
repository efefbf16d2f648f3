// The two README commands, as a newcomer runs them, from a copy of this repository in a folder only its owner may
// enter (mode 700, like /root, where CI's clone lives when it runs as root; PostgreSQL then runs as the `postgres`
// user, who cannot enter it):
//   1. `npm test` runs green there (a nested run: its own ports, and without this file, which would recurse);
//   2. `npm start` with ports that are not the defaults and an empty Deno cache (DENO_DIR): the set-up caches the
//      functions' dependencies (through the machine's CA settings), create-coach answers 201, the page is built for
//      that API port and signs in; its magic link email and a digest (npm run digest:send) land in the mail inbox;
//      Ctrl-C stops everything.
// Ports: CLONE_TEST_PORT_BASE (default 55600) and the next 17. Bounded: each command has a time limit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../../scripts/chromium.js';
import { LOCAL_SERVICE_ROLE_KEY } from '../../local-supabase/api/jwt.js';

const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const BASE = Number(process.env.CLONE_TEST_PORT_BASE ?? 55600);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// What this npm test exported for its own stack must not leak into the newcomer's commands. NODE_TEST_CONTEXT is
// node --test's own: inherited, it made every `node --test` of the nested npm test skip its files ("run() is being
// called recursively ... skipping running files") and pass without running anything.
const OUTER = ['NODE_TEST_CONTEXT', 'DB_DIR', 'DB_PORT', 'DB_NAME', 'DB_FAST', 'DATABASE_URL', 'API_URL', 'API_PORT', 'API_PID', 'APP_URL', 'WEB_DIST',
    'WEB_PORT', 'API_EXTERNAL_URL', 'SUPABASE_URL', 'SUPABASE_ANON_KEY', 'DENO_DIR', 'MAIL_WEB_PORT', 'MAIL_SMTP_PORT', 'SMTP_HOST',
    'SMTP_PORT', 'SMTP_USER', 'SMTP_PASS', 'SMTP_FROM', 'SMTP_SECURE'];
const newcomerEnv = (env) => ({ ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !OUTER.includes(k))), ...env });
const isRoot = process.getuid?.() === 0;

let home; // the mode-700 folder
let clone;

before(() => {
    home = mkdtempSync(join(tmpdir(), 'coach-700-')); // mkdtemp: mode 700
    assert.equal(statSync(home).mode & 0o777, 0o700);
    clone = join(home, 'coach-setter');
    mkdirSync(clone);
    // the repository's files as they are in this work tree (tracked and new ones, not the ignored ones)
    const files = execFileSync('git', ['-C', ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'buffer' });
    execFileSync('bash', ['-c', `tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C '${clone}'`], { cwd: ROOT, input: files });
    // node_modules as `npm ci` left it here (same lock file): linked, and marked as installed for ensure-deps
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    const installed = statSync(join(ROOT, 'node_modules/.package-lock.json')).mtime;
    utimesSync(join(clone, 'package-lock.json'), installed, new Date(installed.getTime() - 1000));
});

after(() => {
    for (const dir of ['.local/db']) {
        spawnSync('bash', [join(clone, 'scripts/db.sh'), 'destroy'], { env: { ...process.env, DB_DIR: join(clone, dir), DB_PORT: String(BASE + 10) } });
    }
    rmSync(home, { recursive: true, force: true });
});

/** Runs a command in the clone until it exits or the limit passes: { code, output }. */
function run(command, args, env, limitMs) {
    return new Promise((resolve) => {
        const child = spawn(command, args, { cwd: clone, env: newcomerEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        let output = '';
        child.stdout.on('data', (d) => { output += d; });
        child.stderr.on('data', (d) => { output += d; });
        const timer = setTimeout(() => {
            output += `\n[killed after ${limitMs / 1000} s]`;
            process.kill(-child.pid, 'SIGKILL');
        }, limitMs);
        child.on('exit', (code) => {
            clearTimeout(timer);
            resolve({ code, output });
        });
    });
}

test('npm test, from a clone in a mode-700 folder', { timeout: 25 * 60_000 }, async () => {
    const ports = {
        TEST_DB_PORT: BASE, TEST_API_PORT: BASE + 1, TEST_WEB_PORT: BASE + 2, GEN_TYPES_DB_PORT: BASE + 3,
        GEN_DOCS_DB_PORT: BASE + 4, WEB_NGINX_TEST_PORT: BASE + 5, BENCH_DB_PORT: BASE + 6, DOCS_API_PORT: BASE + 7, DRIFT_DB_PORT: BASE + 8,
        FIRST_LOAD_PORT_BASE: BASE + 13, // + 13 to + 15 (the database, API and page of tests/e2e/first-load.test.js)
    };
    const { code, output } = await run('npm', ['test'], { ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
        COACH_NESTED_TEST: '1' }, 20 * 60_000);
    assert.equal(code, 0, `npm test in ${clone} failed:\n${output.slice(-6000)}`);
    if (isRoot) assert.match(output, /data folder .* -> \/var\/tmp\/coach-setter-db\//, 'as root, the data folder is mapped where postgres can reach it');
});

const listening = (port) => new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
});

test('npm start with other ports and an empty Deno cache: create-coach 201, the page signs in against that API', { timeout: 10 * 60_000 }, async () => {
    const DB_PORT = BASE + 10;
    const API_PORT = BASE + 11;
    const WEB_PORT = BASE + 12;
    const MAIL_WEB_PORT = BASE + 16;
    const MAIL_SMTP_PORT = BASE + 17;
    const denoDir = join(home, 'deno-cache');
    mkdirSync(denoDir);
    const start = spawn('npm', ['start'], {
        cwd: clone,
        env: newcomerEnv({ DB_PORT: String(DB_PORT), API_PORT: String(API_PORT), WEB_PORT: String(WEB_PORT), DENO_DIR: denoDir,
            MAIL_WEB_PORT: String(MAIL_WEB_PORT), MAIL_SMTP_PORT: String(MAIL_SMTP_PORT) }),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
    });
    let output = '';
    start.stdout.on('data', (d) => { output += d; });
    start.stderr.on('data', (d) => { output += d; });
    let browser;
    try {
        const t0 = Date.now();
        while (!output.includes('Coach Setter is running')) {
            assert.equal(start.exitCode, null, `npm start exited:\n${output.slice(-4000)}`);
            assert.ok(Date.now() - t0 < 6 * 60_000, `npm start did not come up:\n${output.slice(-4000)}`);
            await sleep(250);
        }
        assert.match(output, new RegExp(`Dashboard +http://127\\.0\\.0\\.1:${WEB_PORT}`));
        assert.match(output, new RegExp(`API URL +http://127\\.0\\.0\\.1:${API_PORT}`));

        // the README's curl, against this API
        const newcomer = `newcomer-${Date.now()}@coach.fr`;
        const created = spawnSync('curl', ['-sS', '-w', '\n%{http_code}', '-X', 'POST', `http://127.0.0.1:${API_PORT}/functions/v1/create-coach`,
            '-H', `Authorization: Bearer ${LOCAL_SERVICE_ROLE_KEY}`, '-H', 'Content-Type: application/json',
            '-d', JSON.stringify({ email: newcomer, name: 'Nouveau Coach', specialty: 'fitness' })], { encoding: 'utf8' });
        const [body, status] = [created.stdout.slice(0, created.stdout.lastIndexOf('\n')), created.stdout.slice(created.stdout.lastIndexOf('\n') + 1)];
        assert.equal(status, '201', `create-coach: ${body}\n${output.slice(-3000)}`);
        assert.ok(existsSync(join(denoDir, 'npm')), 'the functions\' dependencies were cached in the empty DENO_DIR');

        // the mail inbox (MailDev): create-coach's magic link, then the digest sent by hand
        const inbox = async (to, subject) => {
            const t1 = Date.now();
            for (;;) {
                const res = await fetch(`http://127.0.0.1:${MAIL_WEB_PORT}/api/email`).then((r) => r.json()).catch(() => []);
                const found = (Array.isArray(res) ? res : res.emails ?? []).find((e) => e.to?.[0]?.address === to && subject.test(e.subject));
                if (found) return found;
                assert.ok(Date.now() - t1 < 30_000, `no email to ${to} matching ${subject} in the inbox`);
                await sleep(250);
            }
        };
        assert.match(output, new RegExp(`Mail inbox +http://127\\.0\\.0\\.1:${MAIL_WEB_PORT}`));
        const invite = await inbox(newcomer, /^Votre accès au tableau de bord/);
        assert.ok(invite.text.includes(JSON.parse(body).magic_link), 'the email carries the magic link');
        const digest = spawnSync('npm', ['run', '--silent', 'digest:send', '--', '--coach', 'c0000000-0000-4000-8000-000000000001'],
            { cwd: clone, env: newcomerEnv({ API_PORT: String(API_PORT) }), encoding: 'utf8' });
        assert.equal(digest.status, 0, digest.stdout + digest.stderr);
        // sent now, or already by pg_cron's send-digests job if a quarter hour passed since npm start
        assert.match(digest.stdout, /digest:send: [01] sent, [01] taken by another run, 0 failed/);
        const mail = await inbox('julie@example.com', /^Votre (semaine|journée) du /);
        const again = spawnSync('npm', ['run', '--silent', 'digest:send', '--', '--coach', 'c0000000-0000-4000-8000-000000000001'],
            { cwd: clone, env: newcomerEnv({ API_PORT: String(API_PORT) }), encoding: 'utf8' });
        assert.match(again.stdout, /0 sent, 0 taken by another run, 0 failed \(0 due\)/, 'the second run sends nothing');
        assert.match(mail.text, /VOS CHIFFRES[\s\S]*Nouveaux leads : /);

        // the page, built by npm start, signs in against this API and nothing else
        browser = await launchChromium();
        const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
        const apiCalls = [];
        page.on('request', (r) => { if (!r.url().startsWith(`http://127.0.0.1:${WEB_PORT}/`)) apiCalls.push(r.url()); });
        // the dashboard document answered (the page may first ask for a newer signature: a 404 it recovers from)
        const dashboard = page.waitForResponse((r) => r.url().endsWith('/rest/v1/rpc/get_dashboard') && r.status() === 200, { timeout: 30_000 });
        await page.goto(`http://127.0.0.1:${WEB_PORT}/login`);
        await page.fill('input[type=email]', 'julie@example.com');
        await page.fill('input[type=password]', 'coach-demo-2026');
        await page.click('button[type=submit]');
        await page.waitForURL(`http://127.0.0.1:${WEB_PORT}/dashboard`, { timeout: 30_000 });
        assert.equal((await dashboard).status(), 200);
        assert.ok(apiCalls.length > 0);
        assert.deepEqual(apiCalls.filter((u) => !u.startsWith(`http://127.0.0.1:${API_PORT}/`)), [], 'every call goes to this npm start\'s API');
    } finally {
        await browser?.close();
        const signal = (sig) => {
            try {
                process.kill(-start.pid, sig);
            } catch { /* already gone */ }
        };
        if (start.exitCode === null) signal('SIGINT'); // Ctrl-C
        const stopped = Date.now();
        while (start.exitCode === null && Date.now() - stopped < 30_000) await sleep(200);
        if (start.exitCode === null) signal('SIGKILL');
    }
    assert.match(output, /start: stopped/, output.slice(-2000));
    for (const port of [API_PORT, WEB_PORT, DB_PORT, MAIL_WEB_PORT, MAIL_SMTP_PORT]) {
        assert.equal(await listening(port), false, `nothing listens on ${port} after Ctrl-C`);
    }
});
