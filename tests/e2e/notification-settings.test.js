// /settings, "Alertes et emails": a coach sets after how many hours a waiting hot lead raises an alert and which
// digest emails it gets (update_notification_settings); a refused value is explained in French next to the field
// and nothing is saved. At 1440 and 390 px: axe-core 0 violations, no sideways scroll, screenshots in artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    APP_URL, DESKTOP, PHONE, assertNoOverflow, axe, createCoachAccount, openPage, screenshot, setUp, signInToDashboard, sqlAs,
    tearDown, text,
} from './helpers.js';

before(setUp);
after(tearDown);

test('a coach changes its alert and email settings; a refused value says why', async () => {
    const email = `notifications-${Date.now()}@example.com`;
    await createCoachAccount(email, { leads: 3, name: 'Coach Notifications' });
    const stored = async () => (await sqlAs(email, 'select public.get_notification_settings() as s'))[0].s;
    for (const [viewport, name] of [[DESKTOP, '1440'], [PHONE, '390']]) {
        const { context, page, problems } = await openPage(viewport);
        await signInToDashboard(page, email);
        await page.goto(`${APP_URL}/settings`);
        await page.waitForSelector('[data-testid=notification-settings] form');
        const now = await stored();
        assert.equal(await page.inputValue('#f-hot_lead_hours'), String(now.hot_lead_hours));
        assert.equal(await page.isChecked('[name=digest_weekly]'), now.digest_weekly);
        assert.equal(await page.isChecked('[name=digest_daily]'), now.digest_daily);
        await axe(page, `notification settings ${name}`);
        await assertNoOverflow(page, `notification settings ${name}`);
        await screenshot(page, `notification-settings-${name}`);
        assert.deepEqual(problems, []);
        await context.close();
    }

    const { context, page, problems } = await openPage(DESKTOP);
    await signInToDashboard(page, email);
    await page.goto(`${APP_URL}/settings`);
    await page.waitForSelector('[data-testid=notification-settings] form');
    assert.deepEqual(await stored(), { coach_id: (await stored()).coach_id, hot_lead_hours: 12, digest_weekly: true, digest_daily: false, telegram_quiet_nights: false, telegram: null, updated_at: null },
        'the defaults');
    // refused by the RPC: its French sentence under the field, nothing written
    await page.fill('#f-hot_lead_hours', '200');
    await page.check('[name=digest_daily]');
    await page.click('[data-testid=save-notifications]');
    assert.equal(await text(page, '[data-testid=error-hot_lead_hours]'), 'Indiquez un nombre entier d’heures entre 1 et 168 (une semaine).');
    assert.equal(await page.getAttribute('#f-hot_lead_hours', 'aria-invalid'), 'true');
    assert.equal((await stored()).digest_daily, false, 'nothing saved');
    await page.fill('#f-hot_lead_hours', '2,5');
    await page.click('[data-testid=save-notifications]');
    assert.equal(await text(page, '[data-testid=error-hot_lead_hours]'), 'Indiquez un nombre entier d’heures entre 1 et 168 (une semaine).');
    // saved
    await page.fill('#f-hot_lead_hours', '6');
    await page.uncheck('[name=digest_weekly]');
    await page.click('[data-testid=save-notifications]');
    await page.waitForSelector('[data-testid=toast]');
    assert.equal(await text(page, '[data-testid=toast]'), 'Notifications enregistrées.');
    const after = await stored();
    assert.deepEqual([after.hot_lead_hours, after.digest_weekly, after.digest_daily], [6, false, true]);
    assert.equal(await page.locator('[data-testid=error-hot_lead_hours]').count(), 0);
    await page.reload();
    await page.waitForSelector('[data-testid=notification-settings] form');
    assert.equal(await page.inputValue('#f-hot_lead_hours'), '6');
    assert.equal(await page.isChecked('[name=digest_weekly]'), false);
    assert.equal(await page.isChecked('[name=digest_daily]'), true);
    assert.deepEqual(problems.filter((p) => !p.startsWith('HTTP 400') && !p.includes('status of 400')), [], 'only the two refused saves failed');
    assert.equal(problems.filter((p) => p.startsWith('HTTP 400')).length, 2, 'the two refused saves');
    await context.close();
});
