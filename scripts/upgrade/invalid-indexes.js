#!/usr/bin/env node
// The INVALID indexes a failed CREATE INDEX CONCURRENTLY leaves behind (it fails, e.g. on lock_timeout, after it
// created the index): scripts/upgrade/push.sh drops those of the migration that failed before it pushes again.
//
//   node scripts/upgrade/invalid-indexes.js --db-url <url> [--drop-from <migration file>]
//
// Lists every invalid index of the database; with --drop-from, drops (concurrently) those that the file creates
// concurrently, and only those: an index being built right now by someone else is invalid too.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export async function invalidIndexes(db) {
    return (await db.query(`select n.nspname as schema, c.relname as name
        from pg_index as i join pg_class as c on c.oid = i.indexrelid join pg_namespace as n on n.oid = c.relnamespace
        where not i.indisvalid order by 1, 2`)).rows;
}

/** Names of the indexes a migration builds with CREATE [UNIQUE] INDEX CONCURRENTLY. */
export function concurrentIndexNames(sql) {
    return [...sql.matchAll(/create\s+(?:unique\s+)?index\s+concurrently\s+(?:if\s+not\s+exists\s+)?("?[\w]+"?)/gi)].map((m) => m[1].replaceAll('"', ''));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    const argv = process.argv.slice(2);
    const opt = (name) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
    const db = new pg.Client({ connectionString: opt('db-url'), application_name: 'upgrade-invalid-indexes' });
    await db.connect();
    try {
        const invalid = await invalidIndexes(db);
        const file = opt('drop-from');
        const mine = file ? concurrentIndexNames(readFileSync(file, 'utf8')) : [];
        for (const ix of invalid) {
            if (mine.includes(ix.name)) {
                await db.query(`drop index concurrently if exists ${ix.schema}.${ix.name}`);
                console.error(`push: dropped the invalid index ${ix.schema}.${ix.name} that the failed build of ${file} left`);
            } else console.error(`push: warning: invalid index ${ix.schema}.${ix.name} (a failed or running concurrent build)`);
        }
    } finally {
        await db.end();
    }
}
