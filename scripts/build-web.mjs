#!/usr/bin/env node
// npm run build: web/ -> web/dist. esbuild bundles and minifies the page, Tailwind compiles its stylesheet (no style
// compiler and no third-party CDN at run time), asset names carry a content hash (nginx caches them for a year),
// index.html points at them. Prints the gzipped sizes and fails above the first-load budget (JS + CSS).
//
// Config, from the environment at build time (defaults: the local stack, same URL and anon key as `supabase start`):
//   SUPABASE_URL        the Supabase API URL (also the only origin the page's CSP lets it connect to)
//   SUPABASE_ANON_KEY   the public anon key (RLS protects the data; never the service role key)
//   WEB_DIST            output folder (default web/dist; npm test builds into its own folder)
//   WEB_SOURCEMAP=1     also writes source maps (assets/*.js.map, not referenced by the scripts): for CPU profiles only
import { transformAsync } from '@babel/core';
import babelPluginHtm from 'babel-plugin-htm';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WEB = join(ROOT, 'web');
const DIST = process.env.WEB_DIST ? resolve(process.env.WEB_DIST) : join(WEB, 'dist');
const BUDGET = 80 * 1024; // bytes gzipped, all JS + CSS of the first load

export const LOCAL_SUPABASE_URL = 'http://127.0.0.1:54321';
export const LOCAL_ANON_KEY =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
const SUPABASE_URL = process.env.SUPABASE_URL || LOCAL_SUPABASE_URL;
const SUPABASE_ANON_KEY = process.env.SUPABASE_ANON_KEY || LOCAL_ANON_KEY;
if (!/^https?:\/\/[^/\s]+\/?$/.test(SUPABASE_URL)) {
    console.error(`SUPABASE_URL must be an origin like https://<ref>.supabase.co, got ${JSON.stringify(SUPABASE_URL)}`);
    process.exit(1);
}

/** The page's `html` tagged templates (htm/preact) compiled to preact's h() calls at build time (babel-plugin-htm): the
 *  browser no longer parses each template on its first render, and htm's code leaves the bundle. The file's
 *  `import { html } from 'htm/preact'` goes (h is imported from preact as htm$h). @type {import('esbuild').Plugin} */
const htmToH = {
    name: 'htm-to-h',
    setup(b) {
        b.onLoad({ filter: /[\\/]web[\\/]src[\\/].*\.js$/ }, async (args) => {
            const original = readFileSync(args.path, 'utf8');
            const source = lightLucideImports(original);
            if (!/from\s*['"]htm\/preact['"]/.test(source)) return source === original ? undefined : { contents: source, loader: 'js' };
            /** At the end of the file (once babel-plugin-htm has replaced every template), removes `html` from the file's
             *  import of htm/preact (the whole import when nothing else is left), and fails the build if anything still
             *  uses `html` otherwise than as a template tag (it would be undefined in the browser). */
            const dropHtmImport = () => ({
                visitor: {
                    Program: {
                        exit(/** @type {any} */ program) {
                            program.scope.crawl();
                            const binding = program.scope.getBinding('html');
                            if (!binding || binding.kind !== 'module' || binding.path.parent.source.value !== 'htm/preact') return;
                            if (binding.referenced) {
                                const line = binding.referencePaths[0]?.node.loc?.start.line;
                                throw new Error(`${args.path}:${line}: \`html\` used otherwise than as a template tag; babel-plugin-htm cannot compile it`);
                            }
                            const declaration = binding.path.parentPath;
                            binding.path.remove();
                            if (declaration.node.specifiers.length === 0) declaration.remove();
                        },
                    },
                },
            });
            const out = await transformAsync(source, {
                filename: args.path, babelrc: false, configFile: false, sourceMaps: process.env.WEB_SOURCEMAP === '1' ? 'inline' : false,
                plugins: [[babelPluginHtm, { pragma: 'htm$h', import: { module: 'preact', export: 'h' }, useNativeSpread: true }], dropHtmImport],
            });
            if (!out?.code) throw new Error(`babel-plugin-htm: no output for ${args.path}`);
            if (/\bhtml`/.test(out.code)) throw new Error(`babel-plugin-htm left an html\`\` template in ${args.path}`);
            return { contents: out.code, loader: 'js' };
        });
    },
};

/** lucide-preact's icons by export name (Info, BarChart3, …): the file of each (dist/esm/icons/<file>.mjs), read from
 *  the package's own index of exports. */
const LUCIDE = join(ROOT, 'node_modules/lucide-preact/dist/esm');
const lucideFiles = new Map();
for (const [, names, file] of readFileSync(join(LUCIDE, 'lucide-preact.mjs'), 'utf8').matchAll(/export \{([^}]*)\} from '\.\/icons\/([a-z0-9-]+)\.mjs'/g)) {
    for (const [, name] of names.matchAll(/default as (\w+)/g)) lucideFiles.set(name, file);
}
/** A source's `import { Info, X as Close } from 'lucide-preact'` becomes `import { Info } from 'light-lucide:Info';
 *  import { X as Close } from 'light-lucide:X';` (plugin lightLucide, one module per icon shared by the chunks): each
 *  icon made by web/src/icon.js's lightIcon from lucide's data. Names that are not icons (Icon, createLucideIcon, …)
 *  stay lucide-preact's. @param {string} source */
const lightLucideImports = (source) => source.replace(/import\s*\{([^}]*)\}\s*from\s*['"]lucide-preact['"];?/g, (all, list) => {
    const specs = list.split(',').map((x) => x.trim()).filter(Boolean).map((x) => x.split(/\s+as\s+/));
    const icons = specs.filter(([name]) => lucideFiles.has(name));
    const others = specs.filter(([name]) => !lucideFiles.has(name));
    const text = (/** @type {string[][]} */ xs) => xs.map(([n, a]) => (a ? `${n} as ${a}` : n)).join(', ');
    return [...icons.map((x) => `import { ${text([x])} } from 'light-lucide:${x[0]}';`),
        others.length && `import { ${text(others)} } from 'lucide-preact';`].filter(Boolean).join(' ');
});
/** `light-lucide:Info`: a module exporting that icon (the names after the colon, comma-separated), each
 *  lightIcon(lucide's data of it). @type {import('esbuild').Plugin} */
const lightLucide = {
    name: 'light-lucide',
    setup(b) {
        b.onResolve({ filter: /^light-lucide:/ }, (args) => ({ path: args.path, namespace: 'light-lucide' }));
        b.onLoad({ filter: /.*/, namespace: 'light-lucide' }, (args) => {
            const names = args.path.slice('light-lucide:'.length).split(',');
            const lines = [`import { lightIcon } from ${JSON.stringify(join(WEB, 'src/icon.js'))};`];
            for (const name of names) {
                // the icon's data, the object literal of its file (importing the file would bring lucide-preact's
                // own components in: it makes one at load)
                const file = join(LUCIDE, 'icons', `${lucideFiles.get(name)}.mjs`);
                const data = /const __iconData = (\{[\s\S]*?\n\});/.exec(readFileSync(file, 'utf8'))?.[1];
                if (!data) throw new Error(`${file}: no __iconData literal (lucide-preact changed its files?)`);
                lines.push(`export const ${name} = /* @__PURE__ */ lightIcon(${data});`);
            }
            return { contents: lines.join('\n'), loader: 'js', resolveDir: WEB };
        });
    },
};

const hash = (/** @type {Buffer | string} */ content) => createHash('sha256').update(content).digest('hex').slice(0, 10);

rmSync(DIST, { recursive: true, force: true });
mkdirSync(join(DIST, 'assets'), { recursive: true });

// 1. JavaScript: one ES module entry, minified, hashed name; what a route loads on demand (import()) is a chunk of
//    its own, outside the first load.
const result = await build({
    entryPoints: { app: join(WEB, 'src/main.js') },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    outdir: join(DIST, 'assets'),
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    splitting: true,
    metafile: true,
    legalComments: 'none',
    sourcemap: process.env.WEB_SOURCEMAP === '1' ? 'external' : false,
    define: {
        __SUPABASE_URL__: JSON.stringify(SUPABASE_URL.replace(/\/+$/, '')),
        __SUPABASE_ANON_KEY__: JSON.stringify(SUPABASE_ANON_KEY),
        'process.env.NODE_ENV': '"production"',
    },
    logLevel: 'warning',
    plugins: [htmToH, lightLucide],
});
const outputs = result.metafile.outputs;
// The Intl warm-up (web/src/warm-intl.js): a classic script INLINE in index.html, first in <head>, so it runs while the
// document is parsed, before the first paint, rather than as a task of its own that Lighthouse's simulation put just
// after the first paint (about 10 ms of CPU, counted as blocking). No imports, so esbuild's IIFE is the file itself,
// minified. The CSP allows exactly this script by its hash (web/nginx.conf, script-src 'sha256-…'): the build fails
// when the two differ, and says what to write.
const warm = await build({
    entryPoints: [join(WEB, 'src/warm-intl.js')],
    bundle: false, minify: true, format: 'iife', target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    write: false, legalComments: 'none', logLevel: 'warning',
});
const warmCode = warm.outputFiles[0].text.trim();
if (/<\/script/i.test(warmCode)) throw new Error('web/src/warm-intl.js: "</script" cannot be inlined');
const warmHash = `'sha256-${createHash('sha256').update(warmCode).digest('base64')}'`;
if (!readFileSync(join(WEB, 'nginx.conf'), 'utf8').includes(`script-src 'self' ${warmHash};`)) {
    console.error(`web/nginx.conf: the CSP must allow the inline Intl warm-up (web/src/warm-intl.js) by its hash: script-src 'self' ${warmHash};`);
    process.exit(1);
}
const entries = Object.keys(outputs).filter((f) => f.endsWith('.js') && outputs[f].entryPoint?.endsWith('src/main.js'));
if (entries.length !== 1) throw new Error(`expected one JS entry, got ${entries.join(', ')}`);
const jsName = entries[0].split('/').pop();
// the first load: the entry and the chunks it imports statically (what import() asks for later is not counted), and
// the Supabase clients' chunk (web/src/supabase-client.js), which supabase.js imports with import() at once: part of
// every load, only evaluated a task later (#18)
const firstLoadJs = new Set();
const walk = (/** @type {string} */ f) => {
    if (firstLoadJs.has(f)) return;
    firstLoadJs.add(f);
    for (const i of outputs[f].imports) {
        const atOnce = i.kind === 'dynamic-import' && outputs[i.path]?.entryPoint?.endsWith('src/supabase-client.js');
        if ((i.kind === 'import-statement' || atOnce) && i.path.endsWith('.js')) walk(i.path);
    }
};
walk(entries[0]);

// 2. CSS: Tailwind from the tailwindcss package, content = web/src and index.html.
const tmpCss = join(DIST, 'assets', 'app.css');
execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/tailwindcss/lib/cli.js'), '-c', join(WEB, 'tailwind.config.js'), '-i', join(WEB, 'src/styles.css'), '-o', tmpCss, '--minify'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, BROWSERSLIST_IGNORE_OLD_DATA: '1' } },
);
const css = readFileSync(tmpCss);
rmSync(tmpCss);
const cssName = `app-${hash(css)}.css`;
writeFileSync(join(DIST, 'assets', cssName), css);

// 3. index.html (not hashed, never cached) and the static files of web/public.
//    The chunks the entry imports are announced there too (modulepreload): the browser fetches them with the entry
//    instead of after it (they are found only once the entry is parsed, and theirs once they are).
const preloads = [...firstLoadJs].filter((f) => f !== entries[0])
    .map((f) => `<link rel="modulepreload" href="/assets/${f.split('/').pop()}">`).join('\n    ');
const htmlText = readFileSync(join(WEB, 'index.html'), 'utf8').replace('%CSS%', `/assets/${cssName}`).replace('%JS%', `/assets/${jsName}`)
    .replace('%PRELOAD%', preloads).replace('%WARM%', () => warmCode);
writeFileSync(join(DIST, 'index.html'), htmlText);
if (existsSync(join(WEB, 'public'))) cpSync(join(WEB, 'public'), DIST, { recursive: true });
// The n8n guide and its workflows, which the onboarding checklist links to (/guides/n8n.txt: plain text in a tab).
if (existsSync(join(ROOT, 'docs/n8n.md'))) {
    mkdirSync(join(DIST, 'guides/n8n'), { recursive: true });
    cpSync(join(ROOT, 'docs/n8n.md'), join(DIST, 'guides/n8n.txt'));
    for (const f of ['setter-workflow.json', 'batch-workflow.json']) cpSync(join(ROOT, 'docs/n8n', f), join(DIST, 'guides/n8n', f));
}

// 4. Sizes and budget.
const firstLoad = [...[...firstLoadJs].map((f) => `assets/${f.split('/').pop()}`), `assets/${cssName}`, 'index.html'];
const lazyJs = Object.keys(outputs).filter((f) => f.endsWith('.js') && !firstLoadJs.has(f)).map((f) => `assets/${f.split('/').pop()}`);
let total = 0;
console.log(`${relative(ROOT, DIST) || DIST} (SUPABASE_URL=${SUPABASE_URL})`);
for (const f of [...firstLoad, ...lazyJs]) {
    const buf = readFileSync(join(DIST, f));
    const gz = gzipSync(buf, { level: 9 }).length;
    if (firstLoad.includes(f)) total += gz;
    console.log(`  ${f.padEnd(34)} ${(buf.length / 1024).toFixed(1).padStart(7)} KB  ${(gz / 1024).toFixed(1).padStart(6)} KB gzipped${lazyJs.includes(f) ? ' (on demand)' : ''}`);
}
console.log(`  first load (HTML, JS, CSS)         ${(total / 1024).toFixed(1).padStart(16)} KB gzipped (budget ${BUDGET / 1024} KB)`);
if (total > BUDGET) {
    console.error(`over budget: ${(total / 1024).toFixed(1)} KB > ${BUDGET / 1024} KB gzipped`);
    process.exit(1);
}
