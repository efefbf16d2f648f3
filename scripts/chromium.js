// Debian's Chromium driven by playwright-core, launched the one way this machine allows (never `playwright install`):
// the browser tests, the bench, the newcomer test and `npm run screenshot` share it.
import { chromium } from 'playwright-core';

/** Headless /usr/bin/chromium with no sandbox, GPU, background networking, updates or first-run screens. */
export const launchChromium = () => chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

/** Fills and submits the page's sign-in form at appUrl/login (it does not wait for what follows). */
export async function signIn(page, appUrl, email, password) {
    await page.goto(`${appUrl}/login`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await page.click('form[data-testid=login-form] button[type=submit]');
}
