// /settings, "Leads chauds sur Telegram": a coach connects a bot (telegram-connect sends a test message to the local
// stand-in of the Telegram Bot API that npm test gives the functions, TELEGRAM_API_URL; nothing reaches Telegram);
// a token of the wrong shape is explained next to its field and nothing is saved; once connected, the chat, the quiet
// nights switch, the last failure ("Dernier envoi échoué : …") and a revoked token are shown; disconnecting removes
// the bot. At 1440 and 390 px: axe-core 0 violations, no sideways scroll, screenshots in artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    APP_URL, ARTIFACTS, DESKTOP, PHONE, assertNoOverflow, axe, createCoachAccount, db, openPage, screenshot, setUp, signInToDashboard, sqlAs,
    tearDown, text,
} from './helpers.js';

const TELEGRAM = process.env.TELEGRAM_API_URL;
before(setUp);
after(tearDown);

test('a coach connects a Telegram bot, sees how it goes, and disconnects it', { skip: !TELEGRAM && 'TELEGRAM_API_URL is not set (npm test sets it)' }, async () => {
    const email = `telegram-${Date.now()}@example.com`;
    await createCoachAccount(email, { leads: 2, name: 'Coach Telegram' });
    const stored = async () => (await sqlAs(email, 'select public.get_notification_settings() as s'))[0].s;
    const chat = String(Date.now() % 1_000_000_000);

    const { context, page, problems } = await openPage(DESKTOP);
    await signInToDashboard(page, email);
    await page.goto(`${APP_URL}/settings`);
    await page.waitForSelector('[data-testid=telegram-form]');
    await axe(page, 'telegram settings, not connected');
    // refused by the function: its French sentence under the field, nothing saved
    await page.fill('#f-bot_token', 'pas-un-jeton');
    await page.fill('#f-chat_id', chat);
    await page.click('[data-testid=telegram-connect]');
    await page.waitForSelector('[data-testid=error-bot_token]');
    assert.match(await text(page, '[data-testid=error-bot_token]'), /^Ce jeton n’a pas la forme/);
    assert.equal(await page.getAttribute('#f-bot_token', 'aria-invalid'), 'true');
    assert.equal((await stored()).telegram, null, 'nothing saved');
    // connected: Telegram (the stand-in) got the test message
    await page.fill('#f-bot_token', '700123:AAbbCCddEEffGGhhIIjjKKllMMnnOOpp');
    await page.click('[data-testid=telegram-connect]');
    await page.waitForSelector('[data-testid=telegram-status]');
    assert.equal(await text(page, '[data-testid=toast]'), 'Telegram connecté : un message de test a été envoyé.');
    assert.match(await text(page, '[data-testid=telegram-status]'), new RegExp(`Connecté au chat ${chat} depuis le`));
    assert.equal((await stored()).telegram.chat_id, chat);
    const got = await (await fetch(`${TELEGRAM}/messages`)).json();
    assert.ok(got.some((m) => m.chat_id === chat && m.text.startsWith('✅ Coach Setter est connecté')), 'the test message went to that chat');
    // quiet nights
    await page.check('[name=telegram_quiet_nights]');
    await page.waitForFunction(() => document.querySelector('[data-testid=toast]')?.textContent?.includes('la nuit'));
    assert.equal((await stored()).telegram_quiet_nights, true);
    // the last failure, then a revoked token, as the send-telegram function records them
    const { rows: [{ id }] } = await db.query('select id from public.coachs where email = $1', [email]);
    await db.query(`update private.coach_telegram set last_error = '502 Bad Gateway', last_error_at = now() where coach_id = $1`, [id]);
    for (const [viewport, name] of [[DESKTOP, '1440'], [PHONE, '390']]) {
        await page.setViewportSize(viewport);
        await page.reload();
        await page.waitForSelector('[data-testid=telegram-last-error]');
        assert.match(await text(page, '[data-testid=telegram-last-error]'), /^Dernier envoi échoué : 502 Bad Gateway \(le /);
        assert.equal(await page.isChecked('[name=telegram_quiet_nights]'), true);
        await axe(page, `telegram settings ${name}`);
        await assertNoOverflow(page, `telegram settings ${name}`);
        await page.locator('[data-testid=telegram-settings]').screenshot({ path: `${ARTIFACTS}/telegram-settings-${name}.png` });
    }
    await page.setViewportSize(DESKTOP);
    await db.query(`update private.coach_telegram set revoked_at = now(), last_error = '401 Unauthorized', last_error_at = now() where coach_id = $1`, [id]);
    await page.reload();
    await page.waitForSelector('[data-testid=telegram-revoked]');
    assert.match(await text(page, '[data-testid=telegram-revoked]'), /^Telegram a révoqué le jeton de ce bot/);
    assert.equal(await page.locator('[data-testid=telegram-form]').count(), 1, 'the form to save a new token');
    await axe(page, 'telegram settings, revoked');
    await screenshot(page, 'telegram-settings-revoked-1440');
    // disconnected
    await page.click('[data-testid=telegram-disconnect]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=telegram-status]'));
    assert.equal((await stored()).telegram, null);
    assert.deepEqual(problems.filter((p) => !p.includes('400')), [], 'only the refused connect failed');
    await context.close();
});
