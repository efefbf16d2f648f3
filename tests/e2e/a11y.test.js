// Every page at desktop (1440 px) and phone (390 px) size: axe-core (pinned, injected) reports no violation, nothing
// scrolls sideways, nothing on screen is in English, and a screenshot goes to artifacts/. The keyboard: a skip link
// first, a visible focus on every control (the definition buttons included).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    ADMIN, APP_URL, COACHES, DESKTOP, PHONE, assertNoOverflow, axe, db, openPage, screenshot, setUp, signIn, signInToDashboard, tearDown,
} from './helpers.js';

before(setUp);
after(tearDown);

const SIZES = [['desktop', DESKTOP], ['phone', PHONE]];
/** Words that give away English or raw codes on screen. */
const NOT_FRENCH = /\b(Failed|fetch|Error|error|TypeError|undefined|null|NaN|Funnel|coach not found|email_exists|dm_organique|call_booked|to_improve)\b/;

async function check(page, name, size, problems) {
    await assertNoOverflow(page, `${name} (${size})`);
    await axe(page, `${name} (${size})`);
    const words = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(words, NOT_FRENCH, `${name} (${size}): only French on screen`);
    await screenshot(page, `${name}-${size}`);
    assert.deepEqual(problems, [], `${name} (${size}): no console error or failed request`);
}

test('login, dashboard, settings and health at both sizes', async () => {
    for (const [size, viewport] of SIZES) {
        const { context, page, problems } = await openPage(viewport);
        await page.goto(`${APP_URL}/login`);
        await page.waitForSelector('[data-testid=login-form]');
        await check(page, 'login', size, problems);

        await signInToDashboard(page, COACHES[0]);
        await check(page, 'dashboard', size, problems);
        // every section open, as a coach who unfolds them all
        await page.locator('section[data-section] details:not([open]) summary').evaluateAll((els) => els.forEach((e) => e.click()));
        await check(page, 'dashboard-open', size, problems);

        await page.goto(`${APP_URL}/settings`);
        await page.waitForSelector('[data-testid=settings-form]');
        await check(page, 'settings', size, problems);

        await page.goto(`${APP_URL}/health`);
        await page.waitForSelector('[data-testid=health-data]');
        await check(page, 'health', size, problems);
        await context.close();
    }
});

test('admin list and a coach\'s read-only dashboard at both sizes', async () => {
    const { rows: [julie] } = await db.query("select id from public.coachs where email = 'julie@example.com'");
    for (const [size, viewport] of SIZES) {
        const { context, page, problems } = await openPage(viewport);
        await signIn(page, ADMIN.email, ADMIN.password);
        await page.waitForURL(`${APP_URL}/admin`);
        await page.waitForSelector('[data-testid=coach-list] [data-row]');
        await check(page, 'admin', size, problems);
        await page.goto(`${APP_URL}/dashboard?coach=${julie.id}`);
        await page.waitForSelector('[data-section=performance]');
        await check(page, 'admin-coach-dashboard', size, problems);
        await context.close();
    }
});

test('the keyboard: a skip link first, a visible focus on every control, Escape closes a definition', async () => {
    const { context, page } = await openPage(DESKTOP);
    await signInToDashboard(page, COACHES[0]);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => [document.activeElement?.textContent, document.activeElement?.getAttribute('href')]);
    assert.deepEqual(first, ['Aller au contenu', '#main']);
    assert.ok(await page.evaluate(() => { const r = document.activeElement.getBoundingClientRect(); return r.width > 1 && r.height > 1; }), 'the skip link shows when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'it moves to the content');

    // tab through the page: every focused control draws an outline or a ring
    const seen = new Set();
    for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(() => {
            const e = document.activeElement;
            if (!e || e === document.body) return null;
            const s = getComputedStyle(e);
            const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) || /rgb/.test(s.boxShadow);
            return { what: `${e.tagName} ${e.getAttribute('aria-label') ?? e.textContent?.trim().slice(0, 30)}`, visible };
        });
        if (!f) continue;
        seen.add(f.what.split(' ')[0]);
        assert.ok(f.visible, `visible focus on ${f.what}`);
    }
    assert.ok(seen.has('BUTTON') && seen.has('A'), `buttons and links were reached (${[...seen]})`);
    // a definition button: focus, open, Escape
    const hint = page.locator('button[aria-label^="Définition"]').first();
    await hint.focus();
    assert.ok(await hint.evaluate((e) => getComputedStyle(e).outlineStyle !== 'none'), 'a definition button shows its focus');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('[data-testid=definition]').count(), 1);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('[data-testid=definition]').count(), 0);
    await context.close();
});
