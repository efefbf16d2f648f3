// The small things of issue #18, in the page: a definition pinned open by a click, covering nothing; odd values (a
// ROI of 13 199,4 % against a too-small previous one) said in words and greyed, nothing clipped at 1280, 1440 and
// 390 px; "Aujourd'hui" compared with yesterday up to the same time and without a one-bar trend; no layout shift
// while the dashboard loads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { formatPercent } from '../../web/src/format.js';
import { APP_URL, COACHES, DESKTOP, PHONE, openPage, periodDashboardInSql, screenshot, setUp, signInToDashboard, tearDown, text } from './helpers.js';

before(setUp);
after(tearDown);

const idle = (page) => page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === 'false'
    && (!document.querySelector('[data-testid=headline]') || document.querySelector('[data-section=performance]')));

/** Whether two rectangles overlap. */
const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test('a click pins a definition open, under its title: it covers nothing, not even the number it explains', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    await signInToDashboard(page, COACHES[0]);
    const card = page.locator('[data-testid="card-performance.roi"]');
    const value = card.locator('[data-kpi="performance.roi"]');
    const before = await value.boundingBox();
    await card.locator('button[aria-label^="Définition"]').click();
    const definition = card.locator('[data-testid=definition]');
    await definition.waitFor();
    await page.mouse.move(5, 5); // the mouse leaves: still open (pinned)
    await page.waitForTimeout(300);
    assert.equal(await definition.count(), 1, 'still open once the mouse has left');
    const box = await definition.boundingBox();
    const after = await value.boundingBox();
    assert.ok(!overlap(box, after), 'the definition does not cover the ROI');
    assert.ok(after.y > before.y, 'it opens in the flow: the number moves down, visible');
    const hit = await value.evaluate((e) => {
        e.scrollIntoView({ block: 'center' }); // elementFromPoint sees the viewport only (the alerts banner can push the card below it)
        const r = e.getBoundingClientRect();
        return e.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
    });
    assert.ok(hit, 'nothing covers the number');
    // nothing else of the page either: no element of another card under it
    const covered = await definition.evaluate((d) => {
        const r = d.getBoundingClientRect();
        return [...document.querySelectorAll('[data-testid^="card-"]')].filter((c) => !c.contains(d)).some((c) => {
            const o = c.getBoundingClientRect();
            return r.x < o.x + o.width && o.x < r.x + r.width && r.y < o.y + o.height && o.y < r.y + r.height;
        });
    });
    assert.equal(covered, false, 'no other card under the definition');
    await card.locator('button[aria-label^="Définition"]').click();
    assert.equal(await definition.count(), 0, 'a second click closes it');
    assert.deepEqual(problems, []);
    await context.close();
});

/** A document with the odd ROI: 13 199,4 % against a previous ROI resting on too few deals. */
const oddRoi = (doc) => ({
    ...doc,
    performance: {
        ...doc.performance,
        roi: { ...doc.performance.roi, value: 13199.4, num: 39185, den: 296.9, low_sample: false, change_points: 11143.6, comparable: false,
            previous: { value: 2055.8, num: 6100, den: 296.9, low_sample: true } },
        revenue: { ...doc.performance.revenue, value: 39481.9 },
    },
});

/** Any text of a card drawn outside the card (clipped or spilling): [card, text] of each. */
const clipped = (page) => page.evaluate(() => {
    const out = [];
    for (const card of document.querySelectorAll('[data-testid^="card-"], [data-testid=follow-up], [data-testid=trend-card]')) {
        const c = card.getBoundingClientRect();
        const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (!n.textContent.trim() || n.parentElement.closest('.sr-only, [aria-hidden=true] title')) continue;
            const range = document.createRange();
            range.selectNodeContents(n);
            for (const r of range.getClientRects()) {
                if (r.width && (r.left < c.left - 1 || r.right > c.right + 1)) out.push([card.dataset.testid, n.textContent.trim()]);
            }
        }
        // and nothing cut inside its own box (overflow hidden with more to show)
        for (const e of card.querySelectorAll('*')) {
            if (e.closest('.sr-only')) continue; // text for screen readers only, clipped on purpose
            const s = getComputedStyle(e);
            if ((s.overflowX === 'hidden' || s.textOverflow === 'ellipsis') && e.scrollWidth > e.clientWidth + 1 && e.textContent.trim()) {
                out.push([card.dataset.testid, `cut: ${e.textContent.trim().slice(0, 40)}`]);
            }
        }
    }
    return out;
});

for (const width of [1280, 1440, 390]) {
    test(`a ROI beyond any sane bound says so in words, its change greyed; nothing clipped at ${width} px`, async () => {
        const { context, page, problems } = await openPage(width < 600 ? PHONE : { width, height: 900 });
        await page.route('**/rest/v1/rpc/get_dashboard', async (route) => {
            const response = await route.fetch();
            return route.fulfill({ response, json: oddRoi(await response.json()) });
        });
        await signInToDashboard(page, COACHES[0]);
        await idle(page);
        const tile = page.locator('[data-testid="card-performance.roi"]');
        assert.equal(await text(page, '[data-testid=headline] [data-kpi="performance.roi"]'), formatPercent(13199.4));
        assert.match(formatPercent(13199.4), /^plus de 1\s000\s%$/);
        assert.equal(await tile.locator('[data-testid=change]').getAttribute('data-comparable'), 'false');
        assert.equal(await tile.locator('[data-testid=change]').innerText(), 'comparaison non significative');
        assert.ok(!/13\s?199|11\s?143/.test(await page.innerText('main')), 'no five-digit percentage anywhere');
        assert.deepEqual(await clipped(page), [], `nothing clipped at ${width} px`);
        const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
        assert.ok(sw <= iw, `no sideways scroll at ${width} px (${sw} > ${iw})`);
        await screenshot(page, `odd-roi-${width}`);
        assert.deepEqual(problems, []);
        await context.close();
    });
}

test('"Aujourd’hui": compared with yesterday up to the same time, no one-bar trend', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    await signInToDashboard(page, COACHES[0]);
    await page.goto(`${APP_URL}/dashboard?periode=aujourdhui`);
    await page.waitForSelector('[data-testid=headline]');
    await idle(page);
    const d = await periodDashboardInSql(COACHES[0], 'today');
    assert.ok(d.period.previous.until, 'SQL cuts yesterday at the same local time');
    const at = new Intl.DateTimeFormat('en-GB', { timeZone: d.period.timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .format(new Date(d.period.previous.until));
    assert.match(await text(page, '[data-testid=period-range]'), new RegExp(`, comparé à hier jusqu’à ${at}$`));
    for (const change of await page.locator('[data-testid=headline] [data-testid=change]:not([data-comparable=false])').allInnerTexts()) {
        assert.match(change, new RegExp(`vs hier à ${at}`), 'each change says against what');
    }
    assert.equal(await page.locator('[data-testid=trend-card]').count(), 0, 'no trend of a single day');
    assert.deepEqual(problems, []);
    await context.close();
});

test('no layout shift while the dashboard loads (phone): the period selector has its place from the first frame', async () => {
    const { context, page, problems } = await openPage(PHONE);
    await page.addInitScript(() => {
        /** @type {any} */ (window).cls = 0;
        new PerformanceObserver((list) => {
            for (const e of /** @type {any[]} */ (list.getEntries())) if (!e.hadRecentInput) /** @type {any} */ (window).cls += e.value;
        }).observe({ type: 'layout-shift', buffered: true });
    });
    await signInToDashboard(page, COACHES[0]);
    await idle(page);
    await page.waitForTimeout(500);
    const cls = await page.evaluate(() => /** @type {any} */ (window).cls);
    assert.ok(cls < 0.05, `cumulative layout shift ${cls.toFixed(3)} (< 0.05)`);
    // a reload of another period: the selector does not move either
    const selector = await page.locator('[data-testid=period-selector]').boundingBox();
    await page.goto(`${APP_URL}/dashboard?periode=7j`);
    await page.waitForSelector('[data-testid=period-selector]');
    const early = await page.locator('[data-testid=period-selector]').boundingBox();
    await idle(page);
    assert.deepEqual(await page.locator('[data-testid=period-selector]').boundingBox(), early, 'the selector stays where it was drawn');
    assert.equal(early.y, selector.y);
    assert.deepEqual(problems, []);
    await context.close();
});

for (const width of [390, 412]) {
    test(`the header does not move on a phone (${width} px) while the dashboard loads and "Actualiser" reloads it`, async () => {
        const { context, page, problems } = await openPage({ width, height: 844 });
        // every shift whose moved node is the header, inside it, or <main> as a whole (what a taller header pushes
        // down), counted even right after the click (hadRecentInput)
        await page.addInitScript(() => {
            /** @type {any} */ (window).headerShifts = [];
            new PerformanceObserver((list) => {
                for (const e of /** @type {any[]} */ (list.getEntries())) {
                    const nodes = e.sources.map((/** @type {any} */ s) => s.node).filter(Boolean);
                    const header = document.querySelector('header');
                    const moved = nodes.filter((/** @type {Node} */ n) => n.nodeName === 'MAIN' || header?.contains(n));
                    if (moved.length) /** @type {any} */ (window).headerShifts.push(`${e.value.toFixed(4)}: ${moved.map((/** @type {any} */ n) => n.dataset?.testid ?? n.nodeName).join(', ')}`);
                }
            }).observe({ type: 'layout-shift', buffered: true });
        });
        await signInToDashboard(page, COACHES[0]);
        await idle(page);
        await page.waitForTimeout(500);
        assert.deepEqual(await page.evaluate(() => /** @type {any} */ (window).headerShifts), [], 'no shift of the header during the load');
        const refresh = page.locator('[data-testid=refresh]');
        const rest = await refresh.boundingBox();
        await page.click('[data-testid=refresh]');
        // "Calcul en cours…" while it waits for the upkeep's pass (live.test.js), then "Mise à jour…"
        await page.waitForFunction(() => /** @type {HTMLElement} */ (document.querySelector('[data-testid=refresh]'))?.innerText.trim() !== 'Actualiser');
        const busy = await refresh.boundingBox();
        await page.waitForFunction(() => /** @type {HTMLElement} */ (document.querySelector('[data-testid=refresh]'))?.innerText.trim() === 'Actualiser', null, { timeout: 60_000 });
        await idle(page);
        await page.waitForTimeout(500);
        assert.deepEqual([busy?.width, (await refresh.boundingBox())?.width], [rest?.width, rest?.width], '"Actualiser" keeps its width in every state');
        assert.deepEqual(await page.evaluate(() => /** @type {any} */ (window).headerShifts), [], 'no shift of the header during the refresh');
        assert.deepEqual(problems, []);
        await context.close();
    });
}
