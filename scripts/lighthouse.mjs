// npm run lighthouse: Lighthouse 12.2.3 (mobile, its default: a Moto G Power, simulated slow 4G and 4x CPU slowdown)
// on the pages of the running `npm start` stack, in Debian's Chromium: /login, and Julie's dashboard signed in (the
// session is made in the same browser first, and Lighthouse keeps it: --disable-storage-reset). Prints each page's
// performance and accessibility scores and CLS, and fails below performance 95, accessibility 100 or at CLS ≥ 0.05.
// Lighthouse is fetched by npx on first use (not a dependency of the project: it is only this check's).
// APP_URL (or WEB_PORT) when the page is not on http://127.0.0.1:3000; LIGHTHOUSE_PORT for Chromium's debugging
// port (9333); OUT for the JSON reports (.local/lighthouse).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const ROOT = new URL('..', import.meta.url).pathname;
const APP_URL = (process.env.APP_URL ?? `http://127.0.0.1:${process.env.WEB_PORT ?? 3000}`).replace(/\/$/, '');
const PORT = Number(process.env.LIGHTHOUSE_PORT ?? 9333);
const OUT = process.env.OUT ?? join(ROOT, '.local/lighthouse');
const LIGHTHOUSE = 'lighthouse@12.2.3';
const MIN = { performance: 0.95, accessibility: 1, cls: 0.05 };

mkdirSync(OUT, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'lighthouse-chromium-'));
const browserProcess = spawn('/usr/bin/chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run',
    `--remote-debugging-port=${PORT}`, `--user-data-dir=${profile}`, 'about:blank',
], { stdio: 'ignore' });

/** Runs Lighthouse's CLI on the running Chromium; returns its JSON report. */
function lighthouse(url, name) {
    const path = join(OUT, `${name}.json`);
    const r = spawnSync('npx', ['--yes', LIGHTHOUSE, url, `--port=${PORT}`, '--disable-storage-reset', '--only-categories=performance,accessibility',
        '--output=json', `--output-path=${path}`, '--quiet', '--chrome-flags=--headless'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`lighthouse ${url}: exit ${r.status}`);
    return JSON.parse(readFileSync(path, 'utf8'));
}

let failed = false;

/** Lighthouse on one page; prints its scores. @param {string} name @param {string} url */
function audit(name, url) {
    const report = lighthouse(url, name);
    if (report.finalDisplayedUrl.replace(/\?.*/, '') !== url) throw new Error(`${name}: Lighthouse ended on ${report.finalDisplayedUrl}`);
    const perf = report.categories.performance.score;
    const a11y = report.categories.accessibility.score;
    const cls = report.audits['cumulative-layout-shift'].numericValue;
    const ok = perf >= MIN.performance && a11y >= MIN.accessibility && cls < MIN.cls;
    failed ||= !ok;
    console.log(`lighthouse ${name}: performance ${Math.round(perf * 100)}, accessibility ${Math.round(a11y * 100)}, CLS ${cls.toFixed(3)}`
        + `, LCP ${Math.round(report.audits['largest-contentful-paint'].numericValue)} ms, TBT ${Math.round(report.audits['total-blocking-time'].numericValue)} ms`
        + ` (${ok ? 'met' : `missed: performance ≥ ${MIN.performance * 100}, accessibility ${MIN.accessibility * 100}, CLS < ${MIN.cls}`}; ${join(OUT, `${name}.json`)})`);
}

try {
    let browser;
    for (let i = 0; !browser; i++) {
        browser = await chromium.connectOverCDP(`http://127.0.0.1:${PORT}`).catch(async (e) => {
            if (i > 100) throw e;
            await sleep(100);
        });
    }
    // Chromium is up; let go of it before Lighthouse drives it (Playwright's connection holds the new tabs it sees)
    await browser.close();
    // the sign-in page first, signed out (signed in, /login goes on to the dashboard)
    audit('login', `${APP_URL}/login`);

    // the session of the dashboard: signed in once in the browser's own context, where Lighthouse's tab opens
    browser = await chromium.connectOverCDP(`http://127.0.0.1:${PORT}`);
    const page = await browser.contexts()[0].newPage();
    await page.goto(`${APP_URL}/login`);
    await page.fill('input[name=email]', 'julie@example.com');
    await page.fill('input[name=password]', 'coach-demo-2026');
    await page.click('form[data-testid=login-form] button[type=submit]');
    await page.waitForSelector('[data-section=performance]', { state: 'attached', timeout: 60_000 });
    await page.close();
    await browser.close();
    audit('dashboard', `${APP_URL}/dashboard`);
} finally {
    browserProcess.kill();
    await sleep(200);
    rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
