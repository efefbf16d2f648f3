// The first minute after a fresh start (issue #18): a new cluster seeded the way `npm start` and `npm run db:reset`
// seed it (scripts/db.sh seed), the API just started, and a coach signs in at once. The headline tiles must show the
// seeded numbers in under 2 s, 5 runs out of 5: no "Mise à jour…" until the next full minute (the stuck first load
// the issue measured at 60 s), no "préparation des chiffres".
//
// Its own stack on FIRST_LOAD_PORT_BASE (default 54420: the database, +1 the API, +2 the page), not npm test's: each
// run starts a copy of one freshly migrated cluster (byte for byte what `supabase db push` leaves), seeds it, starts
// the API, signs in, then stops and removes both. The time is measured in the page, from the sign-in form's submit
// to the first tile's number in the DOM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { launchChromium } from '../../scripts/chromium.js';
import { COACH_PASSWORD, ROOT } from './helpers.js';

const BASE = Number(process.env.FIRST_LOAD_PORT_BASE ?? 54420);
const DB_PORT = BASE;
const API_PORT = BASE + 1;
const WEB_PORT = BASE + 2;
const APP_URL = `http://127.0.0.1:${WEB_PORT}`;
const API_URL = `http://127.0.0.1:${API_PORT}`;
const DATABASE_URL = `postgresql://postgres@127.0.0.1:${DB_PORT}/postgres`;
const WORK = join(ROOT, '.local', `first-load-${process.pid}`);
const TEMPLATE = join(WORK, 'template-db');
const DIST = join(WORK, 'web');
const RUNS = 5;
const TARGET_MS = 2000;

/**
 * A run's time budget: 2 s on a machine with room (load per core under 1.5, the 1-minute load average when the run
 * starts); on a machine loaded beyond that (npm test beside other work: every step of the run, bcrypt in the sign-in,
 * PostgreSQL, the API and Chromium's render, waits for a core), 2 s times the load per core, said in the test's
 * output. A first load that waits for the upkeep (the 60 s the issue measured), or asks again, fails either way.
 */
function budget() {
    const perCore = loadavg()[0] / availableParallelism();
    return { perCore, ms: perCore < 1.5 ? TARGET_MS : Math.round(TARGET_MS * perCore) };
}

/** Runs scripts/db.sh on a cluster folder; throws with its output on failure. */
const db = (dir, ...args) => {
    const r = spawnSync('bash', [join(ROOT, 'scripts/db.sh'), ...args], {
        cwd: ROOT, encoding: 'utf8', env: { ...process.env, DB_DIR: dir, DB_PORT: String(DB_PORT), DB_NAME: 'postgres', DB_FAST: '1' },
    });
    assert.equal(r.status, 0, `scripts/db.sh ${args.join(' ')}: ${r.stdout}${r.stderr}`);
};

/**
 * A copy of the stopped template cluster (the same files, so the same freshly migrated database). As root the data
 * can live under /var/tmp behind a link (scripts/db.sh): the copy then does too.
 */
function copyTemplate(dir) {
    const link = lstatSync(TEMPLATE).isSymbolicLink();
    const real = link ? readlinkSync(TEMPLATE) : TEMPLATE;
    const target = link ? `${real}-${dir.split('/').pop()}` : dir;
    const r = spawnSync('cp', ['-a', real, target]);
    assert.equal(r.status, 0, `cp: ${r.stderr}`);
    if (link) symlinkSync(target, dir);
}

/** Starts something in the background with its output kept; resolves once `ready()` holds. */
async function startServer(args, env, ready, what) {
    let output = '';
    const child = spawn('node', args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const t0 = Date.now();
    while (!(await ready())) {
        assert.equal(child.exitCode, null, `${what} exited:\n${output}`);
        assert.ok(Date.now() - t0 < 20_000, `${what} did not start:\n${output}`);
        await sleep(50);
    }
    return { child, output: () => output };
}

const answers = (url) => fetch(url).then((r) => r.ok, () => false);

async function stop(child) {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
}

/** Records, in the page, when the sign-in form is submitted and when the first tile's number enters the DOM. */
const MEASURE = () => {
    const w = /** @type {any} */ (window);
    w.firstLoad = { submitAt: null, tilesAt: null, preparing: false, steps: [] };
    const step = (/** @type {string} */ what, /** @type {number} */ at = performance.now(), /** @type {number} */ ms = 0) =>
        w.firstLoad.steps.push([what, at, ms]);
    document.addEventListener('submit', () => { w.firstLoad.submitAt ??= performance.now(); }, true);
    // where the time goes, for the report: each API call (start and end) and each long task of the main thread
    const fetch0 = window.fetch;
    window.fetch = async (input, init) => {
        const what = String(input instanceof Request ? input.url : input).replace(/^.*\/(auth|rest)\/v1\//, '').split('?')[0];
        const t0 = performance.now();
        try {
            return await fetch0(input, init);
        } finally {
            step(what, t0, performance.now() - t0);
        }
    };
    new PerformanceObserver((l) => l.getEntries().forEach((e) => step('long task', e.startTime, e.duration))).observe({ type: 'longtask' });
    new MutationObserver(() => {
        if (document.querySelector('[data-testid=preparing]')) w.firstLoad.preparing = true;
        if (w.firstLoad.tilesAt == null && document.querySelector('[data-testid=headline] [data-kpi="activity.new_leads"]')) {
            w.firstLoad.tilesAt = performance.now();
        }
    }).observe(document, { subtree: true, childList: true, characterData: true });
};

/** @type {import('playwright-core').Browser} */
let browser;
let web;

before(async () => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    db(TEMPLATE, 'start');
    db(TEMPLATE, 'migrate');
    db(TEMPLATE, 'stop');
    const build = spawnSync('node', [join(ROOT, 'scripts/build-web.mjs')], {
        cwd: ROOT, encoding: 'utf8', env: { ...process.env, SUPABASE_URL: API_URL, WEB_DIST: DIST },
    });
    assert.equal(build.status, 0, `build: ${build.stdout}${build.stderr}`);
    web = await startServer([join(ROOT, 'local-supabase/web-server.js')], { WEB_PORT: String(WEB_PORT), WEB_DIST: DIST },
        () => answers(`${APP_URL}/login`), 'the page server');
    browser = await launchChromium();
});

after(async () => {
    await browser?.close();
    await stop(web?.child);
    if (existsSync(TEMPLATE)) db(TEMPLATE, 'destroy');
    rmSync(WORK, { recursive: true, force: true });
});

/** Julie's 30-day document as she reads it (role authenticated with her claims), to check the tile's number. */
async function newLeadsInSql() {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
        await client.query('begin');
        await client.query(`select set_config('request.jwt.claims', json_build_object('sub', id, 'role', 'authenticated')::text, true)
            from auth.users where email = 'julie@example.com'`);
        await client.query('set local role authenticated');
        const { rows: [{ d }] } = await client.query(`select public.get_dashboard(period => '30d') as d`);
        await client.query('rollback');
        return d.activity.new_leads.value;
    } finally {
        await client.end();
    }
}

test(`after a fresh database and API start, sign-in → tiles < ${TARGET_MS} ms, ${RUNS} runs out of ${RUNS}`, { timeout: 10 * 60_000 }, async (t) => {
    const times = [];
    const budgets = [];
    for (let run = 1; run <= RUNS; run++) {
        const dir = join(WORK, `run-${run}-db`);
        copyTemplate(dir);
        let api;
        try {
            db(dir, 'start');
            db(dir, 'seed');
            api = await startServer([join(ROOT, 'local-supabase/api/server.js')],
                { DATABASE_URL, API_PORT: String(API_PORT), APP_URL, API_EXTERNAL_URL: API_URL },
                () => answers(`${API_URL}/health`), 'the API');

            const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
            const page = await context.newPage();
            const errors = [];
            page.on('pageerror', (e) => errors.push(e.message));
            await page.addInitScript(MEASURE);
            await page.goto(`${APP_URL}/login`);
            const b = budget();
            budgets.push(b.ms);
            if (b.ms > TARGET_MS) t.diagnostic(`run ${run}: load ${b.perCore.toFixed(1)} per core: budget ${b.ms} ms`);
            await page.fill('input[name=email]', 'julie@example.com');
            await page.fill('input[name=password]', COACH_PASSWORD);
            await page.click('form[data-testid=login-form] button[type=submit]');
            await page.waitForFunction(() => /** @type {any} */ (window).firstLoad.tilesAt != null, null, { timeout: 20_000 })
                .catch(async (e) => {
                    throw new Error(`run ${run}: no tiles after 20 s; the page says: ${(await page.innerText('body')).slice(0, 400)}\n${e.message}`);
                });
            const m = await page.evaluate(() => /** @type {any} */ (window).firstLoad);
            const ms = Math.round(m.tilesAt - m.submitAt);
            times.push(ms);
            t.diagnostic(`run ${run}: ${ms} ms: ${m.steps.filter(([, at]) => at >= m.submitAt && at <= m.tilesAt)
                .map(([what, at, d]) => `${what} at ${Math.round(at - m.submitAt)} for ${Math.round(d)} ms`).join('; ')}`);
            assert.deepEqual(errors, [], `run ${run}: no page error`);
            assert.equal(m.preparing, false, `run ${run}: the seeded numbers, never "préparation des chiffres"`);
            // the tiles come from the first document asked for: no retry, no wait for the upkeep
            assert.equal(m.steps.filter(([what, at]) => what === 'rpc/get_dashboard' && at <= m.tilesAt).length, 1,
                `run ${run}: one get_dashboard before the tiles`);
            const shown = await page.innerText('[data-testid=headline] [data-kpi="activity.new_leads"]');
            assert.equal(shown.trim(), String(await newLeadsInSql()), `run ${run}: the tile shows the seeded number`);
            await context.close();
        } finally {
            await stop(api?.child);
            db(dir, 'destroy');
        }
    }
    t.diagnostic(`sign-in → tiles (ms): ${times.join(', ')}`);
    console.log(`first load: sign-in → tiles (ms): ${times.join(', ')}`);
    for (const [i, ms] of times.entries()) {
        assert.ok(ms < budgets[i], `run ${i + 1}: ${ms} ms (budget ${budgets[i]} ms, target ${TARGET_MS} ms); all: ${times.join(', ')}`);
    }
});
