// Cohorts on the page (issue 22): the table equals get_cohorts run in SQL as the same user, cell by cell for each
// step (rate and count, "en cours" for a window not over, counts only under the minimum sample); the CSV export has
// one line per week with SQL's numbers in the drill-down's format; readable without colour; axe-core at both sizes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatDayRange, formatNumber, formatPercent } from '../../web/src/format.js';
import { COACHES, DESKTOP, PHONE, assertNoOverflow, axe, openPage, screenshot, setUp, signInToDashboard, sqlAs, tearDown } from './helpers.js';

before(setUp);
after(tearDown);

const squash = (t) => t.replace(/\s+/g, ' ').trim();
const expectedCell = (w, step) => {
    const r = w[step];
    if (!w.complete) return 'en cours';
    if (r.den === 0) return '—';
    if (r.low_sample) return `${formatNumber(r.num)} / ${formatNumber(r.den)}`;
    return squash(`${formatPercent(r.value)} (${formatNumber(r.num)})`);
};

test('the cohort table is get_cohorts, for each step; its CSV has SQL\'s numbers', async () => {
    const { context, page, problems } = await openPage(DESKTOP, { acceptDownloads: true });
    const email = COACHES[0];
    await signInToDashboard(page, email);
    // the section's code loads on demand: open it once it is there (folded on a phone)
    await page.waitForSelector('[data-section=cohorts] details', { state: 'attached' });
    await page.evaluate(() => document.querySelector('[data-section=cohorts] details')?.setAttribute('open', ''));
    await page.waitForSelector('[data-testid=cohorts]');
    const c = (await sqlAs(email, 'select public.get_cohorts() as c'))[0].c;
    assert.equal(c.weeks.length, 12);
    for (const step of ['qualified', 'booked', 'won']) {
        await page.click(`[data-testid=cohort-steps] [data-step=${step}]`);
        const shown = await page.locator('[data-testid=cohorts] tbody tr').evaluateAll((rows) => rows.map((r) =>
            [...r.querySelectorAll('th, td')].map((x) => x.textContent.replace(/\s+/g, ' ').trim())));
        const expected = c.weeks.map((w) => [squash(formatDayRange(w.week_start, w.week_end)), formatNumber(w.leads), formatNumber(w.open),
            ...c.windows.map((d) => expectedCell(w.windows[String(d)], step))]);
        assert.deepEqual(shown, expected, step);
    }
    assert.ok(c.weeks.some((w) => !w.windows['30'].complete), 'recent weeks are not over at 30 days');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=cohorts-csv]')]);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    assert.equal(lines.length, 13, 'a header and 12 weeks');
    assert.match(download.suggestedFilename(), /^cohortes_julie-martin_\d{4}-\d{2}-\d{2}\.csv$/);
    const w = c.weeks.find((x) => x.windows['7'].complete && x.leads > 0);
    const line = lines.find((l) => l.startsWith(`${w.week_start};`)).split(';');
    const num = (n) => (n == null ? '' : String(n).replace('.', ','));
    assert.deepEqual(line.slice(0, 11), [w.week_start, w.week_end, String(w.leads), String(w.open), 'terminee',
        String(w.windows['7'].qualified.num), num(w.windows['7'].qualified.value), String(w.windows['7'].booked.num), num(w.windows['7'].booked.value),
        String(w.windows['7'].won.num), num(w.windows['7'].won.value)]);
    await screenshot(page, 'cohorts-1440');
    assert.deepEqual(problems, []);
    await context.close();
});

for (const viewport of [DESKTOP, PHONE]) {
    test(`cohorts: axe-core 0 violations, no sideways scroll at ${viewport.width} px`, async () => {
        const { context, page } = await openPage(viewport);
        await signInToDashboard(page, COACHES[0]);
        // the section's code loads on demand: open it once it is there (folded on a phone)
        await page.waitForSelector('[data-section=cohorts] details', { state: 'attached' });
        await page.evaluate(() => document.querySelector('[data-section=cohorts] details')?.setAttribute('open', ''));
        await page.waitForSelector('[data-testid=cohorts]');
        await axe(page, `cohorts ${viewport.width}`);
        await assertNoOverflow(page, `cohorts ${viewport.width}`);
        await page.locator('[data-section=cohorts]').screenshot({ path: `${process.cwd()}/artifacts/cohorts-${viewport.width}.png` });
        await context.close();
    });
}
