// The first minute, in the page (issue #18): a document whose numbers are not built yet (last_updated null, before
// the KPI upkeep's first pass) reads "préparation des chiffres…" and is asked again within seconds, never throws; a
// render error shows a French message with a retry that works and leaves no control disabled, and so does the Supabase
// clients' chunk that cannot be loaded (no skeleton forever); an unknown coach gets
// no "Réessayer" (trying again cannot help). The documents are the real ones of the test stack, altered on their way
// to the page where a case needs it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, APP_URL, COACHES, DESKTOP, openPage, setUp, signIn, signInToDashboard, tearDown, text } from './helpers.js';

before(setUp);
after(tearDown);

const DASHBOARD = '**/rest/v1/rpc/get_dashboard';

/** Serves get_dashboard's real answer changed by `change` (the first `times` answers only). */
async function alter(page, change, times = Infinity) {
    let served = 0;
    await page.route(DASHBOARD, async (route) => {
        const response = await route.fetch();
        if (served >= times || !response.ok()) return route.fulfill({ response });
        served += 1;
        return route.fulfill({ response, json: change(await response.json()) });
    });
    return () => served;
}

test('numbers not built yet: "préparation des chiffres…", asked again within seconds, then the dashboard by itself', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    // what get_dashboard answers before the first upkeep pass of a new database
    const served = await alter(page, (doc) => ({ ...doc, last_updated: null, has_leads: false }), 2);
    const asked = [];
    page.on('request', (r) => r.url().endsWith('/rpc/get_dashboard') && asked.push(Date.now()));
    await signIn(page, COACHES[0]);
    await page.waitForSelector('[data-testid=preparing]');
    assert.match(await text(page, '[data-testid=preparing]'), /^Préparation des chiffres…\s+Vos chiffres sont en cours de calcul\./);
    assert.equal(await text(page, '[data-testid=last-updated]'), 'Préparation des chiffres…');
    assert.equal(await page.locator('[data-testid=empty-state]').count(), 0, 'not the empty state of a coach without leads');
    assert.equal(await page.isDisabled('[data-testid=refresh]'), false, '"Actualiser" stays usable');
    // asked again by itself, every few seconds, until the numbers are there
    await page.waitForSelector('[data-testid=headline] [data-kpi="activity.new_leads"]', { timeout: 15_000 });
    assert.equal(served(), 2);
    assert.ok(asked.length >= 3, `asked ${asked.length} times`);
    for (let i = 1; i < 3; i++) {
        const gap = asked[i] - asked[i - 1];
        assert.ok(gap >= 2_500 && gap < 6_000, `asked again after ${gap} ms (within seconds)`);
    }
    assert.match(await text(page, '[data-testid=last-updated]'), /^Mis à jour /);
    assert.deepEqual(problems, []);
    await context.close();
});

test('a document the page cannot render: a French error with a retry that works; no control left disabled', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    await alter(page, (doc) => ({ ...doc, activity: null }));
    await signIn(page, COACHES[0]);
    await page.waitForSelector('[data-testid=render-error]');
    assert.match(await text(page, '[data-testid=render-error]'),
        /^Affichage impossible\s+Cette partie de la page n’a pas pu s’afficher à cause d’une erreur inattendue\. Réessayez ; si cela recommence, prévenez votre administrateur\.\s+Réessayer$/);
    // the header still works: its name, time and buttons are the document's, and nothing is disabled
    assert.equal(await text(page, '[data-testid=coach-name]'), 'Julie Martin');
    assert.match(await text(page, '[data-testid=last-updated]'), /^Mis à jour /);
    for (const control of await page.locator('button, a').all()) {
        assert.equal(await control.isDisabled(), false, `${await control.innerText()} is usable`);
    }
    assert.ok(problems.some((p) => p.startsWith('console: render error:')), 'the error is logged for whoever debugs it');

    await page.unroute(DASHBOARD);
    await page.click('[data-testid=render-error] button');
    await page.waitForSelector('[data-section=performance]');
    assert.equal(await page.locator('[data-testid=render-error]').count(), 0);
    await context.close();
});

test('the sign-in code cannot be loaded: a French error with a retry that loads it again, not a skeleton forever', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    await signInToDashboard(page, COACHES[0]);
    // the chunk of the Supabase clients (supabase-client.js: auth-js is the one that asks for a password grant) fails
    // to load, as on a cut network or after a deploy removed it, while a session is stored
    let cut = true;
    let refused = 0;
    await page.route(/\/assets\/chunk-[^/]+\.js$/, async (route) => {
        const response = await route.fetch();
        const body = await response.text();
        if (cut && body.includes('grant_type=password')) {
            refused += 1;
            return route.abort('internetdisconnected');
        }
        return route.fulfill({ response, body });
    });
    await page.reload();
    await page.waitForSelector('[data-testid=page-error]', { timeout: 15_000 });
    assert.ok(refused > 0, 'the chunk was refused');
    assert.match(await text(page, '[data-testid=page-error]'),
        /^Affichage impossible\s+Cette partie de la page n’a pas pu s’afficher à cause d’une erreur inattendue\. Réessayez ; si cela recommence, prévenez votre administrateur\.\s+Réessayer$/);
    assert.ok(problems.some((p) => p.startsWith('console: render error:')), 'the error is logged for whoever debugs it');

    // the network is back: "Réessayer" loads the chunk again and the dashboard comes, with the stored session
    cut = false;
    await page.click('[data-testid=page-error] button');
    await page.waitForSelector('[data-section=performance]', { timeout: 15_000 });
    assert.equal(await page.locator('[data-testid=page-error]').count(), 0);
    assert.equal(await text(page, '[data-testid=coach-name]'), 'Julie Martin');
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await context.close();
});

test('a coach that does not exist: no "Réessayer" (it cannot help), a way back to the list instead', async () => {
    const { context, page } = await openPage(DESKTOP);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.waitForURL(/\/admin/);
    await page.goto(`${APP_URL}/dashboard?coach=00000000-0000-4000-8000-0000000000ff`);
    await page.waitForSelector('[data-testid=load-error]');
    assert.match(await text(page, '[data-testid=load-error]'), /Ce coach est introuvable/);
    assert.equal(await page.locator('[data-testid=load-error] button').count(), 0, 'no retry button');
    assert.equal(await page.getAttribute('[data-testid=back-to-list]', 'href'), '/admin');
    await context.close();
});

test('a coach signs in: no "préparation" on the seeded, built numbers', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    await signInToDashboard(page, COACHES[1]);
    assert.equal(await page.locator('[data-testid=preparing]').count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
});
