#!/usr/bin/env node
// npm test's migration lint: squawk (npm squawk-cli, pinned; config .squawk.toml) over every migration newer than
// SINCE, plus the house rules squawk does not know. Exits 1 and says what to change when one fails.
//
//   node scripts/lint-migrations.js [files...]     (default: supabase/migrations/* newer than SINCE)
//
// SINCE is the last migration on main when the lint was added (2026-12-01): the migrations up to it have landed, may
// have run on a database, and are never edited (docs/upgrade.md says how the upgrade of a legacy database deals with
// their locks). Every later migration is checked:
//   - its name: YYYYMMDDHHMMSS_verb_noun.sql, a real UTC date and time (three landed versions have hour 40 or 50:
//     docs/upgrade.md, "Migration versions"), unique, first line `-- Purpose: ...`;
//   - squawk, lock rules included (lock_timeout, NOT VALID then VALIDATE in separate migrations, CREATE INDEX
//     CONCURRENTLY alone in its file, NOT NULL through a check...): a statement that must break a rule carries
//     `-- squawk-ignore <rule> -- <reason>` on the line before it (or `-- squawk-ignore-file <rule> -- <reason>`);
//     an ignore without a reason fails.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SINCE = '20261126100400';
const HOWTO = 'docs/upgrade.md, "Writing a migration for a live database"';

/** A valid UTC timestamp version: YYYYMMDDHHMMSS that names a real instant. */
export function isTimestamp(version) {
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(version);
    if (!m) return false;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
    const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && t.getUTCHours() === h
        && t.getUTCMinutes() === mi && t.getUTCSeconds() === s;
}

/** Problems with one file apart from squawk's: name, version, purpose line, ignores without a reason. */
export function houseRules(path, text, versions) {
    const problems = [];
    const name = basename(path);
    const m = /^(\d{14})_([a-z0-9]+(?:_[a-z0-9]+)+)\.sql$/.exec(name);
    if (!m) problems.push('name it YYYYMMDDHHMMSS_verb_noun.sql (lower case, words joined by _)');
    else {
        if (!isTimestamp(m[1])) problems.push(`${m[1]} is not a real UTC time: take the version from \`date -u +%Y%m%d%H%M%S\``);
        if (versions.filter((v) => v === m[1]).length > 1) problems.push(`version ${m[1]} is used twice`);
    }
    if (!/^-- Purpose: \S/.test(text)) problems.push('start with a one-line `-- Purpose: ...` header');
    text.split('\n').forEach((line, i) => {
        const ig = /--\s*squawk-ignore(-file)?\b(.*)$/.exec(line);
        if (ig && !/^\s*[\w-]+(\s*,\s*[\w-]+)*\s*--\s*\S.{8,}/.test(ig[2])) {
            problems.push(`line ${i + 1}: a squawk ignore needs its reason: \`-- squawk-ignore${ig[1] ?? ''} <rule> -- <why this statement is safe>\``);
        }
    });
    return problems;
}

export function lint(files) {
    const all = readdirSync(join(ROOT, 'supabase/migrations')).filter((f) => f.endsWith('.sql'));
    const versions = all.map((f) => f.split('_')[0]);
    const targets = files.length ? files : all.filter((f) => f.split('_')[0] > SINCE).sort().map((f) => join(ROOT, 'supabase/migrations', f));
    let failed = false;
    for (const f of targets) {
        for (const p of houseRules(f, readFileSync(f, 'utf8'), versions)) {
            failed = true;
            console.error(`${relative(ROOT, f)}: ${p}`);
        }
    }
    if (targets.length) {
        const r = spawnSync(join(ROOT, 'node_modules/.bin/squawk'), ['-c', join(ROOT, '.squawk.toml'), '--reporter', 'gcc', ...targets],
            { cwd: ROOT, encoding: 'utf8' });
        if (r.error) throw r.error;
        if (r.status !== 0) {
            failed = true;
            process.stderr.write(r.stdout.split('\n').map((l) => l.replace(`${ROOT}/`, '')).join('\n'));
            process.stderr.write(r.stderr);
            if (/require-lock-timeout/.test(r.stdout)) {
                console.error(`\nrequire-lock-timeout: put \`set lock_timeout = '500ms';\` before the first statement of the file (a`
                    + `\nCREATE INDEX CONCURRENTLY file cannot: see ${HOWTO}).`);
            }
            console.error(`\nsquawk: the statements above can lock a live table (rules: https://squawkhq.com/docs/rules).`
                + `\nMake them online (${HOWTO}), or, when a statement is safe for a reason squawk cannot see, say it on the`
                + `\nline before: -- squawk-ignore <rule> -- <reason>. Rules left out for every file, and why: .squawk.toml.`);
        }
    }
    (failed ? console.error : console.log)(`lint-migrations: ${targets.length} migration(s) newer than ${SINCE} checked${failed ? ': FAILED' : ', fine'}`);
    return !failed;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    process.exit(lint(process.argv.slice(2)) ? 0 : 1);
}
