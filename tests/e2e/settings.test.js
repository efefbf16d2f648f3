// /settings: a coach changes its own settings through update_coach_settings; a refused field says why in French
// next to the field and nothing is saved; once the coach gives its setter cost, ROI and acquisition cost are no
// longer "estimé" on the dashboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { APP_URL, DESKTOP, createCoachAccount, db, openPage, setUp, settle, signInToDashboard, tearDown, text } from './helpers.js';

before(setUp);
after(tearDown);

const settingsRow = async (id) => (await db.query(
    `select s.setter_monthly_cost::text as cost, s.currency, c.timezone, s.minutes_per_manual_message::text as minutes,
        s.default_no_show_rate::text as no_show, s.setter_cost_confirmed_at is not null as confirmed
     from public.coach_settings s join public.coachs c on c.id = s.coach_id where s.coach_id = $1`, [id])).rows[0];

test('a coach saves its settings; refused values are explained in French and nothing is saved', async () => {
    const email = `reglages-${Date.now()}@example.com`;
    const id = await createCoachAccount(email, { leads: 12, name: 'Coach Réglages' });
    await db.query(`update public.leads set status = 'won', deal_value = 500 where coach_id = $1`, [id]);
    await settle();
    const before = await settingsRow(id);
    const { context, page, problems } = await openPage(DESKTOP);
    await signInToDashboard(page, email);
    assert.ok(await page.locator('[data-testid="card-performance.roi"] [data-testid=estimated]').count(), 'ROI estimated at first');
    await page.click('[data-testid=settings-link]');
    await page.waitForURL(`${APP_URL}/settings`);
    await page.waitForSelector('[data-testid=settings-form]');
    assert.equal(await page.inputValue('#f-setter_monthly_cost'), '297');
    assert.equal(await page.inputValue('#f-default_no_show_rate'), '17');
    assert.ok(await page.locator('[data-testid=cost-estimated]').count(), 'says the cost is the default');
    // the sentence keeps its spaces (a template split over lines once glued "mois) :le ROI")
    assert.match(await text(page, '[data-testid=cost-estimated]'),
        /^estimé\s*Le coût du setter est la valeur par défaut \(297\s€ par mois\) : le ROI et le coût d’acquisition restent des estimations tant que vous n’indiquez pas le vôtre\.$/);

    // the server refuses a negative cost: the French sentence under the field, nothing written
    await page.fill('#f-setter_monthly_cost', '-5');
    await page.click('[data-testid=settings-form] button[type=submit]');
    assert.equal(await text(page, '[data-testid=error-setter_monthly_cost]'), 'Indiquez un coût mensuel entre 0 et 100 000.');
    assert.equal(await page.getAttribute('#f-setter_monthly_cost', 'aria-invalid'), 'true');
    assert.deepEqual(await settingsRow(id), before, 'nothing saved');
    // a word where a number goes, and a rate above 100 %
    await page.fill('#f-setter_monthly_cost', '450,50');
    await page.fill('#f-minutes_per_manual_message', 'beaucoup');
    await page.click('[data-testid=settings-form] button[type=submit]');
    assert.equal(await text(page, '[data-testid=error-minutes_per_manual_message]'), 'Indiquez un nombre de minutes entre 0 et 60.');
    assert.equal(await page.locator('[data-testid=error-setter_monthly_cost]').count(), 0);
    await page.fill('#f-minutes_per_manual_message', '3,5');
    await page.fill('#f-default_no_show_rate', '120');
    await page.click('[data-testid=settings-form] button[type=submit]');
    assert.equal(await text(page, '[data-testid=error-default_no_show_rate]'), 'Indiquez un taux entre 0 et 100 %.');
    // an empty field is refused before sending
    await page.fill('#f-default_no_show_rate', '');
    await page.click('[data-testid=settings-form] button[type=submit]');
    assert.equal(await text(page, '[data-testid=error-default_no_show_rate]'), 'Ce champ est obligatoire.');
    assert.deepEqual(await settingsRow(id), before, 'still nothing saved');

    // valid values, typed the French way
    await page.fill('#f-default_no_show_rate', '12,5');
    await page.selectOption('#f-currency', 'CHF');
    // time zones in French, the French-speaking ones first, found by typing a city (accents optional)
    const options = () => page.locator('#f-timezone option').evaluateAll((els) => els.map((o) => [o.value, o.textContent]));
    const all = await options();
    assert.deepEqual(all[0], ['Europe/Paris', `Paris — France (${all[0][1].match(/UTC[+−-][\d:]+/)?.[0]})`], 'Paris first, in French');
    assert.ok(all.some(([v, t]) => v === 'Asia/Calcutta' && t.startsWith('Calcutta, New Delhi, Bombay — Inde (UTC+5:30)')), 'no raw "Asia/Calcutta"');
    assert.ok(all.findIndex(([v]) => v === 'Indian/Reunion') < all.findIndex(([v]) => v === 'Europe/London'), 'La Réunion before Londres');
    await page.fill('[data-testid=timezone-search]', 'montreal');
    const found = await options();
    assert.ok(found.some(([v, t]) => v === 'America/Toronto' && t.startsWith('Montréal, Québec, Toronto — Canada (heure de l’Est)')), JSON.stringify(found));
    assert.ok(found.length <= 3, `the search narrows the list (${found.length})`);
    await page.selectOption('#f-timezone', 'America/Toronto');
    assert.match(await text(page, '[data-testid=timezone-current]'), /^Fuseau choisi : Montréal, Québec, Toronto — Canada \(heure de l’Est\) \(UTC[−-][45]\)$/);
    await page.click('[data-testid=settings-form] button[type=submit]');
    await page.waitForSelector('[data-testid=toast]');
    assert.equal(await text(page, '[data-testid=toast]'), 'Réglages enregistrés.');
    assert.deepEqual(await settingsRow(id), {
        cost: '450.50', currency: 'CHF', timezone: 'America/Toronto', minutes: '3.50', no_show: '0.1250', confirmed: true,
    });
    assert.equal(await page.locator('[data-testid=cost-estimated]').count(), 0, 'no longer the default cost');
    assert.equal(await page.inputValue('#f-setter_monthly_cost'), '450,5');

    // the dashboard: ROI and acquisition cost are no longer estimates; money in the new currency
    await page.goto(`${APP_URL}/dashboard`);
    await page.waitForSelector('[data-section=performance]');
    assert.equal(await page.locator('[data-testid="card-performance.roi"] [data-testid=estimated][title^="Le coût"]').count(), 0);
    assert.equal(await page.locator('[data-testid="card-performance.acquisition_cost"] [data-testid=estimated]').count(), 0);
    assert.match(await text(page, '[data-kpi="performance.revenue"]'), /CHF/);
    // the refused saves are the only HTTP errors (400 from the RPC, logged by Chromium too)
    assert.deepEqual(problems.filter((p) => !/update_coach_settings|status of 400/.test(p)), []);
    await context.close();
});
