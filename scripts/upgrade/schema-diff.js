#!/usr/bin/env node
// Compares the schemas public and private of two databases as `pg_dump --schema-only` prints them, normalized:
// a database built fresh from supabase/migrations and an upgraded legacy one must be equal, apart from LEGACY_EXTRAS.
//
//   node scripts/upgrade/schema-diff.js --fresh <url> --upgraded <url>
//
// Prints the differences (unified diff of the dumps) and exits 1 when any is left. pg_dump must be at least the
// server's major version (PostgreSQL 15 here; a hosted project on 17 needs pg_dump 17).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Lines an upgraded legacy database may have (`+`) or lack (`-`) compared with a fresh one, each with its reason.
 * Empty: after 20261201135544 (convergence) an upgraded legacy database has exactly the fresh schema. Objects of the
 * upgrade outside public and private are not compared: the schema legacy_upgrade (the preparation's progress, dropped
 * by the DBA at the end, docs/upgrade.md) and supabase_migrations (the same versions, checked by the tests).
 * @type {{ line: RegExp, reason: string }[]}
 */
export const LEGACY_EXTRAS = [];

const NOISE = [/^\\(un)?restrict /, /^-- Dumped (from database|by pg_dump) version/];

/**
 * pg_dump of the given schemas, normalized: without what differs between any two dumps (restrict keys, versions),
 * and its objects (the blocks that start at `-- Name: ...`) sorted, since pg_dump breaks ties by object id, so two
 * equal schemas built in another order can print in another order.
 */
export function normalizedDump(url, schemas = ['public', 'private']) {
    const r = spawnSync('pg_dump', ['--schema-only', '--no-owner', ...schemas.flatMap((s) => ['-n', s]), url], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr}`);
    const lines = r.stdout.split('\n').filter((line) => !NOISE.some((re) => re.test(line)));
    const blocks = [[]];
    for (const line of lines) {
        if (line.startsWith('-- Name: ')) blocks.push([]);
        blocks.at(-1).push(line);
    }
    const [head, ...objects] = blocks.map((b) => b.join('\n').replace(/\n--\n*$/, '').trimEnd());
    return [head.replace(/\n--$/, ''), ...objects.sort()].join('\n\n--\n');
}

/** { equal, diff (the lines that differ, unified format), allowed (differences LEGACY_EXTRAS accepts) } */
export function schemaDiff(freshUrl, upgradedUrl, extras = LEGACY_EXTRAS) {
    const dir = mkdtempSync(join(os.tmpdir(), 'schema-diff-'));
    try {
        writeFileSync(join(dir, 'fresh.sql'), normalizedDump(freshUrl));
        writeFileSync(join(dir, 'upgraded.sql'), normalizedDump(upgradedUrl));
        const r = spawnSync('diff', ['-U', '3', join(dir, 'fresh.sql'), join(dir, 'upgraded.sql')], { encoding: 'utf8', maxBuffer: 1 << 28 });
        if (r.status > 1) throw new Error(`diff failed: ${r.stderr}`);
        const changed = r.stdout.split('\n').filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---) /.test(l));
        const allowed = changed.filter((l) => extras.some((e) => e.line.test(l)));
        const left = changed.filter((l) => !allowed.includes(l));
        return { equal: left.length === 0, diff: left.length ? r.stdout : '', differences: left, allowed };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    const argv = process.argv.slice(2);
    const opt = (name) => argv[argv.indexOf(`--${name}`) + 1];
    if (!argv.includes('--fresh') || !argv.includes('--upgraded')) {
        console.error('usage: node scripts/upgrade/schema-diff.js --fresh <url> --upgraded <url>');
        process.exit(2);
    }
    const d = schemaDiff(opt('fresh'), opt('upgraded'));
    for (const l of d.allowed) console.log(`allowed legacy extra: ${l}`);
    if (d.equal) console.log('schema-diff: public and private are the same');
    else console.log(d.diff);
    process.exit(d.equal ? 0 : 1);
}
