// A new coach's first screen (issue #18): no lead yet, so a checklist of what to do, each step checking itself from
// the data as it arrives on the open page — connect n8n (the coach id with a copy button, the guide and the workflow
// served with the page), give the setter's cost, receive a first lead — and never the stale "toutes les 5 minutes".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LOCAL_SERVICE_ROLE_KEY } from '../../local-supabase/api/jwt.js';
import {
    APP_URL, DESKTOP, PHONE, assertNoOverflow, axe, createCoachAccount, db, openPage, screenshot, setUp, signInToDashboard, tearDown, text,
} from './helpers.js';

before(setUp);
after(tearDown);

const API_URL = (process.env.API_URL ?? 'http://127.0.0.1:54321').replace(/\/$/, '');
const steps = (page, testid = 'empty-state') => page.locator(`[data-testid=${testid}] li[data-testid^=step-]`).evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [e.dataset.testid, e.dataset.done])));

test('a new coach: a checklist whose steps check themselves as the data arrives', { timeout: 180_000 }, async () => {
    const email = `debut-${Date.now()}@example.com`;
    const coachId = await createCoachAccount(email, { name: 'Coach Début' });
    const { context, page, problems } = await openPage(DESKTOP);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: APP_URL });
    await signInToDashboard(page, email);

    assert.deepEqual(await steps(page), { 'step-n8n': 'false', 'step-cost': 'false', 'step-lead': 'false' });
    const body = await page.innerText('main');
    assert.ok(!/5 minutes/.test(body), 'no promise of an update every 5 minutes');
    assert.match(await text(page, '[data-testid=empty-state] h2'), /^Bienvenue/);
    // the coach id, copied with one click
    assert.equal(await page.inputValue('[data-testid=coach-id]'), coachId);
    await page.click('[data-testid=copy-coach-id]');
    await page.waitForFunction(() => document.querySelector('[data-testid=empty-state] [role=status]')?.textContent === 'Identifiant copié.');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), coachId);
    // the guide and the workflow are served with the page
    const guide = await fetch(new URL(await page.getAttribute('[data-testid=n8n-guide]', 'href'), APP_URL));
    assert.equal(guide.status, 200);
    assert.match(await guide.text(), /ingest_message/);
    const workflow = await fetch(new URL(await page.getAttribute('[data-testid=n8n-workflow]', 'href'), APP_URL));
    assert.equal(workflow.status, 200);
    assert.ok(Array.isArray((await workflow.json()).nodes), 'an n8n workflow to import');
    assert.equal(await page.getAttribute('[data-testid=onboarding-settings]', 'href'), '/settings');
    await axe(page, 'empty state');
    await screenshot(page, 'onboarding-1440');

    // n8n delivers the first DM: the open page turns into the dashboard, the steps done ticked
    const r = await fetch(`${API_URL}/rest/v1/rpc/ingest_message`, {
        method: 'POST',
        headers: { apikey: LOCAL_SERVICE_ROLE_KEY, Authorization: `Bearer ${LOCAL_SERVICE_ROLE_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ payload: { coach_id: coachId, user_id_instagram: `ig_debut_${Date.now()}`, external_id: `mc_debut_${Date.now()}`,
            direction: 'in', text: 'Bonjour !', created_at: new Date().toISOString() } }),
    });
    assert.equal(r.status, 200, await r.text());
    await page.waitForSelector('[data-testid=onboarding]', { timeout: 30_000 });
    assert.deepEqual(await steps(page, 'onboarding'), { 'step-n8n': 'true', 'step-cost': 'false', 'step-lead': 'true' });
    assert.equal(await text(page, '#onboarding-title'), 'Bien démarrer : 2 étapes sur 3');
    assert.match(await text(page, '[data-testid=step-lead]'), /^Premier lead reçu/);
    assert.equal(await text(page, '[data-testid=headline] [data-kpi="activity.new_leads"]'), '1');

    // the cost given in the settings: the last step ticks itself, and the short checklist goes
    await db.query('update public.coach_settings set setter_monthly_cost = 350, setter_cost_confirmed_at = now() where coach_id = $1', [coachId]);
    await page.waitForSelector('[data-testid=onboarding]', { state: 'detached', timeout: 30_000 });
    assert.deepEqual(problems, []);
    await context.close();
});

test('the short checklist hides for good; the empty state on a phone: no sideways scroll, axe-core clean', async () => {
    const email = `debut-tel-${Date.now()}@example.com`;
    await createCoachAccount(email, { name: 'Coach Téléphone' });
    const phone = await openPage(PHONE);
    await signInToDashboard(phone.page, email);
    await phone.page.waitForSelector('[data-testid=empty-state]');
    await assertNoOverflow(phone.page, 'empty state on a phone');
    await axe(phone.page, 'empty state on a phone');
    await screenshot(phone.page, 'onboarding-390');
    await phone.context.close();

    // a coach with leads and the default cost: "Bien démarrer" above the tiles, until hidden
    const withLeads = `debut-leads-${Date.now()}@example.com`;
    await createCoachAccount(withLeads, { name: 'Coach Leads', leads: 3 });
    const { context, page } = await openPage(DESKTOP);
    await signInToDashboard(page, withLeads);
    await page.waitForSelector('[data-testid=onboarding]');
    await page.click('[data-testid=onboarding-hide]');
    assert.equal(await page.locator('[data-testid=onboarding]').count(), 0);
    await page.reload();
    await page.waitForSelector('[data-testid=headline]');
    assert.equal(await page.locator('[data-testid=onboarding]').count(), 0, 'still hidden after a reload');
    await context.close();
});
