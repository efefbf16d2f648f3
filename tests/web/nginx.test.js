// The deployment config, without Docker: Debian's nginx serves the built page (web/dist) with web/nginx.conf
// (the same file the Dockerfile installs as a template; SUPABASE_URL substituted as the nginx image's envsubst
// does, the listen port and root adapted to this machine) and we check what Coolify relies on: SPA fallback,
// /health 200, caching, gzip, security headers and a CSP that allows only this origin and the Supabase URL.
// Needs `npm run build` first (scripts/test.sh does it, into WEB_DIST). Port: WEB_NGINX_TEST_PORT (default 54388).
import { createHash } from 'node:crypto';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const DIST = process.env.WEB_DIST || join(ROOT, 'web/dist');
const PORT = Number(process.env.WEB_NGINX_TEST_PORT || 54388);
const SUPABASE_URL = 'https://example-ref.supabase.co';
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

let dir;
let nginx;
let jsAsset;
let cssAsset;

/** GET with explicit headers, no automatic decompression. */
function get(path, headers = {}) {
    return new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: PORT, path, headers }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
    });
}

before(async () => {
    assert.ok(existsSync(join(DIST, 'index.html')), 'web/dist is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'web-nginx-'));
    chmodSync(dir, 0o755); // nginx workers (nobody) read the copied files
    cpSync(DIST, join(dir, 'html'), { recursive: true });
    const assets = readdirSync(join(DIST, 'assets'));
    jsAsset = assets.find((f) => /^app-[A-Za-z0-9]+\.js$/.test(f));
    cssAsset = assets.find((f) => /^app-[a-z0-9]+\.css$/.test(f));

    const site = readFileSync(join(ROOT, 'web/nginx.conf'), 'utf8')
        .replaceAll('${SUPABASE_URL}', SUPABASE_URL)
        .replace(/listen 80;/, `listen 127.0.0.1:${PORT};`)
        .replace(/\s*listen \[::\]:80;/, '')
        .replace(/root \/usr\/share\/nginx\/html;/, `root ${join(dir, 'html')};`);
    assert.ok(!site.includes('${'), 'every template variable is substituted');
    writeFileSync(join(dir, 'site.conf'), site);
    const t = (n) => join(dir, n);
    writeFileSync(
        t('nginx.conf'),
        `worker_processes 1;\npid ${t('nginx.pid')};\nerror_log ${t('error.log')} warn;\nevents { worker_connections 64; }\n` +
            `http {\n include /etc/nginx/mime.types;\n default_type application/octet-stream;\n access_log off;\n` +
            ` client_body_temp_path ${t('body')};\n proxy_temp_path ${t('proxy')};\n fastcgi_temp_path ${t('fastcgi')};\n` +
            ` uwsgi_temp_path ${t('uwsgi')};\n scgi_temp_path ${t('scgi')};\n include ${t('site.conf')};\n}\n`,
    );
    execFileSync(NGINX, ['-t', '-q', '-p', dir, '-c', t('nginx.conf')], { stdio: 'pipe' });
    nginx = spawn(NGINX, ['-p', dir, '-c', t('nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
    for (let i = 0; i < 50; i++) {
        try {
            await get('/');
            return;
        } catch {
            await new Promise((r) => setTimeout(r, 100));
        }
    }
    throw new Error(`nginx did not answer on port ${PORT}: ${readFileSync(t('error.log'), 'utf8')}`);
});

after(async () => {
    if (nginx && nginx.exitCode === null) {
        const exited = new Promise((r) => nginx.once('exit', r));
        nginx.kill('SIGQUIT');
        await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
});

// the one inline script, the Intl warm-up (web/src/warm-intl.js), is allowed by its hash and by nothing wider
const WARM_HASH = /script-src 'self' ('sha256-[A-Za-z0-9+/]{43}=');/.exec(readFileSync(join(ROOT, 'web/nginx.conf'), 'utf8'))?.[1];
const EXPECTED_CSP =
    `default-src 'self'; script-src 'self' ${WARM_HASH}; style-src 'self'; img-src 'self' data:; font-src 'self'; ` +
    `connect-src 'self' ${SUPABASE_URL}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'`;

function assertSecurityHeaders(res) {
    assert.equal(res.headers['content-security-policy'], EXPECTED_CSP);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(res.headers['content-security-policy']));
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['referrer-policy'], 'strict-origin-when-cross-origin');
    assert.ok(res.headers['permissions-policy']);
    assert.equal(res.headers.server, 'nginx', 'no version in the Server header');
}

test('index.html: served for /, never cached, security headers, one inline script: the one the CSP allows by hash', async () => {
    const res = await get('/');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache, no-store, must-revalidate');
    assert.ok(WARM_HASH, 'web/nginx.conf allows one inline script by its sha256');
    assertSecurityHeaders(res);
    const html = res.body.toString();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    // the Intl warm-up (web/src/warm-intl.js) inline, first, whose hash is the CSP's; then the page's module, a file
    assert.equal(scripts.length, 2);
    assert.equal(scripts[0][1], '');
    assert.match(scripts[0][2], /Intl\.NumberFormat/);
    assert.equal(`'sha256-${createHash('sha256').update(scripts[0][2]).digest('base64')}'`, WARM_HASH, 'the CSP allows the inline script as served');
    assert.match(scripts[1][1], new RegExp(`type="module" src="/assets/${jsAsset.replace('.', '\\.')}"`));
    assert.equal(scripts[1][2].trim(), '', 'the module is a file');
    assert.match(html, new RegExp(`href="/assets/${cssAsset.replace('.', '\\.')}"`));
    assert.doesNotMatch(html, /style=|<style/, 'no inline style either');
});

test('SPA fallback: every route is index.html with status 200', async () => {
    const index = (await get('/')).body.toString();
    for (const path of ['/login', '/dashboard', '/admin', '/health', '/dashboard?x=1', '/unknown/deep/route']) {
        const res = await get(path);
        assert.equal(res.status, 200, path);
        assert.equal(res.body.toString(), index, path);
        assert.equal(res.headers['cache-control'], 'no-cache, no-store, must-revalidate', path);
        assertSecurityHeaders(res);
    }
});

test('/health answers 200 (Coolify health check)', async () => {
    const res = await get('/health');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/html/);
});

test('hashed assets: cached for a year, immutable, gzipped, with security headers', async () => {
    for (const [file, type] of [[jsAsset, /^application\/javascript/], [cssAsset, /^text\/css/]]) {
        const res = await get(`/assets/${file}`, { 'accept-encoding': 'gzip' });
        assert.equal(res.status, 200, file);
        assert.match(res.headers['content-type'], type);
        assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
        assert.equal(res.headers['content-encoding'], 'gzip');
        assert.match(res.headers.vary ?? '', /Accept-Encoding/);
        assertSecurityHeaders(res);
        const plain = await get(`/assets/${file}`);
        assert.equal(plain.headers['content-encoding'], undefined, 'plain for clients without gzip');
        assert.deepEqual(plain.body, readFileSync(join(DIST, 'assets', file)));
    }
});

test('missing files are 404, not the page', async () => {
    assert.equal((await get('/assets/app-missing.js')).status, 404);
    assert.equal((await get('/favicon.ico')).status, 404);
    const icon = await get('/favicon.svg');
    assert.equal(icon.status, 200);
    assert.match(icon.headers['content-type'], /^image\/svg\+xml/);
});
