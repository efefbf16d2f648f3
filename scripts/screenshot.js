// npm run screenshot: retakes the pictures of docs/img/ from the running `npm start` stack, in Debian's Chromium, at
// 1440 × 900 and 390 × 844 (a phone):
//   dashboard-<width>.png    Julie's dashboard (the top of the page; dashboard.png, the README's, is the 1440 one)
//   follow-up-<width>.png    her follow-up list ("À relancer aujourd'hui")
//   empty-state-<width>.png  the first screen of a coach without any lead: nouveau@example.com, created once by
//                            create-coach (the local service role key) and signed in through a magic link
// Set APP_URL / API_URL when the page / API are not on http://127.0.0.1:3000 / :54321 (WEB_PORT / API_PORT); OUT for
// another folder.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_SERVICE_ROLE_KEY } from '../local-supabase/api/jwt.js';
import { launchChromium, signIn } from './chromium.js';

const ROOT = new URL('..', import.meta.url).pathname;
const APP_URL = (process.env.APP_URL ?? `http://127.0.0.1:${process.env.WEB_PORT ?? 3000}`).replace(/\/$/, '');
const API_URL = (process.env.API_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? 54321}`).replace(/\/$/, '');
const OUT = process.env.OUT ?? join(ROOT, 'docs/img');
const SIZES = [{ width: 1440, height: 900 }, { width: 390, height: 844 }];
const NEW_COACH = { email: 'nouveau@example.com', name: 'Nouveau Coach', specialty: 'fitness' };

const service = { apikey: LOCAL_SERVICE_ROLE_KEY, Authorization: `Bearer ${LOCAL_SERVICE_ROLE_KEY}`, 'Content-Type': 'application/json' };

/** A magic link for the coach without leads: create-coach the first time, GoTrue's admin generate_link after. */
async function newCoachLink() {
    const r = await fetch(`${API_URL}/functions/v1/create-coach`, { method: 'POST', headers: service, body: JSON.stringify(NEW_COACH) });
    if (r.status === 201) return (await r.json()).magic_link;
    if (r.status !== 409) throw new Error(`create-coach answered ${r.status}: ${await r.text()}`);
    const g = await fetch(`${API_URL}/auth/v1/admin/generate_link`, {
        method: 'POST', headers: service, body: JSON.stringify({ type: 'magiclink', email: NEW_COACH.email, redirect_to: APP_URL }),
    });
    if (!g.ok) throw new Error(`generate_link answered ${g.status}: ${await g.text()}`);
    const link = await g.json();
    return link.action_link ?? link.properties?.action_link;
}

/** Waits for the dashboard (or the empty state) with its data, then lets fonts and charts settle. */
async function dashboardReady(page) {
    await page
        .waitForSelector('[data-section=performance], [data-testid=empty-state]', { state: 'attached', timeout: 60_000 })
        .catch(async (error) => {
            console.error(`screenshot: no dashboard at ${page.url()}; the page says: ${(await page.innerText('body')).slice(0, 500)}`);
            throw error;
        });
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => document.fonts.ready);
}

const shot = async (target, name) => {
    const path = join(OUT, name);
    await target.screenshot({ path });
    console.log(`screenshot: ${path}`);
    return path;
};

const browser = await launchChromium();
try {
    for (const size of SIZES) {
        const context = await browser.newContext({ viewport: size, locale: 'fr-FR', reducedMotion: 'reduce' });
        const page = await context.newPage();
        await signIn(page, APP_URL, 'julie@example.com', 'coach-demo-2026');
        await page.waitForURL(/\/dashboard/);
        await dashboardReady(page);
        const top = await shot(page, `dashboard-${size.width}.png`);
        if (size.width === 1440) copyFileSync(top, join(OUT, 'dashboard.png'));
        const list = page.locator('[data-testid=follow-up]');
        await list.scrollIntoViewIfNeeded();
        await shot(list, `follow-up-${size.width}.png`);
        await context.close();

        const fresh = await browser.newContext({ viewport: size, locale: 'fr-FR', reducedMotion: 'reduce' });
        const newPage = await fresh.newPage();
        await newPage.goto(await newCoachLink());
        await newPage.waitForURL(/\/dashboard/);
        await dashboardReady(newPage);
        await shot(newPage, `empty-state-${size.width}.png`);
        await fresh.close();
    }
} finally {
    await browser.close();
}
