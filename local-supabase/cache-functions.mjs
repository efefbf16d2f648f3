#!/usr/bin/env node
// Caches the dependencies of every edge function (supabase/functions/*/index.ts, their deno.json and deno.lock) and of
// the function host in Deno's cache (DENO_DIR, default ~/.cache/deno), with the machine's CA and proxy settings.
// scripts/ensure-deps.sh runs it at set-up, so that the local API serves the functions with --cached-only: offline,
// and without a first request that waits for downloads. Quiet and quick when everything is cached already.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { denoEnv } from './api/functions.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FUNCTIONS = join(ROOT, 'supabase/functions');
const deno = join(ROOT, 'node_modules/.bin/deno');
if (!existsSync(deno)) {
    console.error('cache-functions: node_modules/.bin/deno is missing: run npm ci first');
    process.exit(1);
}
const names = existsSync(FUNCTIONS)
    ? readdirSync(FUNCTIONS).filter((n) => !n.startsWith('_') && existsSync(join(FUNCTIONS, n, 'index.ts')))
    : [];
for (const name of names) {
    const dir = join(FUNCTIONS, name);
    const args = ['cache', '--quiet'];
    if (existsSync(join(dir, 'deno.json'))) args.push('--config', join(dir, 'deno.json'));
    args.push(join(dir, 'index.ts'), join(ROOT, 'local-supabase/api/deno-host.ts'));
    const r = spawnSync(deno, args, { cwd: ROOT, env: denoEnv(), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) {
        console.error(`cache-functions: caching the dependencies of ${name} failed:\n${r.stderr}`);
        console.error('cache-functions: behind a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS or SSL_CERT_FILE to its CA bundle (and HTTPS_PROXY).');
        process.exit(1);
    }
}
