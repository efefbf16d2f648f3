#!/usr/bin/env node
// The built dashboard (web/dist, `npm run build`) for the local stack: a small static server with SPA fallback
// (unknown paths without a file extension get index.html, so /login, /admin… work on reload). GET /health is the
// page's health view with status 200, as web/nginx.conf serves it: a health check gets 200, a person sees health().
// Production serves web/dist with nginx (web/nginx.conf); the page's config is baked in at build time. Like nginx
// there (gzip on), text responses are sent gzipped: the first load is about 77 KB rather than 250 KB on the wire.
//
// Environment: WEB_PORT (default 3000), WEB_HOST (default 127.0.0.1), WEB_DIST (default web/dist).
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = process.env.WEB_DIST ?? join(ROOT, 'web/dist');
const port = Number(process.env.WEB_PORT ?? 3000);
const host = process.env.WEB_HOST ?? '127.0.0.1';
const root = relative(process.cwd(), DIST) || '.';

const app = new Hono();
app.use('*', compress({ encoding: 'gzip', threshold: 256 }));
app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
});
app.use('*', serveStatic({ root }));
app.get('*', (c) => {
    if (/\.[a-z0-9]+$/i.test(c.req.path)) return c.text('Not Found', 404); // a missing file, not a page
    const index = join(DIST, 'index.html');
    if (!existsSync(index)) return c.text(`${index} does not exist: run \`npm run build\` first`, 503);
    c.header('Cache-Control', 'no-cache');
    return c.html(readFileSync(index, 'utf8'));
});

serve({ fetch: app.fetch, port, hostname: host }, () => console.log(`web: serving ${DIST} on http://${host}:${port}`));
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
