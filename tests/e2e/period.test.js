// The period features of the page (issue 11, items 1, 2 and 4) against the real stack: what the page shows equals
// get_dashboard(period), get_kpi_definitions() and get_kpi_leads() run in SQL as the same user.
//   - the period selector is in the URL (?periode=7j), 30 j by default; each choice asks for that period and every
//     tile shows what SQL returns for it; the glossary is fetched once;
//   - changes against the previous period: an arrow, green when good news by the KPI's `better`, red when bad;
//   - sparklines on the tiles; the trend chart with its summary and its table on demand;
//   - a count opens its leads (keyset pages of 50, the same pages as SQL) and exports them as CSV, checked byte for byte
//     against SQL's rows on a coach made for it (quotes, separators, a formula, decimals, another time zone).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
    formatChange, formatDay, formatDayRange, formatMoney, formatNumber, formatPoints, formatRate,
} from '../../web/src/format.js';
import {
    APP_URL, COACHES, DESKTOP, PHONE, assertNoOverflow, assertTrendBars, axe, createCoachAccount, db, kpiDefinitionsInSql, kpiLeadsInSql,
    openPage, periodDashboardInSql, screenshot, settle, setUp, signInToDashboard, sqlAs, tearDown, text,
} from './helpers.js';

before(setUp);
after(tearDown);

/** The tiles' values as the page shows them, and what the SQL document says they must be. */
const tiles = (page) => page.locator('[data-testid=headline] [data-kpi]').evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [e.dataset.kpi, e.textContent.trim()])));
const expectedTiles = (d) => ({
    'activity.new_leads': formatNumber(d.activity.new_leads.value),
    'reply_rates.1.value': formatRate(d.reply_rates[0].rate),
    'reply_rates.1.den': formatNumber(d.reply_rates[0].rate.den),
    'qualification.calls_booked': formatNumber(d.qualification.calls_booked.value),
    'performance.deals_closed': formatNumber(d.performance.deals_closed.value),
    'performance.revenue': formatMoney(d.performance.revenue.value, d.coach.currency),
    'performance.roi': formatRate(d.performance.roi),
});
// loaded, and every part of the dashboard rendered (the page renders the headline first, then one part per frame)
const idle = (page) => page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === 'false'
    && (!document.querySelector('[data-testid=headline]') || document.querySelector('[data-section=performance]')));

test('the period is in the URL, 30 j by default; every tile shows what SQL returns for the period picked', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    const email = COACHES[0];
    const labels = await kpiDefinitionsInSql(email);
    const periods = [];
    const glossary = [];
    page.on('request', (r) => {
        if (r.url().endsWith('/rpc/get_dashboard') && r.postDataJSON()?.period) periods.push(r.postDataJSON().period);
        if (r.url().endsWith('/rpc/get_kpi_definitions')) glossary.push(r.url());
    });
    // the documents the page received (SQL's document below may be a minute later: previous.until moves with the clock)
    const received = [];
    page.on('response', async (r) => {
        if (r.url().endsWith('/rpc/get_dashboard') && r.ok()) received.push(await r.json().catch(() => null));
    });
    await signInToDashboard(page, email);
    await page.waitForSelector('[data-testid=period-selector]');
    assert.deepEqual(periods, ['30d'], 'one call, for 30 days');
    assert.equal(new URL(page.url()).search, '', 'the default needs no parameter');
    assert.equal(await text(page, '[data-testid=period-selector] [aria-current=page]'), '30 j');
    const d30 = await periodDashboardInSql(email, '30d');
    assert.deepEqual(await tiles(page), expectedTiles(d30));
    // a period that ends today is compared up to the same local time on the previous period's last day (previous.until)
    assert.ok(d30.period.previous.until, 'SQL cuts the previous period of a period ending today');
    const shown = received.at(-1)?.period?.previous?.until;
    assert.ok(shown && Math.abs(Date.parse(d30.period.previous.until) - Date.parse(shown)) < 120_000, `the page's cut (${shown}) is SQL's, up to the minute between the two reads`);
    assert.equal(await text(page, '[data-testid=period-range]'),
        `${formatDayRange(d30.period.start, d30.period.end)}, comparé ${formatDayRange(d30.period.previous.start, d30.period.previous.end)}`
        + ` (jusqu’à ${localClock(shown, d30.period.timezone)} le dernier jour)`);
    // titles from get_kpi_definitions, the DM 1 tile's too
    assert.equal(await text(page, '[data-testid="card-performance.deals_closed"] h3'), labels['performance.deals_closed'].label);
    assert.equal(await text(page, '[data-testid=headline] [data-testid="card-reply_rates.1"] h3'), labels['reply_rates.1'].label);

    for (const [param, key, label] of [['7j', '7d', '7 j'], ['aujourdhui', 'today', 'Aujourd’hui'], ['90j', '90d', '90 j']]) {
        const answered = page.waitForResponse((r) => r.url().endsWith('/rpc/get_dashboard') && r.request().postDataJSON()?.period === key);
        await page.click(`[data-testid=period-selector] [data-period="${param}"]`);
        await page.waitForURL(`${APP_URL}/dashboard?periode=${param}`);
        await answered;
        await page.waitForFunction((n) => document.querySelector('[data-testid=period-selector] [aria-current=page]')?.textContent === n
            && document.querySelector('main')?.getAttribute('aria-busy') === 'false', label);
        assert.deepEqual(await tiles(page), expectedTiles(await periodDashboardInSql(email, key)), `tiles for ${param}`);
        assert.equal(periods.at(-1), key);
    }
    assert.equal(glossary.length, 1, 'the glossary is fetched once, not with every period');
    // a link reopens the same view; back goes to the previous period
    const back = page.waitForResponse((r) => r.url().endsWith('/rpc/get_dashboard') && r.request().postDataJSON()?.period === 'today');
    await page.goBack();
    await page.waitForURL(`${APP_URL}/dashboard?periode=aujourdhui`);
    await back;
    await idle(page);
    assert.deepEqual(await tiles(page), expectedTiles(await periodDashboardInSql(email, 'today')));
    await page.goto(`${APP_URL}/dashboard?periode=tout`);
    await page.waitForSelector('[data-testid=headline]');
    assert.equal(periods.at(-1), 'all');
    assert.deepEqual(await tiles(page), expectedTiles(await periodDashboardInSql(email, 'all')));
    assert.equal(await page.locator('[data-testid=headline] [data-testid=change]').count(), 0, '"Tout" has no previous period');
    assert.equal(await text(page, '[data-testid=period-range]'), 'Depuis le début');
    await page.goto(`${APP_URL}/dashboard?periode=n-importe-quoi`);
    await page.waitForSelector('[data-testid=headline]');
    assert.equal(periods.at(-1), '30d', 'an unknown period falls back to 30 j');
    assert.deepEqual(problems, []);
    await context.close();
});

/** "14:10": the local time of an instant in a time zone (how the page says where the previous period is cut). */
const localClock = (iso, timeZone) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
    return `${parts.hour}:${parts.minute}`;
};

/** The value of a card's KPI in a period document: a Metric or a PeriodRate ("reply_rates.2" is the rate of DM 2). */
const kpiIn = (d, kpi) => {
    const dm = /^reply_rates\.(\d)$/.exec(kpi);
    if (dm) return d.reply_rates.find((r) => r.message_number === Number(dm[1])).rate;
    return kpi.split('.').reduce((o, k) => o?.[k], d);
};
/** The change a card must show for its KPI, from SQL and the glossary's `better`, or null for none. */
const expectedChange = (d, defs, kpi, versus) => {
    const v = kpiIn(d, kpi);
    if (!d.period.previous || !v) return null;
    // SQL says the two sides cannot be compared (a side under the low-sample rule): said in grey, no arrow
    if (v.comparable === false) return [undefined, undefined, 'comparaison non significative'];
    const isRate = v && 'change_points' in v;
    const delta = isRate ? (v.low_sample ? null : v.change_points) : v?.change_pct;
    if (delta == null) return null;
    const better = defs[kpi]?.better;
    const good = delta === 0 || !better ? 'neutral' : String((delta > 0) === (better === 'higher'));
    const words = good === 'neutral' ? '' : good === 'true' ? ' (en progrès)' : ' (en recul)';
    const shown = `${isRate ? formatPoints(delta) : formatChange(delta)} ${versus}${words}`.replace(/\s+/g, ' '); // as innerText, spaces folded
    return [delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat', good, shown];
};

test('changes: an arrow, green for good news and red for bad by the KPI\'s direction, as SQL says; sparklines; the trend and its table', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    const email = COACHES[0];
    await signInToDashboard(page, email);
    await page.goto(`${APP_URL}/dashboard?periode=7j`);
    await page.waitForSelector('[data-testid=headline]');
    await idle(page);
    const d = await periodDashboardInSql(email, '7d');
    const defs = await kpiDefinitionsInSql(email);

    // every change on the page is SQL's, with the arrow and the colour of its KPI's direction
    const shown = await page.locator('[data-testid^="card-"] [data-testid=change]').evaluateAll((els) => els.map((e) => [
        e.closest('[data-testid^="card-"]').dataset.testid.slice('card-'.length),
        [e.dataset.direction, e.dataset.good, e.innerText.replace(/\s+/g, ' ').trim()],
    ]));
    assert.ok(shown.length >= 10, `changes on the page (${shown.length})`);
    for (const [kpi, change] of shown) assert.deepEqual(change, expectedChange(d, defs, kpi, 'vs 7 j préc.'), kpi);
    // and every KPI of the headline and the main cards whose change SQL gives shows it
    for (const kpi of ['activity.new_leads', 'reply_rates.1', 'qualification.calls_booked', 'performance.deals_closed', 'performance.revenue',
        'performance.roi', 'activity.messages_sent', 'qualification.qualified_leads', 'pipeline.lost_rate', 'performance.acquisition_cost']) {
        if (expectedChange(d, defs, kpi, '')) assert.ok(shown.some(([k]) => k === kpi), `${kpi} shows its change`);
    }
    const tones = await page.locator('[data-testid=change][data-good]').evaluateAll((els) =>
        Object.fromEntries(els.map((e) => [e.dataset.good, getComputedStyle(e).color])));
    assert.ok(tones.true || tones.false, 'good or bad news on the page');
    if (tones.true && tones.false) assert.notEqual(tones.true, tones.false, 'good and bad news have different colours');
    if (tones.neutral) assert.ok(tones.neutral !== tones.true && tones.neutral !== tones.false, 'a change that is neither is grey');

    // a sparkline on every tile whose series has two points or more (ROI has none)
    const t = d.trend;
    const drawn = [t.new_leads, t.dm1_reply_rate, t.calls_booked, t.deals_won, t.revenue].filter((s) => s.filter((v) => v != null).length > 1).length;
    assert.equal(await page.locator('[data-testid=headline] [data-testid=sparkline]').count(), drawn);
    // the DM 1 sparkline draws SQL's rates (one point per day that has one)
    assert.equal(await page.locator('[data-testid="card-reply_rates.1"] [data-testid=sparkline] path').first().evaluate((e) =>
        e.getAttribute('d').split(/[ML]/).filter(Boolean).length), t.dm1_reply_rate.filter((v) => v != null).length);

    // the trend chart: a summary as its label, the numbers as a table on demand, all SQL's
    const label = await page.getAttribute('[data-testid=trend] [role=img]', 'aria-label');
    assert.equal(label, `${formatDayRange(d.period.start, d.period.end)}, par jour : ${formatNumber(d.activity.new_leads.value)} nouveaux leads, `
        + `${formatNumber(d.qualification.calls_booked.value)} calls réservés, ${formatMoney(d.performance.revenue.value, d.coach.currency)} de chiffre d’affaires.`);
    // one path of bars per series, a bar per day, each as high as its value over the series' maximum (SQL's values)
    await assertTrendBars(page, t, 'day');
    await page.click('[data-testid=trend-table-toggle]');
    const rows = await page.locator('[data-testid=trend-table] tbody tr').evaluateAll((els) => els.map((e) => [...e.children].map((c) => c.textContent.trim())));
    assert.deepEqual(rows, t.dates.map((day, i) => [formatDay(day, true), formatNumber(t.new_leads[i]), formatNumber(t.calls_booked[i]),
        formatMoney(t.revenue[i], d.coach.currency)]));
    await page.click('[data-testid=trend-table-toggle]');
    assert.equal(await page.locator('[data-testid=trend-table]').count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
});

/** The lead ids listed in the open drill-down. */
const listed = (page) => page.locator('[data-testid=drilldown] [data-row]').evaluateAll((els) => els.map((e) => e.dataset.row));
const ids = (pages) => pages.flatMap((p) => p.rows.map((r) => r.lead_id));

test('a count opens its leads for the period: the same pages of 50 as get_kpi_leads in SQL, for plain and labelled counts', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    const email = COACHES[0];
    const bodies = [];
    page.on('request', (r) => r.url().endsWith('/rpc/get_kpi_leads') && bodies.push(r.postDataJSON()));
    await signInToDashboard(page, email);
    await page.goto(`${APP_URL}/dashboard?periode=tout`);
    await page.waitForSelector('[data-testid=headline] [data-drill]');
    const d = await periodDashboardInSql(email, 'all');
    const pages = await kpiLeadsInSql(email, 'activity.new_leads', d.period);
    assert.equal(pages[0].total, d.activity.new_leads.value, 'SQL: the list is as long as the count');
    assert.ok(pages.length >= 3, 'Julie\'s leads take three pages');

    await page.click('[data-testid=headline] [data-drill="activity.new_leads"]');
    await page.waitForSelector('[data-testid=drilldown] [data-list=drilldown] [data-row]');
    assert.equal(await text(page, '[data-testid=drilldown-count]'), `${formatNumber(pages[0].total)} leads · 50 affichés`);
    assert.deepEqual(await listed(page), ids(pages.slice(0, 1)));
    for (const r of pages[0].rows.slice(0, 5)) {
        const who = r.instagram_username ? `@${r.instagram_username}` : (r.first_name ?? 'Lead sans pseudo');
        assert.ok((await text(page, `[data-testid=drilldown] [data-row="${r.lead_id}"]`)).startsWith(who), `${r.lead_id} reads ${who}`);
    }
    for (let n = 2; n <= pages.length; n++) {
        await page.click('[data-testid=drilldown-more]');
        await page.waitForFunction((k) => document.querySelectorAll('[data-testid=drilldown] [data-row]').length === k, ids(pages.slice(0, n)).length);
    }
    assert.deepEqual(await listed(page), ids(pages), 'every page, in SQL\'s order');
    assert.equal(await page.locator('[data-testid=drilldown-more]').count(), 0, 'no more pages');
    assert.deepEqual(bodies, pages.map((p, i) => ({
        kpi: 'activity.new_leads', period: 'range', period_start: d.period.start, period_end: d.period.end,
        after: i ? pages[i - 1].next : null, page_size: 50,
    })), 'the page asks for the document\'s own days and follows SQL\'s cursors');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('[data-testid=drilldown]')?.open);

    // labelled counts and rates' leads, over 30 days: the first page and the total are SQL's
    await page.goto(`${APP_URL}/dashboard`);
    await page.waitForSelector('[data-testid=headline] [data-drill]');
    await page.locator('section[data-section] details:not([open]) summary').evaluateAll((els) => els.forEach((e) => e.click()));
    const d30 = await periodDashboardInSql(email, '30d');
    const counts = [
        ['reply_rates.1', `[data-testid=headline] [data-drill="reply_rates.1"]`],
        [`activity.top_sources:${d30.activity.top_sources[0].label}`, `[data-drill="activity.top_sources:${d30.activity.top_sources[0].label}"]`],
        ['qualification.funnel:qualified', '[data-drill="qualification.funnel:qualified"]'],
        [`pipeline.lost_reasons:${d30.pipeline.lost_reasons[0].label}`, `[data-drill="pipeline.lost_reasons:${d30.pipeline.lost_reasons[0].label}"]`],
        [`performance.lead_quality_by_source:${d30.performance.lead_quality_by_source[0].source}`,
            `[data-drill="performance.lead_quality_by_source:${d30.performance.lead_quality_by_source[0].source}"]`],
        ['pipeline.lost_in_period', '[data-drill="pipeline.lost_in_period"]'],
    ];
    for (const [kpi, selector] of counts) {
        const [sql] = await kpiLeadsInSql(email, kpi, d30.period, 50);
        const shownCount = await text(page, selector);
        assert.equal(shownCount, formatNumber(sql.total), `${kpi}: the count on screen is the list's total`);
        await page.click(selector);
        await page.waitForFunction((n) => document.querySelectorAll('[data-testid=drilldown] [data-row]').length === n, sql.rows.length);
        assert.deepEqual(await listed(page), ids([sql]), kpi);
        assert.match(await text(page, '[data-testid=drilldown-count]'), new RegExp(`^${formatNumber(sql.total).replace(/\s/g, '\\s')} leads?`));
        await page.keyboard.press('Escape');
        await page.waitForFunction(() => !document.querySelector('[data-testid=drilldown]')?.open);
    }
    assert.deepEqual(problems, []);
    await context.close();
});

/**
 * A coach made for the export, in Montréal's time zone and Canadian dollars, with four deals won in the last days:
 * a name with quotes and a separator, no Instagram handle, a first name a spreadsheet would run as a formula, a
 * first name starting with a space; decimal, missing and whole deal values.
 */
async function exportCoach() {
    const email = `export-${Date.now()}@example.com`;
    const id = await createCoachAccount(email, { name: 'Coach Export' });
    await db.query("update public.coachs set timezone = 'America/Montreal' where id = $1", [id]);
    await db.query("update public.coach_settings set currency = 'CAD' where coach_id = $1", [id]);
    const leads = [
        // instagram_username, first_name, source, deal_value, won (days ago, Montréal wall clock)
        ['zoe.b', 'Zoé "Zozo"; B.', 'dm_organique', 1234.5, 3, '14:00'],
        [null, 'Sans pseudo', null, null, 3, '09:05'],
        ['lead.3', '=HYPERLINK("x")', 'story_2', 99.9, 2, '23:59'],
        ['marc_lyon', ' Marc', 'ads', 2000, 1, '00:01'],
    ];
    for (const [i, [username, firstName, source, deal, daysAgo, at]] of leads.entries()) {
        const { rows: [{ lead }] } = await db.query(
            `insert into public.leads (coach_id, user_id_instagram, instagram_username, first_name, source, deal_value, created_at)
             values ($1, $2, $3, $4, $5, $6, ((now() at time zone 'America/Montreal')::date - 10)::timestamp at time zone 'America/Montreal')
             returning id as lead`, [id, `export_${id}_${i}`, username, firstName, source, deal]);
        await db.query(`update public.leads set status = 'won',
                status_changed_at = (((now() at time zone 'America/Montreal')::date - $2::int) + $3::time) at time zone 'America/Montreal'
            where id = $1`, [lead, daysAgo, at]);
    }
    await settle();
    return email;
}

/** Each exported lead's own fields, written out by hand as Excel in French must read them. */
const CSV_FIELDS = {
    'zoe.b': 'zoe.b;"Zoé ""Zozo""; B.";Gagné;DM organique',
    null: ';Sans pseudo;Gagné;',
    'lead.3': 'lead.3;"\'=HYPERLINK(""x"")";Gagné;Story 2',
    marc_lyon: 'marc_lyon;" Marc";Gagné;Publicité',
};

test('the CSV of a drill-down is SQL\'s rows, byte for byte: BOM, ";", decimal commas, local times, the KPI and period in its name', async () => {
    const email = await exportCoach();
    const { context, page, problems } = await openPage(DESKTOP, { acceptDownloads: true });
    await signInToDashboard(page, email);
    await page.waitForSelector('[data-testid=headline] [data-drill="performance.deals_closed"]');
    const d = await periodDashboardInSql(email, '30d');
    const [sql] = await kpiLeadsInSql(email, 'performance.deals_closed', d.period, 500);
    assert.equal(sql.total, 4);
    assert.equal(await text(page, '[data-kpi="performance.deals_closed"]'), '4');

    await page.click('[data-testid=headline] [data-drill="performance.deals_closed"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=drilldown] [data-row]').length === 4);
    assert.deepEqual(await listed(page), ids([sql]));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=drilldown-csv]')]);
    assert.equal(download.suggestedFilename(), `leads_deals-conclus_30j_${d.period.start}_${d.period.end}.csv`);
    const bytes = readFileSync(await download.path());

    // the date and the amount of each row formatted by SQL, the row order SQL's
    const lines = [];
    for (const r of sql.rows) {
        const [{ day, amount }] = await sqlAs(email, `select to_char($1::timestamptz at time zone 'America/Montreal', 'DD/MM/YYYY HH24:MI') as day,
            coalesce(replace(trim_scale($2::numeric)::text, '.', ','), '') as amount`, [r.event_at, r.deal_value]);
        lines.push(`${CSV_FIELDS[r.instagram_username]};${day};${amount}\r\n`);
    }
    const expected = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(`Instagram;Prénom;Statut;Source;Date;Valeur du deal (CAD)\r\n${lines.join('')}`, 'utf8'),
    ]);
    assert.deepEqual(bytes, expected);
    assert.ok(bytes.includes(Buffer.from(';1234,5\r\n')) && bytes.includes(Buffer.from(';99,9\r\n')), 'decimal commas');
    assert.deepEqual(problems, []);
    await context.close();
});

test('the drill-down at both sizes: no horizontal scroll, axe-core clean, screenshots', async () => {
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
        const { context, page, problems } = await openPage(viewport);
        await signInToDashboard(page, COACHES[0]);
        await page.click('[data-testid=headline] [data-drill="qualification.calls_booked"]');
        await page.waitForSelector('[data-testid=drilldown] [data-row]');
        await assertNoOverflow(page, `drill-down (${size})`);
        const wide = await page.locator('[data-testid=drilldown] [data-row]').evaluateAll((els) =>
            els.filter((e) => e.getBoundingClientRect().right > window.innerWidth).length);
        assert.equal(wide, 0, `drill-down (${size}): no row leaves the screen`);
        await axe(page, `drill-down (${size})`);
        await screenshot(page, `drilldown-${size}`);
        assert.deepEqual(problems, []);
        await context.close();
    }
});
