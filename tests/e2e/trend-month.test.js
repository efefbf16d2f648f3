// The trend of a period longer than a year has monthly buckets (issue 23: at most 90 buckets, period.bucket 'month'):
// the page draws one bar per month and series, says "par mois", and its table names each month (the first bucket by
// the period's first day), every number as SQL's get_dashboard(period => 'all') for a coach with 14 months of history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { formatDay, formatDayRange, formatMoney, formatMonth, formatNumber } from '../../web/src/format.js';
import {
    APP_URL, ARTIFACTS, DESKTOP, PHONE, assertNoOverflow, assertTrendBars, axe, createCoachAccount, db, openPage, periodDashboardInSql,
    settle, setUp, signInToDashboard, tearDown,
} from './helpers.js';

const email = `trend-month-${Date.now()}@example.com`;

before(setUp);
after(async () => {
    await db?.query('delete from public.coachs where email = $1', [email]).catch(() => {});
    await db?.query('delete from auth.users where email = $1', [email]).catch(() => {});
    await tearDown();
});

test('all over 14 months: monthly buckets, drawn and listed as SQL returns them', async () => {
    const id = await createCoachAccount(email, { name: 'Coach Mois' });
    await db.query(
        `insert into public.leads (coach_id, user_id_instagram, created_at, source)
         select $1::uuid, 'trend_month_' || $1::uuid::text || '_' || k, now() - make_interval(months => k, days => 3), 'story'
         from generate_series(0, 14) as k`, [id]);
    await settle();
    const d = await periodDashboardInSql(email, 'all');
    const t = d.trend;
    assert.equal(d.period.bucket, 'month', 'SQL: more than 366 days are monthly');
    assert.equal(t.bucket, 'month');
    assert.ok(t.dates.length >= 15 && t.dates.length <= 16, `one bucket per month (${t.dates.length})`);

    const { context, page, problems } = await openPage(DESKTOP);
    await signInToDashboard(page, email);
    await page.goto(`${APP_URL}/dashboard?periode=tout`);
    await page.waitForSelector('[data-testid=trend]');
    await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === 'false');
    const label = await page.getAttribute('[data-testid=trend] [role=img]', 'aria-label');
    assert.equal(label, `${formatDayRange(d.period.start, d.period.end)}, par mois : ${formatNumber(d.activity.new_leads.value)} nouveaux leads, `
        + `${formatNumber(d.qualification.calls_booked.value)} calls réservés, ${formatMoney(d.performance.revenue.value, d.coach.currency)} de chiffre d’affaires.`);
    // one path of bars per series, a bar per month, each as high as its value over the series' maximum (SQL's values)
    await assertTrendBars(page, t, 'month');
    await page.click('[data-testid=trend-table-toggle]');
    assert.equal(await page.locator('[data-testid=trend-table] thead th').first().innerText(), 'Mois');
    const rows = await page.locator('[data-testid=trend-table] tbody tr').evaluateAll((els) => els.map((e) => [...e.children].map((c) => c.textContent.trim())));
    assert.deepEqual(rows, t.dates.map((day, i) => [i === 0 ? formatDay(day, true) : formatMonth(day), formatNumber(t.new_leads[i]),
        formatNumber(t.calls_booked[i]), formatMoney(t.revenue[i], d.coach.currency)]));
    assert.equal(t.new_leads.reduce((a, b) => a + b, 0), 15, 'the 15 leads, one a month');
    await axe(page, 'monthly trend and its table');
    await page.locator('[data-testid=trend-card]').screenshot({ path: join(ARTIFACTS, 'trend-month-1440.png') });
    assert.deepEqual(problems, []);
    await context.close();

    // on a phone: the same bars, no horizontal scroll
    const phone = await openPage(PHONE);
    await signInToDashboard(phone.page, email);
    await phone.page.goto(`${APP_URL}/dashboard?periode=tout`);
    await phone.page.waitForSelector('[data-testid=trend]');
    assert.deepEqual(await phone.page.locator('[data-testid=trend-bars]').evaluateAll((els) => els.map((e) => e.getAttribute('d').split('M').length - 1)),
        [t.dates.length, t.dates.length, t.dates.length]);
    await assertNoOverflow(phone.page, 'monthly trend on a phone');
    await phone.page.locator('[data-testid=trend-card]').screenshot({ path: join(ARTIFACTS, 'trend-month-390.png') });
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
});
