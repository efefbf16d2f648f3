// Shared by the browser tests (not a test file: node --test runs *.test.js only). The page in Debian's Chromium
// (playwright-core) against the local stack of npm test: the API stand-in at API_URL, the built page at APP_URL,
// the seeded test database at DATABASE_URL. Screenshots go to artifacts/ (git-ignored).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pg from 'pg';
import { launchChromium, signIn as signInAt } from '../../scripts/chromium.js';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const APP_URL = (process.env.APP_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:54322/postgres';
export const ARTIFACTS = join(ROOT, 'artifacts');
export const COACH_PASSWORD = 'coach-demo-2026';
export const COACHES = ['julie@example.com', 'karim@example.com', 'sophie@example.com'];
export const ADMIN = { email: 'admin@example.com', password: 'admin-demo-2026' };
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };
const PHONE_OPTIONS = { hasTouch: true, isMobile: true };

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

/** @type {import('playwright-core').Browser} */
let browser;
/** @type {pg.Client} */
export let db;

/** Starts the browser and the database client (call from before()). */
export async function setUp() {
    mkdirSync(ARTIFACTS, { recursive: true });
    db = new pg.Client({ connectionString: DATABASE_URL });
    await db.connect();
    browser = await launchChromium();
}

export async function tearDown() {
    await browser?.close();
    await db?.end();
}

/** The period document (get_dashboard with a period) as that user, of the caller or of coachId. */
export const periodDashboardInSql = async (email, period = '30d', coachId = null) =>
    (await sqlAs(email, 'select public.get_dashboard(coach_id => coalesce($2::uuid, auth.uid()), period => $1) as d', [period, coachId]))[0].d;

/** get_kpi_definitions() as that user. */
export const kpiDefinitionsInSql = async (email) => (await sqlAs(email, 'select public.get_kpi_definitions() as d'))[0].d;

/**
 * Every page of get_kpi_leads for a count over the days [start, end] (a document's period), as that user:
 * { pages: [{ rows, next, total }, ...] }, pageSize rows a page, following `next` as the page does.
 */
export async function kpiLeadsInSql(email, kpi, { start, end }, pageSize = 50, coachId = null) {
    const pages = [];
    let after = null;
    do {
        const [{ p }] = await sqlAs(email, `select public.get_kpi_leads(kpi => $1, coach_id => coalesce($2::uuid, auth.uid()),
            period => 'range', period_start => $3::date, period_end => $4::date, after => $5, page_size => $6) as p`,
        [kpi, coachId, start, end, after, pageSize]);
        pages.push(p);
        after = p.next;
    } while (after);
    return pages;
}

/**
 * A fresh context and page that record every console error, page error, failed request and HTTP error.
 * @param {{ width: number, height: number }} [viewport] @param {import('playwright-core').BrowserContextOptions} [options]
 */
export async function openPage(viewport = DESKTOP, options = {}) {
    const context = await browser.newContext({ viewport, ...(viewport.width < 600 ? PHONE_OPTIONS : {}), ...options });
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // ERR_ABORTED is the browser cancelling what a navigation made useless (a favicon when the next page loads)
    page.on('requestfailed', (r) => r.failure()?.errorText !== 'net::ERR_ABORTED' &&
        problems.push(`failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`));
    return { context, page, problems };
}

export const signIn = (page, email, password = COACH_PASSWORD) => signInAt(page, APP_URL, email, password);

/** Signs a coach in and waits for its dashboard (or empty state). */
export async function signInToDashboard(page, email, password = COACH_PASSWORD) {
    await signIn(page, email, password);
    await page.waitForURL(/\/dashboard/);
    await page.waitForSelector('[data-section=performance], [data-testid=empty-state]');
}

export const text = (page, selector) => page.locator(selector).first().innerText().then((t) => t.trim());

/** Runs SQL exactly as a user's JWT would through PostgREST (role authenticated + claims), rolled back. */
export async function sqlAs(email, sql, params = []) {
    const { rows: [user] } = await db.query('select id, raw_app_meta_data from auth.users where email = $1', [email]);
    assert.ok(user, `user ${email}`);
    await db.query('begin');
    try {
        await db.query("select set_config('request.jwt.claims', $1, true)", [
            JSON.stringify({ sub: user.id, role: 'authenticated', email, app_metadata: user.raw_app_meta_data ?? {} }),
        ]);
        await db.query('set local role authenticated');
        return (await db.query(sql, params)).rows;
    } finally {
        await db.query('rollback');
    }
}

/**
 * A coach account made in SQL for one test (auth user with a password, coach row), with `leads` leads that are
 * all to follow up (status new, created 10 days ago, never contacted); the KPI view is refreshed.
 */
export async function createCoachAccount(email, { leads = 0, name = 'Coach Test', password = COACH_PASSWORD } = {}) {
    const { rows: [{ id }] } = await db.query(
        `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data,
             raw_user_meta_data, created_at, updated_at, confirmation_token, recovery_token, email_change_token_new, email_change)
         values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1,
             extensions.crypt($2, extensions.gen_salt('bf', 4)), now(), '{"provider": "email", "providers": ["email"]}', '{}',
             now(), now(), '', '', '', '')
         returning id`, [email, password]);
    await db.query('insert into public.coachs (id, name, email) values ($1, $2, $3)', [id, name, email]);
    if (leads) {
        await db.query(
            `insert into public.leads (coach_id, user_id_instagram, instagram_username, first_name, status, created_at)
             select $1::uuid, 'ig_' || $1::uuid::text || '_' || i, 'suivi.' || lpad(i::text, 3, '0'), 'Lead ' || i, 'new', now() - interval '10 days' - i * interval '1 minute'
             from generate_series(1, $2) as i`, [id, leads]);
    }
    await settle();
    return id;
}

/**
 * Brings the KPIs up to date after a test wrote data, as pg_cron does within seconds: one upkeep pass per 2,000
 * queued leads until the queue is empty (private.kpi_upkeep: the facts, the follow-up list and the stored period
 * documents), then the legacy materialized view (get_dashboard() without a period, a projection of those facts).
 */
export async function settle() {
    for (;;) {
        const { rows: [{ u }] } = await db.query('select private.kpi_upkeep() as u');
        if (u.queued === 0) break;
    }
    // the legacy view reads the facts: refreshed after them
    await db.query('select public.refresh_dashboard_kpis()');
}

/** axe-core (pinned, injected into the page): the WCAG 2.x A/AA rules must report no violation. */
export async function axe(page, label) {
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(() => /** @type {any} */ (window).axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    }));
    const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    assert.deepEqual(violations, [], `${label}: axe-core violations`);
}

/**
 * The trend chart draws SQL's values: one path of bars per series (new leads, calls booked, revenue), a bar per bucket
 * of `trend.dates`, each as high as its value over the series' maximum (web/src/trend-chart.js: 40 units tall, 38 at most).
 * `unit` names the bucket in the messages ("day", "month").
 */
export async function assertTrendBars(page, trend, unit) {
    const bars = await page.locator('[data-testid=trend] [data-series]').evaluateAll((els) => els.map((e) => [e.dataset.series,
        [...e.querySelector('[data-testid=trend-bars]').getAttribute('d').matchAll(/M[\d.]+ 40V([\d.]+)h[\d.]+V40Z/g)].map((m) => 40 - Number(m[1]))]));
    assert.deepEqual(bars.map(([key]) => key), ['new_leads', 'calls_booked', 'revenue']);
    for (const [key, heights] of bars) {
        const values = trend[key];
        const max = Math.max(0, ...values);
        assert.equal(heights.length, trend.dates.length, `one bar per ${unit}: ${key}`);
        heights.forEach((got, i) => assert.ok(Math.abs(got - (max > 0 ? (values[i] / max) * 38 : 0)) < 0.01, `${key}[${i}]: ${got} for ${values[i]} of ${max}`));
    }
}

/** No horizontal scroll: the document is not wider than the viewport. */
export async function assertNoOverflow(page, label) {
    const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(scrollWidth <= innerWidth, `${label}: no horizontal scroll (${scrollWidth} > ${innerWidth})`);
}

export const screenshot = (page, name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
