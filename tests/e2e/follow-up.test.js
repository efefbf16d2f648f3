// "À relancer aujourd'hui": the high-priority leads first, their number in the badge (follow_up_counts.high), the
// others behind "Voir tout"; every lead links to its Instagram conversation (ig.me) and profile in a new tab, the
// handle is never cut on a phone, the list is paginated (10 rows, 5 on a phone) and its pages after the document's
// 100 most urgent leads come from get_leads_to_followup(period => …), in SQL's order (the same facts as the
// document's list).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { formatNumber } from '../../web/src/format.js';
import {
    COACHES, DESKTOP, PHONE, createCoachAccount, openPage, periodDashboardInSql, setUp, signInToDashboard, sqlAs, tearDown, text,
} from './helpers.js';

before(setUp);
after(tearDown);

const rowsOnPage = (page) => page.locator('[data-list="pipeline.follow_up"] [data-row]').evaluateAll((els) => els.map((e) => ({
    id: e.dataset.row,
    who: e.querySelector('[data-field=who]').textContent.trim(),
    days: e.querySelector('[data-field=days]').textContent.trim(),
    conversation: e.querySelector('[data-link=conversation]')?.getAttribute('href') ?? null,
    profile: e.querySelector('[data-link=profile]')?.getAttribute('href') ?? null,
    targets: [...e.querySelectorAll('a[data-link]')].map((a) => `${a.target} ${a.rel}`), // Instagram's (the name opens the lead page)
})));

test('the follow-up list: the high-priority leads first (their number in the badge), links in a new tab, pages of 10 in SQL\'s order, the rest behind "Voir tout"', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    await signInToDashboard(page, COACHES[0]);
    const d = await periodDashboardInSql(COACHES[0]);
    const list = d.pipeline.follow_up;
    const { high, medium, low } = d.pipeline.follow_up_counts;
    assert.equal(high + medium + low, d.pipeline.leads_to_follow_up);
    assert.ok(high > 10 && medium + low > 0, 'the seed gives Julie more than a page of high-priority leads, and others');
    assert.equal((await page.textContent('[data-testid=follow-up-count]')).trim(), `${formatNumber(high)} en priorité haute`);
    const summary = await text(page, '[data-testid=follow-up-summary]');
    assert.ok(summary.startsWith(`${formatNumber(high)} en priorité haute, ${formatNumber(medium + low)} autres à relancer. `
        + 'Un lien ouvre la conversation Instagram dans un nouvel onglet. Liste calculée '), summary);

    const first = await rowsOnPage(page);
    assert.equal(first.length, 10, 'ten rows, not the whole list');
    assert.deepEqual(first.map((r) => r.id), list.slice(0, 10).map((l) => l.lead_id), 'the most urgent first, as SQL sorts them');
    assert.ok(list.slice(0, 10).every((l) => l.priority === 'high'));
    for (const [i, r] of first.entries()) {
        const l = list[i];
        assert.equal(r.days, `${formatNumber(l.days_without_contact)} j sans contact`);
        if (l.instagram_username) {
            assert.equal(r.who, `@${l.instagram_username}`);
            assert.equal(r.conversation, `https://ig.me/m/${encodeURIComponent(l.instagram_username)}`);
            assert.equal(r.profile, `https://www.instagram.com/${encodeURIComponent(l.instagram_username)}/`);
            assert.deepEqual(r.targets, ['_blank noopener noreferrer', '_blank noopener noreferrer'], 'both open in a new tab');
        } else {
            assert.equal(r.conversation, null);
        }
    }
    // clicking the conversation opens a new tab on ig.me (the request is stopped there: no internet in tests)
    await context.route('https://ig.me/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>ig</title>' }));
    const [tab] = await Promise.all([context.waitForEvent('page'), page.locator('[data-link=conversation]').first().click()]);
    await tab.waitForLoadState();
    assert.equal(tab.url(), first.find((r) => r.conversation).conversation);
    await tab.close();

    // the high-priority leads only, page by page
    const highPages = Math.ceil(high / 10);
    assert.equal(await text(page, '[data-testid=follow-up-page]'), `Page 1 / ${highPages}`);
    assert.ok(await page.locator('[data-testid=follow-up-previous]').isDisabled());
    for (let i = 1; i < highPages; i++) await page.click('[data-testid=follow-up-next]');
    assert.deepEqual((await rowsOnPage(page)).map((r) => r.id), list.slice((highPages - 1) * 10, high).map((l) => l.lead_id),
        'the last page of the high-priority leads');
    assert.ok(await page.locator('[data-testid=follow-up-next]').isDisabled());

    // "Voir tout": every lead to follow up, from the first page
    assert.equal(await text(page, '[data-testid=follow-up-toggle]'), `Voir tout (${formatNumber(d.pipeline.leads_to_follow_up)})`);
    await page.click('[data-testid=follow-up-toggle]');
    const pages = Math.ceil(d.pipeline.leads_to_follow_up / 10);
    assert.equal(await text(page, '[data-testid=follow-up-page]'), `Page 1 / ${pages}`);
    assert.deepEqual((await rowsOnPage(page)).map((r) => r.id), list.slice(0, 10).map((l) => l.lead_id));
    await page.click('[data-testid=follow-up-next]');
    assert.equal(await text(page, '[data-testid=follow-up-page]'), `Page 2 / ${pages}`);
    assert.deepEqual((await rowsOnPage(page)).map((r) => r.id), list.slice(10, 20).map((l) => l.lead_id));
    for (let i = 2; i < pages; i++) await page.click('[data-testid=follow-up-next]');
    assert.deepEqual((await rowsOnPage(page)).map((r) => r.id), list.slice((pages - 1) * 10).map((l) => l.lead_id), 'the last page');
    assert.ok(await page.locator('[data-testid=follow-up-next]').isDisabled());
    await page.click('[data-testid=follow-up-previous]');
    assert.equal(await text(page, '[data-testid=follow-up-page]'), `Page ${pages - 1} / ${pages}`);
    await page.click('[data-testid=follow-up-toggle]');
    assert.equal(await text(page, '[data-testid=follow-up-page]'), `Page 1 / ${highPages}`, 'back to the high-priority leads');
    assert.deepEqual(problems, []);
    await context.close();
});

test('past the 100 leads get_dashboard carries, the pages come from get_leads_to_followup in SQL\'s order', async () => {
    const email = `suivi-${Date.now()}@example.com`;
    await createCoachAccount(email, { leads: 125, name: 'Coach Relances' });
    const { context, page, problems } = await openPage(DESKTOP);
    await signInToDashboard(page, email);
    const all = await sqlAs(email, "select lead_id::text from public.get_leads_to_followup(period => '30d')");
    assert.equal(all.length, 125);
    // new leads never contacted are low priority: none is high, so the list starts empty and "Voir tout" shows them
    assert.equal((await page.textContent('[data-testid=follow-up-count]')).trim(), '0 en priorité haute');
    assert.equal(await text(page, '[data-testid=follow-up-empty]'), 'Aucun lead en priorité haute aujourd’hui.');
    await page.click('[data-testid=follow-up-toggle]');
    assert.equal(await text(page, '[data-testid=follow-up-page]'), 'Page 1 / 13');
    const requests = [];
    page.on('request', (r) => r.url().includes('/rpc/get_leads_to_followup') && requests.push(r.url()));
    for (let i = 1; i < 13; i++) await page.click('[data-testid=follow-up-next]');
    assert.equal(await text(page, '[data-testid=follow-up-page]'), 'Page 13 / 13');
    assert.deepEqual((await rowsOnPage(page)).map((r) => r.id), all.slice(120).map((r) => r.lead_id));
    assert.equal(requests.length, 1, 'the full list is fetched once, when the pages leave the document\'s 100');
    await page.click('[data-testid=follow-up-previous]');
    assert.deepEqual((await rowsOnPage(page)).map((r) => r.id), all.slice(110, 120).map((r) => r.lead_id));
    assert.deepEqual(problems, []);
    await context.close();
});

test('on a phone: 5 rows a page, handles never cut, links side by side, no horizontal scroll', async () => {
    const { context, page, problems } = await openPage(PHONE);
    await signInToDashboard(page, COACHES[0]);
    const rows = await rowsOnPage(page);
    assert.equal(rows.length, 5);
    const cut = await page.locator('[data-list="pipeline.follow_up"] [data-field=who]').evaluateAll((els) => els
        .filter((e) => e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis'
            || e.getBoundingClientRect().right > window.innerWidth)
        .map((e) => e.textContent));
    assert.deepEqual(cut, [], 'no handle is cut');
    const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
    assert.ok(sw <= iw, `no horizontal scroll (${sw} > ${iw})`);
    assert.deepEqual(problems, []);
    await context.close();
});
