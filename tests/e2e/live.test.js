// Live data, on a controlled clock (Playwright's fake timers) and a controlled visibility: the dashboard reloads
// every 60 s while visible, sends nothing while hidden, reloads as soon as it is visible again and on "Actualiser";
// a failed reload keeps the numbers, says so in French and retries after 5 s, then 10 s; an unreachable API on the
// first load shows an offline state, not a blank page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_URL, COACHES, DESKTOP, openPage, setUp, signInToDashboard, tearDown, text } from './helpers.js';

before(setUp);
after(tearDown);

/** Lets a test hide and show the tab: the page reads document.visibilityState and listens to visibilitychange. */
const VISIBILITY = () => {
    let hidden = false;
    Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
    /** @type {any} */ (window).setHidden = (h) => {
        hidden = h;
        document.dispatchEvent(new Event('visibilitychange'));
    };
};

/** Waits (in real time) until check() holds. */
async function until(check, what, ms = 10_000) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
        if (await check()) return;
        await sleep(50);
    }
    assert.fail(`timed out waiting for ${what}`);
}

async function livePage() {
    const opened = await openPage(DESKTOP);
    await opened.page.addInitScript(VISIBILITY);
    await opened.page.clock.install();
    const rpc = [];
    opened.page.on('request', (r) => r.url().includes('/rest/v1/') && rpc.push(r.url().split('/rpc/')[1]));
    return { ...opened, rpc };
}

test('reloads every 60 s while visible, never while hidden, at once when visible again, and on "Actualiser"', async () => {
    const { context, page, rpc } = await livePage();
    await signInToDashboard(page, COACHES[1]);
    await until(async () => !(await page.locator('main[aria-busy=true]').count()), 'the first load');
    await page.clock.pauseAt(Date.now() + 1000);
    const dashboards = () => rpc.filter((f) => f === 'get_dashboard').length;
    // a load that ends while the clock stands still: the next one is due exactly 60 s later
    let n = dashboards();
    await page.click('[data-testid=refresh]');
    await until(() => dashboards() === n + 1, 'a reload on "Actualiser"');
    await until(async () => !(await page.locator('main[aria-busy=true]').count()), 'that reload to end');
    n = dashboards();

    await page.clock.runFor(59_000);
    await sleep(300);
    assert.equal(dashboards(), n, 'nothing before 60 s');
    await page.clock.runFor(2_000);
    await until(() => dashboards() === n + 1, 'the reload at 60 s');
    await until(async () => !(await page.locator('main[aria-busy=true]').count()), 'the reload to end');
    n = dashboards();

    await page.evaluate(() => window.setHidden(true));
    const before = rpc.length;
    await page.clock.runFor(10 * 60_000);
    await sleep(500);
    assert.equal(rpc.length, before, 'no request at all while the tab is hidden (10 minutes)');

    await page.evaluate(() => window.setHidden(false));
    await until(() => dashboards() === n + 1, 'a reload as soon as the tab is visible');
    await until(async () => !(await page.locator('main[aria-busy=true]').count()), 'that reload to end');
    await context.close();
});

test('a failed reload keeps the numbers, says so in French, retries after 5 s then 10 s (not before), and recovers', async () => {
    const { context, page, rpc } = await livePage();
    await signInToDashboard(page, COACHES[1]);
    await until(async () => !(await page.locator('main[aria-busy=true]').count()), 'the first load');
    const shown = await text(page, '[data-kpi="activity.new_leads"]');
    await page.clock.pauseAt(Date.now() + 1000);
    const dashboards = () => rpc.filter((f) => f === 'get_dashboard').length;

    await page.route('**/rest/v1/rpc/get_dashboard', (route) => route.abort('internetdisconnected'));
    let n = dashboards();
    await page.clock.runFor(61_000);
    await page.waitForSelector('[data-testid=stale-banner]');
    assert.match(await text(page, '[data-testid=stale-banner]'),
        /^Mise à jour impossible\. Impossible de joindre le serveur\. Vérifiez votre connexion internet\. Les chiffres affichés datent de \d\d:\d\d\./);
    assert.equal(await text(page, '[data-kpi="activity.new_leads"]'), shown, 'the last numbers stay on screen');
    assert.equal(await page.getAttribute('main', 'data-stale'), 'true');
    assert.match(await text(page, '[data-testid=stale]'), /^chiffres de \d\d:\d\d$/);
    n = dashboards();

    await page.clock.runFor(4_800);
    await sleep(300);
    assert.equal(dashboards(), n, 'no retry before 5 s');
    await page.clock.runFor(400);
    await until(() => dashboards() === n + 1, 'the retry after 5 s');
    await until(async () => /Nouvel essai dans \d+ s\./.test(await text(page, '[data-testid=stale-banner]')), 'the retry countdown');
    n = dashboards();
    await page.clock.runFor(9_500);
    await sleep(300);
    assert.equal(dashboards(), n, 'the second retry waits 10 s');

    await page.unroute('**/rest/v1/rpc/get_dashboard');
    await page.clock.runFor(1_000);
    await until(async () => (await page.locator('[data-testid=stale-banner]').count()) === 0, 'recovery');
    assert.equal(await page.getAttribute('main', 'data-stale'), null);
    await context.close();
});

test('an unreachable API on the first load: an offline state in French, then the dashboard once it answers', async () => {
    const { context, page } = await openPage(DESKTOP);
    await signInToDashboard(page, COACHES[1]);
    await page.route('**/rest/v1/rpc/**', (route) => route.abort('internetdisconnected'));
    await page.goto(`${APP_URL}/dashboard`);
    await page.waitForSelector('[data-testid=offline]');
    assert.match(await text(page, '[data-testid=offline]'), /Serveur injoignable\s+Impossible de joindre le serveur\. Vérifiez votre connexion internet\./);
    assert.match(await text(page, '[data-testid=offline]'), /Nouvel essai automatique dans \d+ s\./);
    await page.unroute('**/rest/v1/rpc/**');
    await page.click('[data-testid=offline] button');
    await page.waitForSelector('[data-section=performance]');
    await context.close();
});
