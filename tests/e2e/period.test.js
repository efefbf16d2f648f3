// The period features of the page (issue 11, items 1, 2 and 4) on the v2 contract of web/src/dashboard-types.ts:
// get_dashboard(period), get_kpi_definitions() and get_kpi_leads() are served from a hand-made fixture
// (tests/e2e/fixtures, type-checked against the contract) until the KPI engine v2 is in the database; everything
// else is the real stack. The period switch compares the page to SQL as soon as the database has v2; the other
// tests keep the fixture, whose values were chosen to show good, bad and neutral changes and CSV edge cases.
//   - the period selector is in the URL (?periode=7j), 30 j by default; each choice asks for that period and every
//     tile shows what the RPC returned for it;
//   - changes against the previous period: an arrow, green when good news by the KPI's `better`, red when bad;
//   - sparklines on the tiles; the trend chart with its summary and its table on demand;
//   - a count opens its leads (keyset pages of 50) and exports them as CSV, checked byte for byte.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatChange, formatDayRange, formatMoney, formatNumber, formatPoints, formatRate } from '../../web/src/format.js';
import { KPI_DEFINITIONS, kpiLeads, periodDashboard } from './fixtures/period-dashboard.js';
import {
    APP_URL, COACHES, DESKTOP, PHONE, assertNoOverflow, axe, hasPeriodRpc, kpiDefinitionsInSql, mockPeriodRpcs, openPage, periodDashboardInSql,
    screenshot, setUp, signInToDashboard, tearDown, text,
} from './helpers.js';

before(setUp);
after(tearDown);

const LEADS = { 'qualification.calls_booked': 120, 'performance.deals_closed': 3 };
const mocks = { periodDashboard, definitions: KPI_DEFINITIONS, leads: (kpi) => kpiLeads(LEADS[kpi] ?? 7) };

/** The tiles' values as the page shows them, and what the fixture document says they must be. */
const tiles = (page) => page.locator('[data-testid=headline] [data-kpi]').evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [e.dataset.kpi, e.textContent.trim()])));
const expectedTiles = (d) => ({
    'activity.new_leads': formatNumber(d.activity.new_leads.value),
    'reply_rates.1.value': formatRate(d.reply_rates[0].rate),
    'qualification.calls_booked': formatNumber(d.qualification.calls_booked.value),
    'performance.deals_closed': formatNumber(d.performance.deals_closed.value),
    'performance.revenue': formatMoney(d.performance.revenue.value, d.coach.currency),
    'performance.roi': formatRate(d.performance.roi),
});

test('the period is in the URL, 30 j by default; every tile shows what the RPC returned for the period picked', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    // the real get_dashboard(period) once the database has it, the fixture until then
    const real = hasPeriodRpc();
    const calls = real ? null : await mockPeriodRpcs(page, mocks);
    const documentFor = async (key) => (real ? periodDashboardInSql(COACHES[0], key) : periodDashboard(key));
    const labels = real ? await kpiDefinitionsInSql(COACHES[0]) : KPI_DEFINITIONS;
    const periods = [];
    page.on('request', (r) => r.url().endsWith('/rpc/get_dashboard') && r.postDataJSON()?.period && periods.push(r.postDataJSON().period));
    await signInToDashboard(page, COACHES[0]);
    await page.waitForSelector('[data-testid=period-selector]');
    assert.deepEqual(periods, ['30d'], 'one call, for 30 days');
    assert.equal(new URL(page.url()).search, '', 'the default needs no parameter');
    assert.equal(await text(page, '[data-testid=period-selector] [aria-current=page]'), '30 j');
    const d30 = await documentFor('30d');
    assert.deepEqual(await tiles(page), expectedTiles(d30));
    assert.equal(await text(page, '[data-testid=period-range]'),
        `${formatDayRange(d30.period.start, d30.period.end)}, comparé ${formatDayRange(d30.period.previous.start, d30.period.previous.end)}`);
    if (calls) assert.equal(calls.filter((c) => c.fn === 'get_kpi_definitions').length, 1, 'the glossary is fetched once');
    // titles from get_kpi_definitions
    assert.equal(await text(page, '[data-testid="card-performance.deals_closed"] h3'), labels['performance.deals_closed'].label);

    for (const [param, key, label] of [['7j', '7d', '7 j'], ['aujourdhui', 'today', 'Aujourd’hui'], ['90j', '90d', '90 j']]) {
        const answered = page.waitForResponse((r) => r.url().endsWith('/rpc/get_dashboard') && r.request().postDataJSON()?.period === key);
        await page.click(`[data-testid=period-selector] [data-period="${param}"]`);
        await page.waitForURL(`${APP_URL}/dashboard?periode=${param}`);
        await answered;
        await page.waitForFunction((n) => document.querySelector('[data-testid=period-selector] [aria-current=page]')?.textContent === n
            && document.querySelector('main')?.getAttribute('aria-busy') === 'false', label);
        assert.deepEqual(await tiles(page), expectedTiles(await documentFor(key)), `tiles for ${param}`);
        assert.equal(periods.at(-1), key);
    }
    // a link reopens the same view; back goes to the previous period
    const back = page.waitForResponse((r) => r.url().endsWith('/rpc/get_dashboard') && r.request().postDataJSON()?.period === 'today');
    await page.goBack();
    await page.waitForURL(`${APP_URL}/dashboard?periode=aujourdhui`);
    await back;
    await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === 'false');
    assert.deepEqual(await tiles(page), expectedTiles(await documentFor('today')));
    await page.goto(`${APP_URL}/dashboard?periode=tout`);
    await page.waitForSelector('[data-testid=headline]');
    assert.equal(periods.at(-1), 'all');
    assert.deepEqual(await tiles(page), expectedTiles(await documentFor('all')));
    assert.equal(await page.locator('[data-testid=headline] [data-testid=change]').count(), 0, '"Tout" has no previous period');
    assert.equal(await text(page, '[data-testid=period-range]'), 'Depuis le début');
    await page.goto(`${APP_URL}/dashboard?periode=n-importe-quoi`);
    await page.waitForSelector('[data-testid=headline]');
    assert.equal(periods.at(-1), '30d', 'an unknown period falls back to 30 j');
    assert.deepEqual(problems.filter((p) => !/get_kpi/.test(p)), []);
    await context.close();
});

test('changes: an arrow, green for good news and red for bad by the KPI\'s direction; sparklines; the trend and its table', async () => {
    const { context, page } = await openPage(DESKTOP);
    await mockPeriodRpcs(page, mocks);
    await signInToDashboard(page, COACHES[0]);
    await page.waitForSelector('[data-testid=headline]');
    const d = periodDashboard('30d');
    const norm = (/** @type {string} */ t) => t.replace(/\s+/g, ' ');
    const change = (kpi) => page.locator(`[data-testid="card-${kpi}"] [data-testid=change]`).evaluate((e) =>
        [e.dataset.direction, e.dataset.good, e.innerText.replace(/\s+/g, ' ').trim()]);
    // more new leads (better: higher): up, good
    assert.deepEqual(await change('activity.new_leads'), ['up', 'true', norm(`${formatChange(d.activity.new_leads.change_pct)} vs 30 j préc. (en progrès)`)]);
    // fewer messages sent (higher is better): down, bad
    assert.deepEqual(await change('activity.messages_sent'), ['down', 'false', norm(`${formatChange(d.activity.messages_sent.change_pct)} vs 30 j préc. (en recul)`)]);
    // a lower lost rate (better: lower): down, good, in points
    assert.deepEqual(await change('pipeline.lost_rate'), ['down', 'true', norm(`${formatPoints(d.pipeline.lost_rate.change_points)} vs 30 j préc. (en progrès)`)]);
    // a lower acquisition cost (lower is better): down, good
    assert.deepEqual((await change('performance.acquisition_cost')).slice(0, 2), ['down', 'true']);
    // no direction in the glossary: neutral
    assert.deepEqual((await change('activity.avg_messages_per_lead')).slice(0, 2), ['up', 'neutral']);
    const colours = await page.locator('[data-testid="card-activity.new_leads"] [data-testid=change], [data-testid="card-activity.messages_sent"] [data-testid=change]')
        .evaluateAll((els) => els.map((e) => getComputedStyle(e).color));
    assert.notEqual(colours[0], colours[1], 'good and bad news have different colours');
    assert.equal(await page.locator('[data-testid=headline] [data-testid=sparkline]').count(), 5, 'a sparkline on every tile with a series (ROI has none)');

    // the trend chart: a summary as its label, the numbers as a table on demand
    const label = await page.getAttribute('[data-testid=trend] [role=img]', 'aria-label');
    assert.equal(label, `du 28 oct. au 26 nov. 2026, par jour : ${formatNumber(d.activity.new_leads.value)} nouveaux leads, `
        + `${formatNumber(d.qualification.calls_booked.value)} calls réservés, ${formatMoney(d.performance.revenue.value, 'EUR')} de chiffre d’affaires.`);
    assert.equal(await page.locator('[data-testid=trend] [data-series] rect').count(), 3 * d.trend.dates.length, 'one bar per day and series');
    await page.click('[data-testid=trend-table-toggle]');
    const rows = await page.locator('[data-testid=trend-table] tbody tr').evaluateAll((els) => els.map((e) => [...e.children].map((c) => c.textContent.trim())));
    assert.equal(rows.length, d.trend.dates.length);
    assert.deepEqual(rows[0], ['28 oct. 2026', formatNumber(d.trend.new_leads[0]), formatNumber(d.trend.calls_booked[0]), formatMoney(d.trend.revenue[0], 'EUR')]);
    await page.click('[data-testid=trend-table-toggle]');
    assert.equal(await page.locator('[data-testid=trend-table]').count(), 0);
    await context.close();
});

test('a count opens its leads, 50 at a time (keyset), and exports them as CSV for Excel in French, byte for byte', async () => {
    const { context, page } = await openPage(DESKTOP, { acceptDownloads: true });
    const calls = await mockPeriodRpcs(page, mocks);
    await signInToDashboard(page, COACHES[0]);
    await page.waitForSelector('[data-testid=headline]');

    await page.click('[data-testid=headline] [data-drill="qualification.calls_booked"]');
    await page.waitForSelector('[data-testid=drilldown] [data-list=drilldown] [data-row]');
    assert.equal(await text(page, '[data-testid=drilldown-count]'), '120 leads · 50 affichés');
    const ids = () => page.locator('[data-testid=drilldown] [data-row]').evaluateAll((els) => els.map((e) => e.dataset.row));
    assert.deepEqual(await ids(), kpiLeads(120).slice(0, 50).map((l) => l.lead_id));
    await page.click('[data-testid=drilldown-more]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=drilldown] [data-row]').length === 100);
    await page.click('[data-testid=drilldown-more]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=drilldown] [data-row]').length === 120);
    assert.deepEqual(await ids(), kpiLeads(120).map((l) => l.lead_id));
    assert.equal(await page.locator('[data-testid=drilldown-more]').count(), 0, 'no more pages');
    assert.deepEqual(calls.filter((c) => c.fn === 'get_kpi_leads').map((c) => c.body),
        [null, '50', '100'].map((after) => ({ kpi: 'qualification.calls_booked', period: '30d', after, page_size: 50 })));
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('[data-testid=drilldown]')?.open);

    await page.click('[data-testid=headline] [data-drill="performance.deals_closed"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=drilldown] [data-row]').length === 3);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=drilldown-csv]')]);
    assert.equal(download.suggestedFilename(), 'leads_deals-gagnes_30j_2026-10-28_2026-11-26.csv');
    const bytes = readFileSync(await download.path());
    const expected = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(
            'Instagram;Prénom;Statut;Source;Date;Valeur du deal (EUR)\r\n'
            + 'lead.1;"Zoé ""Zozo""; B.";Gagné;DM organique;20/11/2026 14:00;1234,5\r\n'
            + ';Prénom 2;Call réservé;;20/11/2026 14:01;\r\n'
            + 'lead.3;"\'=HYPERLINK(""x"")";Call réservé;DM organique;20/11/2026 14:02;\r\n',
            'utf8'),
    ]);
    assert.deepEqual(bytes, expected);
    await context.close();
});

test('the period dashboard at both sizes: no horizontal scroll, axe-core clean, screenshots', async () => {
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
        const { context, page } = await openPage(viewport);
        await mockPeriodRpcs(page, mocks);
        await signInToDashboard(page, COACHES[0]);
        await page.waitForSelector('[data-testid=headline]');
        await assertNoOverflow(page, `period dashboard (${size})`);
        await axe(page, `period dashboard (${size})`);
        await screenshot(page, `dashboard-period-${size}`);
        await context.close();
    }
});
