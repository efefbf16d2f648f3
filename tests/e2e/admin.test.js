// /admin: the list of coaches equals list_coaches() in SQL; the admin opens any coach's dashboard read-only (the
// same numbers as get_dashboard(coach_id) as the admin), never a blank page; creating a coach, errors in French;
// the magic link lands signed in on an empty dashboard that offers to set a password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { formatMoney, formatNumber } from '../../web/src/format.js';
import {
    ADMIN, APP_URL, COACHES, DESKTOP, db, openPage, periodDashboardInSql, setUp, signIn, signInToDashboard, sqlAs, tearDown, text,
} from './helpers.js';

before(setUp);
after(tearDown);

test('the admin lists the coaches and opens one\'s dashboard read-only', async (t) => {
    // a legacy coach row without an account, of this test's own: the seed's (Lucas) may have been invited already by
    // the API suite's create-coach test, which runs earlier against the same database
    const legacyEmail = `ancien-${process.pid}@example.com`;
    await db.query("insert into public.coachs (name, email) values ('Ancien Coach', $1)", [legacyEmail]);
    t.after(() => db.query('delete from public.coachs where email = $1', [legacyEmail]));
    const { context, page, problems } = await openPage(DESKTOP);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.waitForURL(`${APP_URL}/admin`);
    await page.waitForSelector('[data-testid=coach-list] [data-row]');
    const expected = await sqlAs(ADMIN.email, 'select coach_id::text, name, email, lead_count, account_state from public.list_coaches()');
    const shown = await page.locator('[data-testid=coach-list] [data-row]').evaluateAll((els) => els.map((e) => ({
        id: e.dataset.row,
        name: e.querySelector('[data-field=name]').textContent.trim(),
        email: e.querySelector('[data-field=email]').textContent.trim(),
        leads: e.querySelector('[data-field=leads]').textContent.trim(),
        state: e.querySelector('[data-field=state]').dataset.state,
        badge: e.querySelector('[data-field=state] span').textContent.trim(),
        activity: e.querySelector('[data-field=last-activity]').textContent.trim(),
    })));
    assert.deepEqual(shown.map(({ id, name, email, leads, state }) => ({ id, name, email, leads, state })),
        expected.map((c) => ({ id: c.coach_id, name: c.name, email: c.email, leads: formatNumber(c.lead_count), state: c.account_state })));
    const WORDS = { active: 'Actif', invited: 'Invité', no_data: 'Sans données', legacy: 'Sans compte' };
    for (const c of shown) assert.equal(c.badge, WORDS[c.state], `${c.email}: its state in French`);
    assert.ok(shown.every((c) => /^(dernière activité|jamais connecté|aucune donnée|ancien coach)/.test(c.activity)), 'details in French');
    // a legacy coach, without an account, is marked so
    assert.equal(shown.find((c) => c.email === legacyEmail).state, 'legacy');
    assert.equal(shown.find((c) => c.email === legacyEmail).activity, 'ancien coach : invitez-le avec son email (Créer un coach)');
    // the filter
    await page.fill('[data-testid=coach-filter]', 'sophie');
    assert.deepEqual(await page.locator('[data-testid=coach-list] [data-row] [data-field=name]').allInnerTexts(), ['Sophie Laurent']);
    await page.fill('[data-testid=coach-filter]', '');

    // Julie's dashboard from the list: read-only, her numbers
    const julie = expected.find((c) => c.email === COACHES[0]);
    await page.click(`[data-testid=coach-list] [data-row="${julie.coach_id}"] [data-testid=open-dashboard]`);
    await page.waitForURL(`${APP_URL}/dashboard?coach=${julie.coach_id}`);
    await page.waitForSelector('[data-section=performance]');
    const d = await periodDashboardInSql(ADMIN.email, '30d', julie.coach_id);
    assert.equal(await text(page, '[data-testid=coach-name]'), 'Julie Martin');
    assert.equal(await text(page, '[data-testid=read-only]'), 'Vue administrateur · lecture seule');
    assert.equal(await text(page, '[data-kpi="activity.new_leads"]'), formatNumber(d.activity.new_leads.value));
    assert.equal(await text(page, '[data-kpi="performance.revenue"]'), formatMoney(d.performance.revenue.value, d.coach.currency));
    // the period selector keeps the coach: 7 j of Julie, still read-only
    await page.click('[data-testid=period-selector] [data-period="7j"]');
    await page.waitForURL(`${APP_URL}/dashboard?coach=${julie.coach_id}&periode=7j`);
    const week = await periodDashboardInSql(ADMIN.email, '7d', julie.coach_id);
    await page.waitForFunction((n) => document.querySelector('[data-kpi="activity.new_leads"]')?.textContent === n
        && document.querySelector('main')?.getAttribute('aria-busy') === 'false', formatNumber(week.activity.new_leads.value));
    assert.equal(await text(page, '[data-testid=read-only]'), 'Vue administrateur · lecture seule');
    // and the admin opens the leads behind a count of that coach
    await page.click('[data-testid=headline] [data-drill="activity.new_leads"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=drilldown] [data-row]').length === n,
        Math.min(50, week.activity.new_leads.value));
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('[data-testid=settings-link]').count(), 0, 'no settings in the read-only view');
    assert.equal(await page.locator('[data-testid=set-password]').count(), 0);
    // back to the list
    await page.click('[data-testid=coach-list]');
    await page.waitForURL(`${APP_URL}/admin`);

    // the old dead end: "Tableau de bord" without a coach goes to the list, not to a blank page with a 500
    await page.goto(`${APP_URL}/dashboard`);
    await page.waitForURL(`${APP_URL}/admin`);
    // a coach id that does not exist: a French sentence, no blank page
    await page.goto(`${APP_URL}/dashboard?coach=00000000-0000-4000-8000-000000000000`);
    await page.waitForSelector('[data-testid=load-error]');
    assert.match(await text(page, '[data-testid=load-error]'), /Ce coach est introuvable/);
    // the unknown coach is the only failed request: get_dashboard, get_dashboard_version and get_alerts (asked
    // together) raise PT404, which PostgREST answers with 404 (not a server error), and Chromium logs each
    assert.deepEqual(problems.map((p) => p.replace(/POST \S+\/rest\/v1\//, 'POST /rest/v1/')).sort(), [
        'HTTP 404: POST /rest/v1/rpc/get_alerts',
        'HTTP 404: POST /rest/v1/rpc/get_dashboard',
        'HTTP 404: POST /rest/v1/rpc/get_dashboard_version',
        'console: Failed to load resource: the server responded with a status of 404 (Not Found)',
        'console: Failed to load resource: the server responded with a status of 404 (Not Found)',
        'console: Failed to load resource: the server responded with a status of 404 (Not Found)',
    ].sort());
    await context.close();
});

test('the admin creates a coach (errors in French); the magic link lands signed in on an empty dashboard', async () => {
    const { context, page, problems } = await openPage();
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.waitForURL(`${APP_URL}/admin`);
    assert.equal(await page.getAttribute('input[name=name]', 'maxlength'), '200', 'the name field stops at 200 characters');

    await page.click('form[data-testid=create-coach-form] button[type=submit]');
    assert.equal(await text(page, '[data-testid=admin-error]'), 'Remplissez l’email, le nom et la spécialité.');
    // an email that already has an account: the function's 409, in French
    await page.fill('input[name=email]', COACHES[0]);
    await page.fill('input[name=name]', 'Julie Bis');
    await page.fill('input[name=specialty]', 'yoga');
    await page.click('form[data-testid=create-coach-form] button[type=submit]');
    await page.waitForSelector('[data-testid=admin-error]');
    assert.equal(await text(page, '[data-testid=admin-error]'), 'Un compte existe déjà avec cet email.');
    // a malformed email, refused by the function (400, field email)
    await page.fill('input[name=email]', 'pas-un-email');
    await page.click('form[data-testid=create-coach-form] button[type=submit]');
    await page.waitForFunction(() => document.querySelector('[data-testid=admin-error]')?.textContent?.includes('email n’est pas valide'));

    const email = `e2e-${Date.now()}@example.com`;
    await page.fill('input[name=email]', email);
    await page.fill('input[name=name]', 'Coach E2E');
    await page.fill('input[name=specialty]', 'musculation');
    await page.click('form[data-testid=create-coach-form] button[type=submit]');
    const link = await page.locator('[data-testid=magic-link]').inputValue();
    assert.match(link, /^https?:\/\//);
    await page.waitForFunction((e) => [...document.querySelectorAll('[data-field=email]')].some((x) => x.textContent === e), email);
    // created, never signed in: invited
    const created = page.locator('[data-testid=coach-list] [data-row]', { has: page.locator(`[data-field=email]:text-is("${email}")`) });
    assert.equal(await created.locator('[data-field=state]').getAttribute('data-state'), 'invited');
    assert.equal((await created.locator('[data-field=state]').innerText()).replace(/\s+/g, ' '), 'Invité jamais connecté · aucune activité');
    assert.deepEqual(problems.filter((p) => !/409|400/.test(p)), [], 'only the expected 409 and 400');
    await context.close();

    const fresh = await openPage();
    await fresh.page.goto(link);
    await fresh.page.waitForURL(`${APP_URL}/dashboard`);
    await fresh.page.waitForSelector('[data-testid=empty-state]');
    assert.equal(await text(fresh.page, '[data-testid=coach-name]'), 'Coach E2E');
    assert.equal(await fresh.page.locator('[data-testid=set-password]').count(), 1, 'offers to set a password');
    await fresh.page.fill('[data-testid=set-password] input[type=password]', 'court');
    await fresh.page.click('[data-testid=set-password] button[type=submit]');
    assert.equal(await text(fresh.page, '#set-password-error'), 'Mot de passe trop court : 8 caractères minimum.');
    await fresh.page.fill('[data-testid=set-password] input[type=password]', 'new-coach-password-1');
    await fresh.page.click('[data-testid=set-password] button[type=submit]');
    await fresh.page.waitForSelector('[data-testid=toast]');
    assert.equal(await text(fresh.page, '[data-testid=toast]'), 'Mot de passe enregistré.');
    assert.deepEqual(fresh.problems, []);
    await fresh.context.close();

    const again = await openPage();
    await signInToDashboard(again.page, email, 'new-coach-password-1');
    assert.equal(await again.page.locator('[data-testid=empty-state]').count(), 1);
    assert.deepEqual(again.problems, []);
    await again.context.close();
});
