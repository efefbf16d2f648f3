// The page in a real browser (Debian's chromium driven by playwright-core) against the local stack of npm test:
// the API stand-in at API_URL (auth, rpc, functions), the built page at APP_URL (built with SUPABASE_URL=API_URL),
// the seeded test database at DATABASE_URL. Screenshots go to artifacts/ (git-ignored).
//   - each seeded coach signs in and sees their own numbers, equal to get_dashboard run in SQL as that coach;
//     a coach's page shows none of another coach's leads;
//   - wrong password, sign-out, redirects without a session, a coach kept out of /admin;
//   - the admin creates a coach, the magic link opened in a fresh context lands signed in on an empty dashboard
//     offering to set a password; the function's errors are shown as they come;
//   - no console error and no failed request on any page; a phone-size dashboard has no horizontal scroll.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
import {
    formatMinutes, formatMoney, formatNumber, formatPercent, formatRate,
} from '../../web/src/format.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const APP_URL = (process.env.APP_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:54322/postgres';
const ARTIFACTS = join(ROOT, 'artifacts');
const COACH_PASSWORD = 'coach-demo-2026';
const COACHES = ['julie@example.com', 'karim@example.com', 'sophie@example.com'];
const ADMIN = { email: 'admin@example.com', password: 'admin-demo-2026' };

let browser;
let db;

before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    db = new pg.Client({ connectionString: DATABASE_URL });
    await db.connect();
    browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
});

after(async () => {
    await browser?.close();
    await db?.end();
});

/** get_dashboard exactly as the coach's JWT would run it through PostgREST (role authenticated + claims). */
async function dashboardInSql(email) {
    const { rows: [user] } = await db.query('select id, raw_app_meta_data from auth.users where email = $1', [email]);
    assert.ok(user, `seeded user ${email}`);
    await db.query('begin');
    try {
        await db.query("select set_config('request.jwt.claims', $1, true)", [
            JSON.stringify({ sub: user.id, role: 'authenticated', email, app_metadata: user.raw_app_meta_data ?? {} }),
        ]);
        await db.query('set local role authenticated');
        const { rows } = await db.query('select public.get_dashboard() as d');
        return rows[0].d;
    } finally {
        await db.query('rollback');
    }
}

/** A fresh context and page that record every console error, page error, failed request and HTTP error. */
async function openPage(viewport = { width: 1280, height: 900 }, options = {}) {
    const context = await browser.newContext({ viewport, ...options });
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

async function signIn(page, email, password) {
    await page.goto(`${APP_URL}/login`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await page.click('form[data-testid=login-form] button[type=submit]');
}

async function signInToDashboard(page, email) {
    await signIn(page, email, COACH_PASSWORD);
    await page.waitForURL(`${APP_URL}/dashboard`);
    await page.waitForSelector('[data-section=performance], [data-testid=empty-state]');
}

const text = (page, selector) => page.locator(selector).first().innerText().then((t) => t.trim());

test('each seeded coach sees their own numbers, equal to get_dashboard in SQL, and no other coach\'s leads', async () => {
    const { rows: leads } = await db.query(
        'select l.id::text, l.instagram_username, u.email from public.leads l join auth.users u on u.id = l.coach_id where u.email = any($1)',
        [COACHES],
    );
    for (const email of COACHES) {
        const d = await dashboardInSql(email);
        assert.equal(d.has_leads, true, `${email} has seeded leads`);
        const { context, page, problems } = await openPage();
        await signInToDashboard(page, email);

        assert.equal(await text(page, '[data-testid=coach-name]'), d.coach.name);
        assert.match(await text(page, '[data-testid=last-updated]'), /^Mis à jour /);
        const sections = await page.locator('section[data-section]').evaluateAll((els) => els.map((e) => e.dataset.section));
        assert.deepEqual(sections, ['activity', 'reply_rates', 'qualification', 'demographics', 'pipeline', 'performance']);

        const cur = d.coach.currency;
        const expected = {
            'activity.messages_sent': formatNumber(d.activity.messages_sent),
            'activity.messages_received': formatNumber(d.activity.messages_received),
            'activity.total_leads': formatNumber(d.activity.total_leads),
            'activity.leads_today': formatNumber(d.activity.leads_today),
            'activity.leads_week': formatNumber(d.activity.leads_week),
            'activity.avg_messages_per_lead': formatNumber(d.activity.avg_messages_per_lead, 1),
            'activity.avg_time_to_action_minutes': formatMinutes(d.activity.avg_time_to_action_minutes),
            ...Object.fromEntries(d.reply_rates.map((r) => [`reply_rates.${r.message_number}.value`, formatRate(r.rate)])),
            'qualification.qualified_leads': formatNumber(d.qualification.qualified_leads),
            'qualification.qualification_rate': formatRate(d.qualification.qualification_rate),
            'qualification.lead_magnets_sent': formatNumber(d.qualification.lead_magnets_sent),
            'qualification.emails_captured': formatNumber(d.qualification.emails_captured),
            'qualification.calls_booked': formatNumber(d.qualification.calls_booked),
            'qualification.call_booking_rate': formatRate(d.qualification.call_booking_rate),
            'qualification.call_conversion_rate': formatRate(d.qualification.call_conversion_rate),
            'demographics.men': formatRate(d.demographics.men),
            'demographics.women': formatRate(d.demographics.women),
            'demographics.other': formatRate(d.demographics.other),
            'pipeline.new_leads': formatNumber(d.pipeline.new_leads),
            'pipeline.won_leads': formatNumber(d.pipeline.won_leads),
            'pipeline.lost_leads': formatNumber(d.pipeline.lost_leads),
            'pipeline.lost_rate': formatRate(d.pipeline.lost_rate),
            'pipeline.leads_to_follow_up': formatNumber(d.pipeline.leads_to_follow_up),
            'pipeline.follow_up_rate': formatRate(d.pipeline.follow_up_rate),
            'performance.roi': formatRate(d.performance.roi),
            'performance.revenue': formatMoney(d.performance.revenue, cur),
            'performance.setter_cost': formatMoney(d.performance.setter_cost, cur),
            'performance.deals_closed': formatNumber(d.performance.deals_closed),
            'performance.acquisition_cost': formatMoney(d.performance.acquisition_cost, cur),
            'performance.ai_efficiency': formatRate(d.performance.ai_efficiency),
            'performance.speed_to_lead': formatMinutes(d.performance.speed_to_lead.median_minutes),
        };
        for (const [kpi, value] of Object.entries(expected)) {
            assert.equal(await text(page, `[data-kpi="${kpi}"]`), value, `${email}: ${kpi}`);
        }
        // estimated values say so
        if (d.qualification.no_show_rate.estimated) assert.ok(await page.locator('[data-section=qualification] [data-testid=estimated]').count());
        assert.ok(await page.locator('[data-testid="card-performance.time_saved"] [data-testid=estimated]').count());

        // ranked lists: same labels, counts and percentages, same order
        for (const [kpi, items] of [['activity.top_sources', d.activity.top_sources], ['demographics.top_professions', d.demographics.top_professions]]) {
            const rows = await page.locator(`[data-list="${kpi}"] [data-row]`).evaluateAll((els) =>
                els.map((e) => [e.dataset.row, e.querySelector('[data-field=count]').textContent.trim(), e.querySelector('[data-field=percentage]').textContent.trim()]));
            assert.deepEqual(rows, items.map((i) => [i.label, formatNumber(i.lead_count), formatPercent(i.percentage)]), `${email}: ${kpi}`);
        }
        const funnel = await page.locator('[data-list="qualification.funnel"] [data-row]').evaluateAll((els) =>
            els.map((e) => [e.dataset.row, e.querySelector('[data-field=count]').textContent.trim()]));
        assert.deepEqual(funnel, d.qualification.funnel.map((s) => [s.step, formatNumber(s.count)]));

        // the follow-up list: exactly the RPC's leads, in its order, with their days and priority
        const toggle = page.locator('[data-testid=follow-up-toggle]');
        if (await toggle.count()) await toggle.click();
        const followUp = await page.locator('[data-list="pipeline.follow_up"] [data-row]').evaluateAll((els) =>
            els.map((e) => [e.dataset.row, e.querySelector('[data-field=days]').textContent.trim(), e.querySelector('[data-testid=priority]').textContent.trim()]));
        const PRIORITY = { high: 'haute', medium: 'moyenne', low: 'basse' };
        assert.deepEqual(followUp, d.pipeline.follow_up.map((l) => [l.lead_id, `${formatNumber(l.days_without_contact)} j sans contact`, PRIORITY[l.priority]]));

        // isolation: every lead on the page is this coach's; no other coach's lead id or (unshared) username shows
        const own = new Set(leads.filter((l) => l.email === email).map((l) => l.id));
        for (const [id] of followUp) assert.ok(own.has(id), `${email} sees only their own leads (${id})`);
        const ownNames = new Set(leads.filter((l) => l.email === email).map((l) => l.instagram_username));
        const html = await page.content();
        for (const other of leads.filter((l) => l.email !== email)) {
            assert.ok(!html.includes(other.id), `${email} never sees lead ${other.id} of ${other.email}`);
            if (other.instagram_username && !ownNames.has(other.instagram_username)) {
                assert.ok(!html.includes(`@${other.instagram_username}<`), `${email} never sees @${other.instagram_username} of ${other.email}`);
            }
        }

        // a definition from the SQL glossary opens on hover and on tap
        const hint = page.locator('[data-testid="card-activity.total_leads"] button[aria-label^="Définition"]');
        if (d.definitions['activity.total_leads']) {
            await hint.hover();
            assert.match(await text(page, '[data-testid="card-activity.total_leads"] [data-testid=definition]'), new RegExp(d.definitions['activity.total_leads'].label));
        }

        if (email === COACHES[0]) {
            await page.screenshot({ path: join(ARTIFACTS, 'dashboard-desktop.png'), fullPage: true });
        }
        assert.deepEqual(problems, [], `${email}: no console error or failed request`);
        await context.close();
    }
});

test('phone size: the dashboard has no horizontal scroll; definitions open on tap', async () => {
    const { context, page, problems } = await openPage({ width: 375, height: 812 }, { hasTouch: true, isMobile: true });
    await signInToDashboard(page, COACHES[0]);
    const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(scrollWidth <= innerWidth, `no horizontal scroll (${scrollWidth} > ${innerWidth})`);
    const hints = page.locator('button[aria-label^="Définition"]');
    if (await hints.count()) {
        await hints.first().tap();
        await page.waitForSelector('[data-testid=definition]');
        const [sw] = await page.evaluate(() => [document.documentElement.scrollWidth]);
        assert.ok(sw <= innerWidth, 'an open definition does not overflow either');
        await hints.first().tap();
        assert.equal(await page.locator('[data-testid=definition]').count(), 0, 'a second tap closes it');
    }
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-phone.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
});

test('a wrong password shows the error and stays on /login', async () => {
    const { context, page, problems } = await openPage();
    await signIn(page, COACHES[0], 'not-the-password');
    assert.equal(await text(page, '[data-testid=login-error]'), 'Email ou mot de passe incorrect.');
    assert.equal(new URL(page.url()).pathname, '/login');
    // the only error is the refused sign-in itself (400 from /auth/v1/token, which Chromium also logs)
    assert.deepEqual(problems.filter((p) => !/auth\/v1\/token|status of 400/.test(p)), []);
    assert.ok(problems.some((p) => /HTTP 400: POST .*\/auth\/v1\/token/.test(p)));
    await context.close();
});

test('without a session, / /dashboard and /admin go to /login; sign-out returns there; a coach is kept out of /admin', async () => {
    const { context, page, problems } = await openPage();
    for (const path of ['/', '/dashboard', '/admin']) {
        await page.goto(`${APP_URL}${path}`);
        await page.waitForURL(`${APP_URL}/login`);
    }
    await signInToDashboard(page, COACHES[1]);
    await page.goto(`${APP_URL}/admin`);
    await page.waitForURL(`${APP_URL}/dashboard`);
    await page.waitForSelector('[data-section=performance]');
    await page.click('[data-testid=sign-out]');
    await page.waitForURL(`${APP_URL}/login`);
    await page.goto(`${APP_URL}/dashboard`);
    await page.waitForURL(`${APP_URL}/login`);
    assert.deepEqual(problems, []);
    await context.close();
});

test('/health is public and shows what health() returns', async () => {
    const { context, page, problems } = await openPage();
    // loaded directly, as a person or a health check would: 200 and the page
    const response = await page.goto(`${APP_URL}/health`);
    assert.equal(response?.status(), 200);
    await page.waitForSelector('[data-testid=health-data]');
    assert.equal(await text(page, '[data-testid=health-status]'), 'OK');
    const { rows: [{ h }] } = await db.query('select public.health() as h');
    for (const key of Object.keys(h)) assert.ok((await text(page, '[data-testid=health-data]')).includes(key), key);
    assert.deepEqual(problems, []);
    await context.close();
});

test('the admin creates a coach; the magic link lands signed in on an empty dashboard; function errors are shown', async () => {
    const { context, page, problems } = await openPage();
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.waitForURL(`${APP_URL}/admin`);

    // an email that already has an account: the function's 409, shown as it came
    await page.fill('input[name=email]', COACHES[0]);
    await page.fill('input[name=name]', 'Julie Bis');
    await page.fill('input[name=specialty]', 'yoga');
    await page.click('form[data-testid=create-coach-form] button[type=submit]');
    assert.match(await text(page, '[data-testid=admin-error]'), /^Erreur 409 : /);

    const email = `e2e-${Date.now()}@example.com`;
    await page.fill('input[name=email]', email);
    await page.fill('input[name=name]', 'Coach E2E');
    await page.fill('input[name=specialty]', 'musculation');
    await page.click('form[data-testid=create-coach-form] button[type=submit]');
    const link = await page.locator('[data-testid=magic-link]').inputValue();
    assert.match(link, /^https?:\/\//);
    assert.deepEqual(problems.filter((p) => !/409/.test(p)), [], 'only the expected 409');
    await context.close();

    const fresh = await openPage();
    await fresh.page.goto(link);
    await fresh.page.waitForURL(`${APP_URL}/dashboard`);
    await fresh.page.waitForSelector('[data-testid=empty-state]');
    assert.equal(await text(fresh.page, '[data-testid=coach-name]'), 'Coach E2E');
    assert.equal(await fresh.page.locator('[data-testid=set-password]').count(), 1, 'offers to set a password');
    await fresh.page.fill('[data-testid=set-password] input[type=password]', 'new-coach-password-1');
    await fresh.page.click('[data-testid=set-password] button[type=submit]');
    await fresh.page.waitForSelector('[data-testid=toast]');
    assert.equal(await text(fresh.page, '[data-testid=toast]'), 'Mot de passe enregistré.');
    assert.deepEqual(fresh.problems, []);
    await fresh.context.close();

    // the password works
    const again = await openPage();
    await signIn(again.page, email, 'new-coach-password-1');
    await again.page.waitForURL(`${APP_URL}/dashboard`);
    await again.page.waitForSelector('[data-testid=empty-state]');
    assert.deepEqual(again.problems, []);
    await again.context.close();
});
