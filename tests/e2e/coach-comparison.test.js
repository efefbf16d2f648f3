// Coaches side by side for an admin (issue 22): the table equals get_coach_comparison run in SQL as the admin, sorts
// by a column (rates under the minimum sample last), follows the period, and each row opens that coach's dashboard
// read-only; axe-core 0 and no sideways scroll at 1440 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { formatMoney, formatNumber, formatRate } from '../../web/src/format.js';
import { ADMIN, DESKTOP, PHONE, assertNoOverflow, axe, openPage, screenshot, setUp, signIn, sqlAs, tearDown } from './helpers.js';

before(setUp);
after(tearDown);

const shown = (page) => page.locator('[data-testid=comparison-table] tbody tr').evaluateAll((rows) => rows.map((r) => ({
    coach: r.dataset.coach,
    cells: [...r.querySelectorAll('td')].filter((td) => td.dataset.field !== 'last_data').map((td) => td.textContent.replace(/\s+/g, ' ').trim()),
})));
const squash = (t) => t.replace(/\s+/g, ' ').trim();
const cells = (r) => [formatNumber(r.new_leads), formatRate(r.dm1_reply_rate), formatRate(r.qualification_rate), formatNumber(r.calls_booked),
    formatNumber(r.deals_won), formatMoney(r.revenue, r.currency)].map(squash);

test('the admin compares the coaches: SQL\'s numbers, sortable, per period, each row opens a read-only dashboard', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.waitForSelector('[data-testid=comparison-table]');
    const sql = (await sqlAs(ADMIN.email, `select public.get_coach_comparison('30d') as r`))[0].r;
    const byRows = (rows) => rows.map((r) => ({ coach: r.coach_id, cells: cells(r) }));
    const byNewLeads = [...sql].sort((a, b) => b.new_leads - a.new_leads || a.name.localeCompare(b.name));
    assert.deepEqual(await shown(page), byRows(byNewLeads), 'new leads, most first (the default)');
    await page.click('[data-sort=revenue]');
    const byRevenue = [...sql].sort((a, b) => b.revenue - a.revenue || a.name.localeCompare(b.name));
    assert.deepEqual((await shown(page)).map((r) => r.coach), byRevenue.map((r) => r.coach_id), 'revenue, most first');
    assert.equal(await page.getAttribute('th:has([data-sort=revenue])', 'aria-sort'), 'descending');
    await page.click('[data-sort=revenue]');
    assert.equal(await page.getAttribute('th:has([data-sort=revenue])', 'aria-sort'), 'ascending');

    await page.click('[data-testid=coach-comparison] [data-period=tout]');
    const all = (await sqlAs(ADMIN.email, `select public.get_coach_comparison('all') as r`))[0].r;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=comparison-table] tbody tr').length === n, all.length);
    const shownAll = Object.fromEntries((await shown(page)).map((r) => [r.coach, r.cells]));
    for (const r of all) assert.deepEqual(shownAll[r.coach_id], cells(r), `all time: ${r.name}`);
    await screenshot(page, 'coach-comparison-1440');

    const julie = all.find((r) => r.email === 'julie@example.com');
    await page.click(`[data-coach="${julie.coach_id}"] [data-testid=compare-open]`);
    await page.waitForURL((u) => u.pathname === '/dashboard' && u.searchParams.get('coach') === julie.coach_id && u.searchParams.get('periode') === 'tout');
    await page.waitForSelector('[data-testid=read-only]');
    assert.deepEqual(problems, []);
    await context.close();
});

for (const viewport of [DESKTOP, PHONE]) {
    test(`coach comparison: axe-core 0 violations, no sideways scroll at ${viewport.width} px`, async () => {
        const { context, page } = await openPage(viewport);
        await signIn(page, ADMIN.email, ADMIN.password);
        await page.waitForSelector('[data-testid=comparison-table]');
        await axe(page, `comparison ${viewport.width}`);
        await assertNoOverflow(page, `comparison ${viewport.width}`);
        await page.locator('[data-testid=coach-comparison]').screenshot({ path: `${process.cwd()}/artifacts/coach-comparison-${viewport.width}.png` });
        await context.close();
    });
}
