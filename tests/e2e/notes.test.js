// Timeline notes on the page (issue 22), against the real stack: a coach adds a dated note; the list shows the
// before/after that get_timeline_notes returns in SQL for the same user (the page's low-sample rule: "comparaison non
// significative"); the trend marks the note's bucket and its tooltip names it; an admin reads the notes without the
// form; deleting removes it; axe-core 0 and no sideways scroll at 1440 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { formatChange, formatMoney, formatNumber, formatPoints, formatRate } from '../../web/src/format.js';
import { todayIn } from '../../web/src/period.js';
import {
    ADMIN, APP_URL, COACHES, DESKTOP, PHONE, assertNoOverflow, axe, db, openPage, screenshot, setUp, signIn, signInToDashboard, sqlAs, tearDown,
} from './helpers.js';

before(setUp);
after(async () => {
    await db.query(`delete from private.timeline_notes where note like 'e2e %'`);
    await tearDown();
});

const idle = (page) => page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === 'false');
const squash = (t) => t.replace(/\s+/g, ' ').trim();

/** A note's before/after as the page must show it, from get_timeline_notes' `compare` (the page's formatters). */
const expectedRows = (c) => {
    const money = (n) => formatMoney(n, 'EUR');
    const cell = (m, fmt) => [fmt(m.previous), fmt(m.value), m.comparable ? formatChange(m.change_pct) : 'comparaison non significative'];
    return [
        cell(c.new_leads, formatNumber),
        [formatRate(c.dm1_reply_rate.previous), formatRate(c.dm1_reply_rate), c.dm1_reply_rate.comparable ? formatPoints(c.dm1_reply_rate.change_points) : 'comparaison non significative'],
        cell(c.calls_booked, formatNumber), cell(c.deals_won, formatNumber), cell(c.revenue, money),
    ].map((r) => r.map(squash));
};

/** The before/after rows the page shows for a note. */
const shownRows = (page, id) => page.locator(`[data-note="${id}"] tbody tr`).evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.replace(/\s+/g, ' ').trim())));

test('the seed\'s note (npm start): Julie sees it on her dashboard with get_timeline_notes\' before/after', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    const email = COACHES[0];
    const [seeded] = await sqlAs(email, `select e as n from jsonb_array_elements(public.get_timeline_notes()) as e where e ->> 'note' like 'Nouveau script d’accroche%'`);
    assert.ok(seeded, 'supabase/seed.sql gives Julie a timeline note');
    assert.ok(seeded.n.compare, 'the seed has data before the note');
    await signInToDashboard(page, email);
    await page.waitForSelector(`[data-note="${seeded.n.id}"] [data-testid=note-compare]`);
    await idle(page);
    assert.match(await page.innerText(`[data-note="${seeded.n.id}"]`), /Nouveau script d’accroche : deux versions du 1er DM en test/);
    assert.deepEqual(await shownRows(page, seeded.n.id), expectedRows(seeded.n.compare));
    assert.deepEqual(problems, []);
    await context.close();
});

test('a coach adds a note: its before/after equals get_timeline_notes, the trend marks it, it can be deleted', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    const email = COACHES[0];
    await signInToDashboard(page, email);
    await page.waitForSelector('[data-testid=note-form]');
    await idle(page);
    const today = todayIn('Europe/Paris');
    const day = new Date(Date.parse(`${today}T00:00:00Z`) - 5 * 86400000).toISOString().slice(0, 10);
    await page.click('[data-testid=note-add]');
    assert.equal(await page.innerText('[data-testid=note-error]'), 'Écrivez la note.');
    await page.fill('[data-testid=note-form] input[name=day]', day);
    await page.fill('[data-testid=note-form] input[name=note]', 'e2e nouveau script d’accroche');
    await page.click('[data-testid=note-add]');
    // the seed's note is there already: wait for this one
    await page.waitForSelector('[data-testid=notes] [data-note]:has-text("e2e nouveau script") [data-testid=note-compare]');
    const [note] = (await sqlAs(email, `select e as n from jsonb_array_elements(public.get_timeline_notes()) as e where e ->> 'note' = 'e2e nouveau script d’accroche'`));
    const c = note.n.compare;
    assert.deepEqual(await shownRows(page, note.n.id), expectedRows(c));
    assert.equal(c.days, 6, 'the note is 5 days ago: 6 days each side');

    // the marker on the trend, and the tooltip of its bucket
    assert.ok(await page.locator('[data-testid=trend-marker]').count() >= 1);
    const doc = (await sqlAs(email, `select public.get_dashboard(period => '30d') as d`))[0].d;
    const index = doc.trend.dates.filter((d) => d <= day).length - 1;
    await page.focus('[data-testid=trend-interactive]');
    await page.keyboard.press('Home');
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowRight');
    assert.match(await page.innerText('[data-testid=trend-tooltip]'), /e2e nouveau script/);
    await page.keyboard.press('Escape');
    await screenshot(page, 'notes-1440');

    // delete
    await page.click(`[data-note="${note.n.id}"] [data-testid=note-delete]`);
    await page.waitForSelector(`[data-note="${note.n.id}"]`, { state: 'detached' });
    assert.equal((await db.query(`select count(*)::int as n from private.timeline_notes where id = $1`, [note.n.id])).rows[0].n, 0);
    assert.deepEqual(problems, []);
    await context.close();
});

test('an admin reads a coach\'s notes without the form', async () => {
    const { rows: [julie] } = await db.query(`select id from auth.users where email = $1`, [COACHES[0]]);
    await db.query(`insert into private.timeline_notes (coach_id, day, note) values ($1, (now() at time zone 'Europe/Paris')::date - 2, 'e2e vacances')`, [julie.id]);
    const { context, page } = await openPage(DESKTOP);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.waitForURL(/\/admin/);
    await page.goto(`${APP_URL}/dashboard?coach=${julie.id}`);
    await page.waitForSelector('[data-testid=notes] [data-note]');
    assert.match(await page.innerText('[data-testid=notes]'), /e2e vacances/);
    assert.equal(await page.locator('[data-testid=note-form]').count(), 0, 'read-only: no form');
    assert.equal(await page.locator('[data-testid=note-delete]').count(), 0, 'read-only: no delete');
    await context.close();
});

for (const viewport of [DESKTOP, PHONE]) {
    test(`notes: axe-core 0 violations, no sideways scroll at ${viewport.width} px`, async () => {
        const { context, page } = await openPage(viewport);
        await signInToDashboard(page, COACHES[0]);
        await page.waitForSelector('[data-testid=notes] [data-note]');
        await idle(page);
        await axe(page, `notes ${viewport.width}`);
        await assertNoOverflow(page, `notes ${viewport.width}`);
        await page.locator('[data-testid=notes-card]').screenshot({ path: `${process.cwd()}/artifacts/notes-card-${viewport.width}.png` });
        await context.close();
    });
}
