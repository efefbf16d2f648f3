// The alerts banner above the tiles (issue 21): a coach whose data stopped arriving and whose hot lead waits sees
// both, most severe first, with get_alerts' French messages and links to where to act; "Masquer" hides one until it
// changes; the admin's list says "Aucune donnée reçue depuis …" at the same time as the alert, in the coach's time
// zone (Nouméa, UTC+11: far from the browser's UTC), named; the admin's read-only view has no "Masquer".
// At 1440 and 390 px: axe-core 0 violations, no sideways scroll, screenshots in artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { formatDateTimeIn } from '../../web/src/coach-time.js';
import {
    ADMIN, APP_URL, DESKTOP, PHONE, assertNoOverflow, axe, createCoachAccount, db, openPage, screenshot, setUp, settle,
    signIn, signInToDashboard, sqlAs, tearDown,
} from './helpers.js';

before(setUp);
after(tearDown);

const EMAIL = `alertes.${Date.now()}@example.com`;
let coachId;

const TIME_ZONE = 'Pacific/Noumea';

/**
 * A coach in Nouméa, a lead of which has messages every 30 minutes from 29 days ago to 6 hours ago (its rhythm: 2 an
 * hour in every weekday-hour of the 4 weeks the no_data rule reads).
 */
async function silentCoach() {
    coachId = await createCoachAccount(EMAIL, { name: 'Coach Alertes' });
    await db.query('update public.coachs set timezone = $2 where id = $1', [coachId, TIME_ZONE]);
    await db.query(
        `insert into public.leads (coach_id, user_id_instagram, instagram_username, first_name, status, created_at)
         values ($1::uuid, 'ig_' || $1::text || '_r', 'rythme.regulier', 'Rythme', 'engaged', now() - interval '30 days'),
                ($1::uuid, 'ig_' || $1::text || '_h', 'lea.chaude', 'Léa', 'qualified', now() - interval '3 days')`, [coachId]);
    await db.query(
        `insert into public.messages (lead_id, coach_id, direction, text, created_at)
         select l.id, l.coach_id, case when extract(minute from g) < 30 then 'out' else 'in' end, 'm', g
         from public.leads as l, generate_series(now() - interval '29 days', now() - interval '6 hours', interval '30 minutes') as g
         where l.coach_id = $1 and l.instagram_username = 'rythme.regulier'`, [coachId]);
    await db.query(
        `insert into public.messages (lead_id, coach_id, direction, text, created_at)
         select l.id, l.coach_id, 'in', 'Je veux réserver un appel', now() - interval '20 hours'
         from public.leads as l where l.coach_id = $1 and l.instagram_username = 'lea.chaude'`, [coachId]);
    await settle();
}

/** The alerts as the page shows them: key, message, link, whether it opens a new tab. */
const shownAlerts = (page) => page.locator('[data-testid=alerts] [data-alert]').evaluateAll((els) => els.map((e) => ({
    key: e.dataset.alert,
    message: e.querySelector('p').textContent.replace(/^.*? : /, '').trim(),
    link: e.querySelector('[data-testid=alert-link]').getAttribute('href'),
    newTab: e.querySelector('[data-testid=alert-link]').getAttribute('target') === '_blank',
})));

test('the banner shows the coach\'s alerts, most severe first, at 1440 and 390 px', async () => {
    await silentCoach();
    const expected = await sqlAs(EMAIL, 'select key, message, link from public.get_alerts()');
    assert.deepEqual(expected.map((a) => a.key), ['no_data', 'hot_leads'], 'the fixture raises no_data then hot_leads');
    for (const [viewport, name] of [[DESKTOP, '1440'], [PHONE, '390']]) {
        const { context, page, problems } = await openPage(viewport);
        await signInToDashboard(page, EMAIL);
        await page.waitForSelector('[data-testid=alerts] [data-alert]');
        assert.deepEqual(await shownAlerts(page), expected.map((a) => ({
            key: a.key, message: a.message, link: a.link, newTab: a.link.startsWith('https://'),
        })));
        assert.match(expected[0].message, /^Aucune donnée reçue depuis le /);
        assert.equal(expected[1].link, 'https://ig.me/m/lea.chaude', 'one hot lead: its Instagram conversation');
        const box = await page.locator('[data-testid=alerts]').boundingBox();
        const tiles = await page.locator('[data-testid=headline]').boundingBox();
        assert.ok(box && tiles && box.y < tiles.y, 'the banner is above the tiles');
        await axe(page, `alerts ${name}`);
        await assertNoOverflow(page, `alerts ${name}`);
        await screenshot(page, `alerts-${name}`);
        assert.deepEqual(problems, []);
        await context.close();
    }
});

test('"Masquer" hides an alert until it changes', async () => {
    const { context, page, problems } = await openPage(DESKTOP);
    await signInToDashboard(page, EMAIL);
    await page.waitForSelector('[data-alert=hot_leads]');
    // the page hides the alert at once; the database has it once dismiss_alert has answered
    const saved = page.waitForResponse((r) => r.url().includes('/rest/v1/rpc/dismiss_alert') && r.request().method() === 'POST');
    await page.click('[data-alert=hot_leads] [data-testid=alert-dismiss]');
    await page.waitForSelector('[data-alert=hot_leads]', { state: 'detached' });
    assert.equal((await saved).status(), 200, 'dismiss_alert saved');
    assert.deepEqual((await sqlAs(EMAIL, 'select key from public.get_alerts()')).map((a) => a.key), ['no_data'],
        'dismissed in the database');
    await page.reload();
    await page.waitForSelector('[data-alert=no_data]');
    assert.equal(await page.locator('[data-alert=hot_leads]').count(), 0, 'still hidden after a reload');
    // another lead starts waiting: the alert is another one, shown again
    await db.query(
        `insert into public.leads (coach_id, user_id_instagram, instagram_username, first_name, status, created_at)
         values ($1::uuid, 'ig_' || $1::text || '_h2', 'tom.chaud', 'Tom', 'call_proposed', now() - interval '2 days')`, [coachId]);
    await db.query(
        `insert into public.messages (lead_id, coach_id, direction, text, created_at)
         select l.id, l.coach_id, 'in', 'Quand est-ce qu’on s’appelle ?', now() - interval '13 hours'
         from public.leads as l where l.coach_id = $1 and l.instagram_username = 'tom.chaud'`, [coachId]);
    await settle();
    await page.reload();
    await page.waitForSelector('[data-alert=hot_leads]');
    assert.match(await page.locator('[data-alert=hot_leads] p').innerText(),
        /2 leads chauds attendent votre réponse depuis plus de 12 h : Léa, Tom\./);
    assert.equal(await page.locator('[data-alert=hot_leads] [data-testid=alert-link]').getAttribute('href'),
        '/dashboard?periode=aujourdhui#follow-up-title', 'two leads: the follow-up list');
    assert.deepEqual(problems, []);
    await context.close();
});

test('the admin sees "Aucune donnée reçue depuis …" in the list, and the banner read-only', async () => {
    for (const [viewport, name] of [[DESKTOP, '1440'], [PHONE, '390']]) {
        const { context, page, problems } = await openPage(viewport);
        await signIn(page, ADMIN.email, ADMIN.password);
        await page.waitForURL(`${APP_URL}/admin`);
        const row = page.locator(`[data-testid=coach-list] [data-row="${coachId}"]`);
        await row.locator('[data-testid=no-data]').waitFor();
        const [{ last, timezone, message }] = await sqlAs(ADMIN.email,
            'select last_message_at as last, timezone, message from public.list_no_data_alerts() where coach_id = $1', [coachId]);
        assert.equal(timezone, TIME_ZONE);
        assert.equal((await row.locator('[data-testid=no-data]').innerText()).trim(),
            `Aucune donnée reçue depuis le ${formatDateTimeIn(last.toISOString(), TIME_ZONE)} (fuseau horaire ${TIME_ZONE})`,
            'the list shows the last message in the coach\'s time zone, named');
        // the alert's own message (the coach's banner) gives the same local time and names the same zone
        const local = new Intl.DateTimeFormat('fr-FR', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric',
            hour: '2-digit', minute: '2-digit' }).format(last).replace(' ', ' à ');
        assert.ok(message.startsWith(`Aucune donnée reçue depuis le ${local} (fuseau horaire ${TIME_ZONE}), soit `), message);
        await axe(page, `admin no data ${name}`);
        await assertNoOverflow(page, `admin no data ${name}`);
        await screenshot(page, `alerts-admin-${name}`);
        await row.locator('[data-testid=open-dashboard]').click();
        await page.waitForSelector('[data-testid=alerts] [data-alert=no_data]');
        assert.equal(await page.locator('[data-testid=alert-dismiss]').count(), 0, 'no "Masquer" in the read-only view');
        assert.equal(await page.locator('[data-alert=hot_leads] [data-testid=alert-link]').getAttribute('href'),
            `/dashboard?periode=aujourdhui&coach=${coachId}#follow-up-title`, 'dashboard links keep the coach');
        assert.deepEqual(problems, []);
        await context.close();
    }
});
