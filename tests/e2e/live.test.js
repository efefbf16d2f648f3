// Live data, on a controlled clock (Playwright's fake timers) and a controlled visibility: while visible the page asks
// get_dashboard_version every 5 s and loads the document again only when the version changed, sends nothing while
// hidden, checks as soon as it is visible again; "Actualiser" waits for the KPI upkeep's pass that started after the
// click, then loads; a failed check keeps the numbers, says so in French and retries after 5 s, then 10 s; an
// unreachable API on the first load shows an offline state, not a blank page. (The time a new message takes to show
// on an open page, in real time: live-latency.test.js.)
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
    let answered = 0;
    opened.page.on('request', (r) => r.url().includes('/rest/v1/') && rpc.push(r.url().split('/rpc/')[1]));
    opened.page.on('requestfinished', (r) => r.url().includes('/rest/v1/') && (answered += 1));
    opened.page.on('requestfailed', (r) => r.url().includes('/rest/v1/') && (answered += 1));
    const count = (fn) => rpc.filter((f) => f === fn).length;
    /** every request answered, and the page's handlers run (so its next timer is set before the clock moves on) */
    const quiet = async () => {
        await until(() => answered === rpc.length, 'every request to be answered');
        await sleep(300);
    };
    return { ...opened, rpc, quiet, documents: () => count('get_dashboard'), versions: () => count('get_dashboard_version') };
}

const VERSION = '**/rest/v1/rpc/get_dashboard_version';
const settled = (page) => until(async () => !(await page.locator('main[aria-busy=true]').count()), 'the load to end');

/** Answers get_dashboard_version with the real answer changed by change(answer) (every call while routed). */
const alterVersion = (page, change) => page.route(VERSION, async (route) => {
    const response = await route.fetch();
    return route.fulfill({ response, json: change(await response.json()) });
});

test('checks the version every 5 s while visible and loads the document only when it changed; nothing while hidden; a check when visible again', async () => {
    const { context, page, documents, versions, quiet } = await livePage();
    await signInToDashboard(page, COACHES[1]);
    await settled(page);
    assert.equal(documents(), 1, 'one document');
    await page.clock.pauseAt(Date.now() + 1000);
    // the first check comes within 5 s of the load (time has passed since it, in real time): from it, the rhythm
    let v = versions();
    await page.clock.runFor(5_000);
    await until(() => versions() === v + 1, 'a version check within 5 s');
    await quiet();

    // unchanged: a version check every 5 s, no document
    v = versions();
    await page.clock.runFor(4_500);
    await sleep(300);
    assert.equal(versions(), v, 'nothing before 5 s');
    await page.clock.runFor(600);
    await until(() => versions() === v + 1, 'the version check at 5 s');
    await quiet();
    await page.clock.runFor(5_000);
    await until(() => versions() === v + 2, 'the next one 5 s later');
    await quiet();
    assert.equal(documents(), 1, 'the version did not change: the document is not loaded again');

    // changed: the next check loads the document
    await alterVersion(page, (answer) => ({ ...answer, version: `${answer.version}-changed` }));
    await page.clock.runFor(5_000);
    await until(() => documents() === 2, 'the document again once its version changed');
    await settled(page);
    await quiet();
    await page.unroute(VERSION);
    await page.clock.runFor(5_000);
    await until(() => documents() === 3, 'and again when it is back (it changed again)');
    await settled(page);
    await quiet();

    // hidden: nothing at all, 10 minutes long; visible again: a check at once
    await page.evaluate(() => window.setHidden(true));
    v = versions();
    const d = documents();
    await page.clock.runFor(10 * 60_000);
    await sleep(500);
    assert.deepEqual([versions(), documents()], [v, d], 'no request at all while the tab is hidden (10 minutes)');
    await page.evaluate(() => window.setHidden(false));
    await until(() => versions() === v + 1, 'a version check as soon as the tab is visible');
    await sleep(300);
    assert.equal(documents(), d, 'unchanged: no document');
    await context.close();
});

test('"Actualiser" waits for the upkeep\'s pass that started after the click, then loads the document', async () => {
    const { context, page, documents, versions, quiet } = await livePage();
    await signInToDashboard(page, COACHES[1]);
    await settled(page);
    await page.clock.pauseAt(Date.now() + 1000);
    await quiet();
    // the server's last pass stays before the click for the first two checks, then a pass ends after it
    let checks = 0;
    await alterVersion(page, (answer) => {
        checks += 1;
        const now = Date.parse(answer.now);
        return { ...answer, last_updated: new Date(now + (checks <= 2 ? -3_000 : 1_000)).toISOString() };
    });
    const d = documents();
    await page.click('[data-testid=refresh]');
    await until(() => checks === 1, 'a version check at the click');
    await until(async () => (await text(page, '[data-testid=refresh]')) === 'Calcul en cours…', 'the button says it waits');
    assert.equal(documents(), d, 'no document while the pass is running');
    await page.clock.runFor(1_000);
    await until(() => checks === 2, 'a check a second later');
    await sleep(300);
    assert.equal(documents(), d, 'still waiting');
    await page.clock.runFor(1_000);
    await until(() => documents() === d + 1, 'the document, once a pass that started after the click has ended');
    await settled(page);
    assert.equal(await text(page, '[data-testid=refresh]'), 'Actualiser');
    assert.ok(versions() >= 3);
    await context.close();
});

test('a failed check keeps the numbers, says so in French, retries after 5 s then 10 s (not before), and recovers', async () => {
    const { context, page, versions, quiet } = await livePage();
    await signInToDashboard(page, COACHES[1]);
    await settled(page);
    const shown = await text(page, '[data-kpi="activity.new_leads"]');
    await page.clock.pauseAt(Date.now() + 1000);
    await quiet();

    await page.route(VERSION, (route) => route.abort('internetdisconnected'));
    await page.clock.runFor(5_500);
    await page.waitForSelector('[data-testid=stale-banner]');
    assert.match(await text(page, '[data-testid=stale-banner]'),
        /^Mise à jour impossible\. Impossible de joindre le serveur\. Vérifiez votre connexion internet\. Les chiffres affichés datent de \d\d:\d\d\./);
    assert.equal(await text(page, '[data-kpi="activity.new_leads"]'), shown, 'the last numbers stay on screen');
    assert.equal(await page.getAttribute('main', 'data-stale'), 'true');
    assert.match(await text(page, '[data-testid=stale]'), /^chiffres de \d\d:\d\d$/);
    await quiet();
    let n = versions();

    await page.clock.runFor(4_800);
    await sleep(300);
    assert.equal(versions(), n, 'no retry before 5 s');
    await page.clock.runFor(400);
    await until(() => versions() === n + 1, 'the retry after 5 s');
    await quiet();
    await until(async () => /Nouvel essai dans \d+ s\./.test(await text(page, '[data-testid=stale-banner]')), 'the retry countdown');
    n = versions();
    await page.clock.runFor(9_500);
    await sleep(300);
    assert.equal(versions(), n, 'the second retry waits 10 s');

    await page.unroute(VERSION);
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
