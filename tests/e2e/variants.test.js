// Issue 22 on the page, against the real stack: the variant report equals get_variant_report run in SQL as the same
// user (numbers, intervals, verdict; no winner shown unless SQL says `better`); a custom period (?du=…&au=…, the form
// with two native date inputs, "Mois en cours" / "Mois dernier") asks get_dashboard for that range and shows SQL's
// numbers; the trend's tooltip by keyboard and pointer shows the bucket's values; axe-core and no sideways scroll at
// 1440 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { formatDayRange, formatMoney, formatNumber, formatPercent, formatRate } from '../../web/src/format.js';
import { monthPicks, todayIn } from '../../web/src/period.js';
import {
    APP_URL, COACHES, DESKTOP, PHONE, assertNoOverflow, axe, openPage, screenshot, setUp, signInToDashboard, sqlAs, tearDown, text,
} from './helpers.js';

before(setUp);
after(tearDown);

const idle = (page) => page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === 'false');
const reportInSql = async (email, args) =>
    (await sqlAs(email, `select public.get_variant_report(period => $1, period_start => $2::date, period_end => $3::date) as r`,
        [args.period, args.period_start ?? null, args.period_end ?? null]))[0].r;
const rangeInSql = async (email, start, end) =>
    (await sqlAs(email, `select public.get_dashboard(period => 'range', period_start => $1::date, period_end => $2::date) as d`, [start, end]))[0].d;

/** The variant tables as the page shows them: { step: { verdict, rows: { name: { field: text } } } } */
const shownReport = (page) => page.locator('[data-testid^=variants-step-]').evaluateAll((cards) => Object.fromEntries(cards.map((c) => [
    c.dataset.testid.replace('variants-step-', ''),
    {
        verdict: c.querySelector('[data-testid=variant-verdict]').dataset.status,
        best: c.querySelector('[data-testid=variant-best]')?.closest('tr').dataset.variant ?? null,
        rows: Object.fromEntries([...c.querySelectorAll('tbody tr')].map((r) => [r.dataset.variant,
            Object.fromEntries([...r.querySelectorAll('[data-field]')].filter((x) => x.dataset.field !== 'ci')
                .map((x) => [x.dataset.field, x.textContent.replace(/\s+/g, ' ').trim()]))])),
    },
])));
const squash = (t) => t.replace(/\s+/g, ' ');
const expectedReport = (steps) => Object.fromEntries(steps.filter((s) => s.variants.some((v) => v.variant != null)).map((s) => [String(s.step), {
    verdict: s.verdict.status,
    best: s.verdict.status === 'better' ? (s.verdict.best ?? 'sans variante') : null,
    rows: Object.fromEntries(s.variants.map((v) => [v.variant ?? 'sans variante', {
        sent: formatNumber(v.sent), replied: formatNumber(v.replied),
        rate: v.low_sample ? 'pas assez de données' : squash(`${formatPercent(v.rate)} (${formatPercent(v.ci_low)} – ${formatPercent(v.ci_high)})`),
        qualified: formatNumber(v.qualified), booked: formatNumber(v.booked), won: formatNumber(v.won),
    }])),
}]));

test('the variant report shows what get_variant_report returns, and no winner unless SQL names one', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    const email = COACHES[0]; // Julie: two openers in the seed
    await signInToDashboard(page, email);
    await page.waitForSelector('[data-testid=variants]');
    await idle(page);
    const sql = await reportInSql(email, { period: '30d' });
    assert.ok(sql[0].variants.filter((v) => v.variant).length >= 2, 'the seed gives Julie two openers');
    assert.deepEqual(await shownReport(page), expectedReport(sql));
    for (const s of sql.filter((x) => x.variants.length > 0 && x.verdict.status !== 'better')) {
        assert.equal(await page.locator(`[data-testid=variants-step-${s.step}] [data-testid=variant-best]`).count(), 0, 'no winner shown');
    }
    assert.match(await text(page, '[data-testid=variants-step-1] [data-testid=variant-verdict]'),
        sql[0].verdict.status === 'better' ? /fait mieux/ : sql[0].verdict.status === 'too_close' ? /Trop proche/ : /Pas assez de données/);
    await screenshot(page, 'variants-1440');
    assert.deepEqual(problems, []);
    await context.close();

    // a coach without variants: the section says how to send them
    const other = await openPage(DESKTOP);
    await signInToDashboard(other.page, COACHES[1]);
    await other.page.waitForSelector('[data-testid=variants-empty]');
    await other.context.close();
});

test('a custom period is in the URL (?du=…&au=…) and shows what get_dashboard(range) returns; month picks; the form checks its dates', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    const email = COACHES[0];
    const asked = [];
    page.on('request', (r) => {
        if (r.url().endsWith('/rpc/get_dashboard')) asked.push(r.postDataJSON());
    });
    await signInToDashboard(page, email);
    await page.waitForSelector('[data-testid=period-picker]');
    const today = todayIn('Europe/Paris');
    const start = new Date(Date.parse(`${today}T00:00:00Z`) - 9 * 86400000).toISOString().slice(0, 10);

    // typed in the form
    await page.click('[data-testid=custom-toggle]');
    await page.fill('input[name=du]', today);
    await page.fill('input[name=au]', start);
    await page.click('[data-testid=custom-apply]');
    assert.equal(await text(page, '[data-testid=custom-problem]'), 'La date de début doit précéder la date de fin.');
    await page.fill('input[name=du]', start);
    await page.fill('input[name=au]', today);
    await page.click('[data-testid=custom-apply]');
    await page.waitForURL((u) => u.searchParams.get('du') === start && u.searchParams.get('au') === today);
    await page.waitForFunction((s) => document.querySelector('[data-testid=period-range]')?.textContent.includes(s), formatDayRange(start, today).slice(0, 3));
    await idle(page);
    assert.deepEqual(asked.at(-1), { period: 'range', period_start: start, period_end: today });
    const doc = await rangeInSql(email, start, today);
    assert.equal((await text(page, '[data-testid=period-range]')).split(',')[0], formatDayRange(start, today));
    const tiles = await page.locator('[data-testid=headline] [data-kpi]').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.kpi, e.textContent.trim()])));
    assert.equal(tiles['activity.new_leads'], formatNumber(doc.activity.new_leads.value));
    assert.equal(tiles['reply_rates.1.value'], formatRate(doc.reply_rates[0].rate));
    assert.equal(tiles['performance.revenue'], formatMoney(doc.performance.revenue.value, doc.coach.currency));
    // the variant report of the same days
    await page.waitForSelector('[data-testid=variants], [data-testid=variants-empty]');
    await page.waitForFunction(() => !document.querySelector('[data-section=variants] .animate-pulse'));
    assert.deepEqual(await shownReport(page), expectedReport(await reportInSql(email, { period: 'range', period_start: start, period_end: today })));

    // a link reopens the same view
    await page.goto(`${APP_URL}/dashboard?du=${start}&au=${today}`);
    await page.waitForSelector('[data-testid=custom-period]');
    assert.equal(await page.inputValue('input[name=du]'), start);

    // "Mois dernier"
    const [, lastMonth] = monthPicks(today);
    await page.click('[data-pick="Mois dernier"]');
    await page.waitForURL((u) => u.searchParams.get('du') === lastMonth.period.start && u.searchParams.get('au') === lastMonth.period.end);
    await idle(page);
    assert.deepEqual(asked.at(-1), { period: 'range', period_start: lastMonth.period.start, period_end: lastMonth.period.end });
    assert.equal(await page.getAttribute('[data-pick="Mois dernier"]', 'aria-current'), 'page');

    // a range the server refuses (an end in the future typed in the URL) reads in French, with a way back
    const future = new Date(Date.parse(`${today}T00:00:00Z`) + 3 * 86400000).toISOString().slice(0, 10);
    await page.goto(`${APP_URL}/dashboard?du=${start}&au=${future}`);
    await page.waitForSelector('[data-testid=load-error]');
    assert.match(await text(page, '[data-testid=load-error]'), /La date de fin ne peut pas être dans le futur/);
    await page.click('[data-testid=back-to-default]');
    await page.waitForSelector('[data-testid=headline]');
    assert.deepEqual(problems.filter((p) => !/status of 400|HTTP 400/.test(p)), []);
    await context.close();
});

test('the trend shows a bucket\'s values in a tooltip, by keyboard and by pointer', async () => {
    const { context, page } = await openPage(DESKTOP);
    const email = COACHES[0];
    await signInToDashboard(page, email);
    await page.waitForSelector('[data-testid=trend-interactive]');
    await idle(page);
    const doc = (await sqlAs(email, `select public.get_dashboard(period => '30d') as d`))[0].d;
    const t = doc.trend;
    const n = t.dates.length;
    await page.focus('[data-testid=trend-interactive]');
    await page.keyboard.press('ArrowLeft');
    const values = (i) => [formatNumber(t.new_leads[i]), formatNumber(t.calls_booked[i]), formatMoney(t.revenue[i], doc.coach.currency)];
    const shown = () => page.locator('[data-testid=trend-tooltip] .tabular-nums').allInnerTexts();
    assert.deepEqual(await shown(), values(n - 2), 'ArrowLeft from the last bucket: the one before');
    await page.keyboard.press('Home');
    assert.deepEqual(await shown(), values(0));
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('[data-testid=trend-tooltip]').count(), 0);
    const box = await page.locator('[data-testid=trend-interactive]').boundingBox();
    await page.mouse.move(box.x + box.width * (0.5 / n), box.y + box.height / 2);
    assert.deepEqual(await shown(), values(0), 'the pointer over the first column');
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
    assert.deepEqual(await shown(), values(n - 1), 'the pointer over the last column');
    await context.close();
});

for (const viewport of [DESKTOP, PHONE]) {
    test(`variants, custom period and tooltip: axe-core 0 violations, no sideways scroll at ${viewport.width} px`, async () => {
        const { context, page } = await openPage(viewport);
        const today = todayIn('Europe/Paris');
        await signInToDashboard(page, COACHES[0]);
        await page.goto(`${APP_URL}/dashboard?du=${monthPicks(today)[0].period.start}&au=${today}`);
        await page.waitForSelector('[data-testid=custom-period]');
        // the section's code loads on demand: open it once it is there (folded on a phone)
        await page.waitForSelector('[data-section=variants] details', { state: 'attached' });
        await page.evaluate(() => document.querySelector('[data-section=variants] details')?.setAttribute('open', ''));
        await page.waitForSelector('[data-testid=variants], [data-testid=variants-empty]');
        await idle(page);
        await page.focus('[data-testid=trend-interactive]');
        await page.keyboard.press('ArrowLeft');
        await axe(page, `variants ${viewport.width}`);
        await assertNoOverflow(page, `variants ${viewport.width}`);
        await screenshot(page, `variants-custom-${viewport.width}`);
        await context.close();
    });
}
