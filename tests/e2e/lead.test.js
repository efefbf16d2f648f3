// The lead page in Chromium: a coach searches a lead (accents and case ignored, results as it types; what it typed
// before the search code arrived is kept), opens it, marks
// the call showed and the deal won with 1 200 €; after the next upkeep pass the revenue tile has the 1 200 more and
// the drill-down's CSV lists the lead with 1200; the conversation is in order in the coach's time zone with DM
// numbers and what is unanswered; older messages a page at a time; outcome actions from the follow-up list; French
// errors; axe-core clean at 1440 and 390 px, nothing scrolls sideways; screenshots in artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
    APP_URL, ARTIFACTS, DESKTOP, PHONE, assertNoOverflow, axe, createCoachAccount, db, openPage, periodDashboardInSql, settle,
    setUp, signInToDashboard, tearDown, text,
} from './helpers.js';

/** A full-page screenshot in artifacts/: the lead page is long (a conversation), so it may take longer than the default. */
const screenshot = (page, name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true, timeout: 120_000 });

before(setUp);
after(tearDown);

const EMAIL = `leadpage-${Date.now().toString(36)}@example.org`;
let coach;
let zoe;

/**
 * A coach in Montreal with three leads: Zoé Martin (a booked call, 250 messages, her last one unanswered), Chloé
 * Zoëllner and Marc, to follow up.
 */
before(async () => {
    coach = await createCoachAccount(EMAIL, { name: 'Coach Fiche' });
    await db.query(`update public.coachs set timezone = 'America/Montreal' where id = $1`, [coach]);
    const lead = async (handle, first, last, status, days) => (await db.query(
        `insert into public.leads (coach_id, user_id_instagram, instagram_username, first_name, last_name, email, status, source, created_at)
         values ($1::uuid, 'ig_' || $2 || '_' || $1::text, $2, $3, $4, $2 || '@mail.fr', $5, 'story', now() - $6::int * interval '1 day') returning id`,
        [coach, handle, first, last, status, days])).rows[0].id;
    zoe = await lead('zoe.martin', 'Zoé', 'Martin', 'call_booked', 3);
    await lead('chloe.zoellner', 'Chloé', 'Zoëllner', 'qualified', 9);
    await lead('marc.suivi', 'Marc', 'Suivi', 'engaged', 8);
    await db.query(
        `insert into public.messages (lead_id, coach_id, direction, text, created_at)
         select $1, $2, case when i % 2 = 1 then 'out' else 'in' end, 'Message ' || i, now() - interval '2 days' + i * interval '1 minute'
         from generate_series(1, 250) as i`, [zoe, coach]);
    await settle();
});

/** The revenue of the headline tile as SQL gives it to this coach. */
const revenueInSql = async () => (await periodDashboardInSql(EMAIL, '30d')).performance.revenue.value;

test('search a lead, open it, mark the call showed and won with 1 200 €: the revenue tile and the CSV follow', async () => {
    const { context, page, problems } = await openPage(DESKTOP, { acceptDownloads: true });
    await signInToDashboard(page, EMAIL);
    const before = await revenueInSql();

    // results as the coach types, accents and case ignored, partial words
    await page.fill('[data-testid=lead-search-input]', 'ZOE');
    await page.waitForSelector('[data-testid=lead-search-results] [role=option]');
    const found = await page.locator('[data-testid=lead-search-results] [role=option]').evaluateAll((els) => els.map((e) => e.getAttribute('data-lead')));
    assert.equal(found.length, 2, 'Zoé Martin and Chloé Zoëllner');
    assert.equal(found[0], zoe, 'the name starting with it first');
    await page.fill('[data-testid=lead-search-input]', 'zoé mar');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=lead-search-results] [role=option]').length === 1);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${APP_URL}/leads/${zoe}`);
    await page.waitForSelector('[data-testid=lead-name]');
    assert.equal(await text(page, '[data-testid=lead-name]'), 'Zoé Martin');

    // the conversation: the latest 100, oldest first, in Montreal time, DM numbers, the last one unanswered
    const shown = await page.locator('[data-list=messages] [data-message]').count();
    assert.equal(shown, 100);
    const last = page.locator('[data-list=messages] [data-message]').last();
    assert.equal(await last.getAttribute('data-direction'), 'in');
    assert.equal(await last.locator('[data-field=unanswered]').innerText(), 'sans réponse');
    const { rows: [{ clock }] } = await db.query(
        `select to_char(created_at at time zone 'America/Montreal', 'HH24:MI') as clock from public.messages
         where lead_id = $1 order by created_at desc limit 1`, [zoe]);
    assert.match(await last.innerText(), new RegExp(`Lead · ${clock}`), 'the time in the coach\'s time zone');
    assert.match(await page.locator('[data-list=messages] [data-direction=out]').last().innerText(), /DM 125/);
    await page.click('[data-testid=older-messages]');
    await page.waitForFunction(() => document.querySelectorAll('[data-list=messages] [data-message]').length === 200);

    // showed, then won with 1 200 € in one or two taps
    await page.click('[data-testid=lead-outcome] [data-action=showed]');
    await page.waitForFunction(() => document.querySelector('[data-field=call_showed]')?.textContent === 'présent');
    await page.click('[data-testid=lead-outcome] [data-action=won]');
    await page.fill('[data-testid=deal-value]', '1 200');
    await page.click('[data-testid=won-save]');
    await page.waitForFunction(() => document.querySelector('[data-testid=lead-status]')?.textContent === 'Gagné');
    assert.match(await text(page, '[data-field=deal_value]'), /^1\s200\s€$/);
    assert.match(await text(page, '[data-testid=lead-outcome]'), /\(vous\)/, 'each value says where it comes from');
    const timeline = await text(page, '[data-testid=lead-timeline]');
    assert.match(timeline, /Call : présent/);
    assert.match(timeline, /Gagné · 1\s200\s€/);
    await screenshot(page, 'lead-won-desktop');

    // the next upkeep pass: the revenue tile has the 1 200 more
    await settle();
    const after = await revenueInSql();
    assert.equal(Number(after), Number(before) + 1200);
    await page.click('[data-testid=back]');
    await page.waitForSelector('[data-kpi="performance.revenue"]');
    await page.waitForFunction((v) => document.querySelector('[data-kpi="performance.revenue"]')?.textContent?.replace(/\s/g, '') === v,
        `${new Intl.NumberFormat('fr-FR').format(after)}€`.replace(/\s/g, ''));

    // the drill-down of deals closed and its CSV: the lead with 1200
    await page.click('[data-testid=headline] [data-drill="performance.deals_closed"]');
    await page.waitForSelector(`[data-testid=drilldown] [data-row="${zoe}"]`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=drilldown-csv]')]);
    const csv = readFileSync(await download.path(), 'utf8');
    const line = csv.split('\r\n').find((l) => l.startsWith('zoe.martin;'));
    assert.ok(line, 'the lead is in the CSV');
    assert.match(line, /;Gagné;Story;\d\d\/\d\d\/\d{4} \d\d:\d\d;1200$/);
    assert.deepEqual(problems, []);
    await context.close();
});

test('the search box takes over what was typed before its code arrived (search-box.js loads on demand)', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    // the chunks that call search_leads (the box's code and its RPC) wait until the coach has typed
    let release;
    const gate = new Promise((r) => { release = r; });
    let held = 0;
    await page.route(/\/assets\/chunk-[^/]+\.js$/, async (route) => {
        const response = await route.fetch();
        const body = await response.text();
        if (body.includes('search_leads')) {
            held += 1;
            await gate;
        }
        await route.fulfill({ response, body });
    });
    await signInToDashboard(page, EMAIL);
    await page.fill('[data-testid=lead-search-input]', 'zoé mar');
    assert.ok(held > 0, 'the search code was held back');
    assert.equal(await page.locator('[data-testid=lead-search-results]').count(), 0, 'no results before the code is there');
    release();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=lead-search-results] [role=option]').length === 1);
    assert.equal(await page.inputValue('[data-testid=lead-search-input]'), 'zoé mar');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'lead-search-input', 'the focus stays in the box');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${APP_URL}/leads/${zoe}`);
    assert.deepEqual(problems, []);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await context.close();
});

test('the follow-up list: an outcome in two taps, and a link to the lead page', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    await signInToDashboard(page, EMAIL);
    const row = page.locator('[data-list="pipeline.follow_up"] [data-row]').first();
    await row.waitFor();
    await row.locator('[data-action=open]').click();
    await row.locator('[data-action=followed-up]').click();
    await page.waitForSelector('[data-testid=outcome-done]');
    const id = await row.getAttribute('data-row');
    const { rows: [{ followed_up_at, kind }] } = await db.query(
        `select l.followed_up_at, e.kind from public.leads as l join public.lead_status_events as e on e.lead_id = l.id and e.source = 'coach'
         where l.id = $1`, [id]);
    assert.ok(followed_up_at, 'Relancé recorded');
    assert.equal(kind, 'followed_up');
    await row.locator('[data-field=who]').click();
    await page.waitForURL(`${APP_URL}/leads/${id}`);
    await page.waitForSelector('[data-testid=lead-name]');
    assert.deepEqual(problems, []);
    await context.close();
});

test('bad input and unknown leads read in French', async () => {
    const { context, page } = await openPage(DESKTOP);
    await signInToDashboard(page, EMAIL);
    await page.goto(`${APP_URL}/leads/${zoe}`);
    await page.click('[data-testid=lead-outcome] [data-action=won]');
    await page.fill('[data-testid=deal-value]', '2000000');
    await page.click('[data-testid=won-save]');
    await page.waitForSelector('[data-testid=won-dialog] [role=alert]');
    assert.match(await text(page, '[data-testid=won-dialog] [role=alert]'), /au plus 1 000 000/);
    await page.keyboard.press('Escape');
    await page.goto(`${APP_URL}/leads/00000000-0000-4000-8000-00000000dead`);
    await page.waitForSelector('[data-testid=lead-error]');
    assert.match(await text(page, '[data-testid=lead-error]'), /Ce lead est introuvable/);
    await context.close();
});

test('the lead page at 1440 and 390 px: axe-core clean, no sideways scroll', async () => {
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
        const { context, page, problems } = await openPage(viewport);
        await signInToDashboard(page, EMAIL);
        await page.goto(`${APP_URL}/leads/${zoe}`);
        await page.waitForSelector('[data-testid=lead-conversation]');
        await assertNoOverflow(page, `lead (${size})`);
        await axe(page, `lead (${size})`);
        await page.fill('[data-testid=lead-search-input]', 'zo');
        await page.waitForSelector('[data-testid=lead-search-results] [role=option]');
        await axe(page, `lead search (${size})`);
        await page.keyboard.press('Escape');
        await page.click('[data-testid=lead-outcome] [data-action=lost]');
        await page.waitForSelector('[data-testid=lost-dialog] [data-testid=lost-reason]');
        await axe(page, `lost dialog (${size})`);
        await screenshot(page, `lead-lost-dialog-${size}`);
        await page.keyboard.press('Escape');
        await screenshot(page, `lead-${size}`);
        assert.deepEqual(problems, []);
        await context.close();
    }
});
