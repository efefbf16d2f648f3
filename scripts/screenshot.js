// npm run screenshot: retakes the README's picture (docs/img/dashboard.png) from the running `npm start` stack:
// Julie's dashboard at 1440 × 900 in Debian's Chromium, signed in as the README's first line says. Set APP_URL when
// the page is not on http://127.0.0.1:3000 (WEB_PORT); OUT to write elsewhere.
import { join } from 'node:path';
import { launchChromium, signIn } from './chromium.js';

const ROOT = new URL('..', import.meta.url).pathname;
const APP_URL = (process.env.APP_URL ?? `http://127.0.0.1:${process.env.WEB_PORT ?? 3000}`).replace(/\/$/, '');
const OUT = process.env.OUT ?? join(ROOT, 'docs/img/dashboard.png');

const browser = await launchChromium();
try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(page, APP_URL, 'julie@example.com', 'coach-demo-2026');
    await page.waitForURL(/\/dashboard/);
    // the headline tiles, or the empty state of a coach without leads (the first load after npm start can be slow)
    await page
        .waitForSelector('[data-section=performance], [data-testid=empty-state]', { state: 'attached', timeout: 60_000 })
        .catch(async (error) => {
            console.error(`screenshot: no dashboard at ${page.url()}; the page says: ${(await page.innerText('body')).slice(0, 500)}`);
            throw error;
        });
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: OUT });
    console.log(`screenshot: ${OUT}`);
} finally {
    await browser.close();
}
