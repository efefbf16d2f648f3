// What the document generators (scripts/gen-schema-docs.mjs, scripts/gen-kpi-docs.mjs) share: the connection to the
// migrated database (DATABASE_URL) and the end, writing the document or, with --check, failing when the checked-in one
// differs (naming the first different line and the command that regenerates it).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import pg from 'pg';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A client of DATABASE_URL and q(sql, params) -> rows. */
export async function connect() {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:54322/postgres' });
    await client.connect();
    return { client, q: async (sql, params = []) => (await client.query(sql, params)).rows };
}

/**
 * Writes text to file (relative to the repository), or with --check exits 1 when the file differs.
 * @param {string} file @param {string} text @param {{ from: string, command: string, hint?: string }} how
 */
export function writeOrCheck(file, text, { from, command, hint = '' }) {
    const target = path.join(root, file);
    if (!process.argv.includes('--check')) {
        writeFileSync(target, text);
        console.log(`wrote ${file}`);
        return;
    }
    let current = '';
    try { current = readFileSync(target, 'utf8'); } catch { /* missing counts as stale */ }
    if (current === text) {
        console.log(`${file} matches ${from}`);
        return;
    }
    const a = current.split('\n'), b = text.split('\n');
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    console.error(`${file} is stale: it is not what ${from} give${from.includes(' and ') ? '' : 's'}.`);
    console.error(`First difference at line ${n + 1}:`);
    console.error(`  ${file}: ${(a[n] ?? '(end of file)').slice(0, 200)}`);
    console.error(`  generated: ${(b[n] ?? '(end of file)').slice(0, 200)}`);
    console.error(`Regenerate it with:  ${command}   (then commit ${file}${hint})`);
    process.exit(1);
}
