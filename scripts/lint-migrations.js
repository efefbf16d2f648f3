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
// Every migration newer than LANDED (the last one landed when these rules were added) also (liveRules):
//   - sets lock_timeout to at most 500ms if it sets it (`set lock_timeout = '500ms';`): push.sh pushes with 500 ms
//     and retries; a file must not raise it (0, which disables it, included);
//   - sets it before its first statement that touches an existing table (DDL, trigger, policy, index, DML, lock),
//     unless its only statements are CREATE/DROP INDEX CONCURRENTLY (which cannot: push.sh's 500 ms applies);
//   - creates, alters or drops triggers on at most one of the hot tables n8n writes to all day (HOT_TABLES): each
//     trigger statement locks its table until the migration commits, so one file must not hold several of them.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitStatements, stripComments } from './upgrade/sql-split.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SINCE = '20261126100400';
const HOWTO = 'docs/upgrade.md, "Writing a migration for a live database"';
/** The last migration landed when liveRules were added (docs/upgrade.md: the landed ones set 3 s, one holds 5 hot tables). */
export const LANDED = '20261201152754';
export const MAX_LOCK_TIMEOUT_MS = 500;
/** The tables n8n (and the page) write to all day. */
export const HOT_TABLES = ['public.leads', 'public.messages', 'public.lead_status_events', 'public.coachs', 'public.coach_settings'];

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
    if (m && m[1] > LANDED) problems.push(...liveRules(text));
    text.split('\n').forEach((line, i) => {
        const ig = /--\s*squawk-ignore(-file)?\b(.*)$/.exec(line);
        if (ig && !/^\s*[\w-]+(\s*,\s*[\w-]+)*\s*--\s*\S.{8,}/.test(ig[2])) {
            problems.push(`line ${i + 1}: a squawk ignore needs its reason: \`-- squawk-ignore${ig[1] ?? ''} <rule> -- <why this statement is safe>\``);
        }
    });
    return problems;
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** A lock_timeout value in milliseconds as PostgreSQL reads it ('500ms', '3s', 500, '1min'; no unit = ms), or null. */
export function lockTimeoutMs(value) {
    const m = /^'?\s*(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*'?$/i.exec(String(value).trim());
    return m ? Number(m[1]) * UNIT_MS[(m[2] ?? 'ms').toLowerCase()] : null;
}

const NAME = String.raw`(?:"[^"]+"|[a-z_][a-z0-9_$]*)`;
const TABLE = String.raw`(${NAME}(?:\.${NAME})?)`;
const tableName = (name) => {
    const parts = name.split('.').map((p) => p.replace(/^"|"$/g, ''));
    return (parts.length === 1 ? ['public', ...parts] : parts).join('.');
};
const ON_TABLE = (head) => new RegExp(String.raw`^${head}\s.*?\son\s+(?:only\s+)?${TABLE}`);
// Statements that lock a table (the first table they name), and whether they are about a trigger.
const TOUCHES = [
    [new RegExp(String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${TABLE}`), false],
    [ON_TABLE(String.raw`create\s+(?:or\s+replace\s+)?(?:constraint\s+)?trigger`), true],
    [ON_TABLE(String.raw`(?:drop|alter)\s+trigger`), true],
    [ON_TABLE(String.raw`(?:create|alter|drop)\s+policy`), false],
    [ON_TABLE(String.raw`create\s+(?:unique\s+)?index`), false],
    [new RegExp(String.raw`^(?:${[
        String.raw`insert\s+into`, String.raw`update(?:\s+only)?`, String.raw`delete\s+from(?:\s+only)?`,
        String.raw`truncate(?:\s+table)?(?:\s+only)?`, String.raw`lock(?:\s+table)?(?:\s+only)?`,
        String.raw`drop\s+table(?:\s+if\s+exists)?`, String.raw`refresh\s+materialized\s+view(?:\s+concurrently)?`,
    ].join('|')})\s+${TABLE}`), false],
    // a data-modifying WITH: the table its INSERT, UPDATE or DELETE writes
    [new RegExp(String.raw`^with\s.*?\b(?:insert\s+into|update(?:\s+only)?|delete\s+from(?:\s+only)?)\s+${TABLE}`), false],
];

/**
 * The rules for migrations newer than LANDED (see the header): lock_timeout at most 500ms, set before the first
 * statement touching an existing table, triggers on at most one hot table. Returns the problems, each naming its line.
 */
export function liveRules(text) {
    const problems = [];
    const created = new Set();
    const hotTriggers = new Map(); // hot table -> first line
    let timeoutSet = false;
    let touchedUnset = null; // the first statement touching an existing table before any lock_timeout
    let onlyConcurrent = true;
    let cursor = 0;
    for (const raw of splitStatements(text)) {
        const at = text.indexOf(raw, cursor);
        cursor = at + raw.length;
        const sql = stripComments(raw).replace(/\s+/g, ' ').trim().toLowerCase();
        if (!sql) continue;
        const lead = raw.split('\n').findIndex((l) => l.trim() && !l.trim().startsWith('--'));
        const line = text.slice(0, at).split('\n').length + Math.max(lead, 0);
        const set = /^set\s+(?:local\s+|session\s+)?lock_timeout\s*(?:=|to)\s*(.+)$/.exec(sql)
            ?? /^select\s+(?:pg_catalog\.)?set_config\s*\(\s*'lock_timeout'\s*,\s*('[^']*')/.exec(sql);
        if (set) {
            const value = set[1].trim();
            if (value === 'default') continue; // the session's (push.sh's 500 ms, none for a plain db push): not a setting
            const ms = lockTimeoutMs(value);
            if (ms === null || ms === 0 || ms > MAX_LOCK_TIMEOUT_MS) {
                const why = ms === 0 ? 'disables the timeout' : ms === null ? 'is not a time' : `is above ${MAX_LOCK_TIMEOUT_MS}ms`;
                problems.push(`line ${line}: lock_timeout ${value} ${why}:`
                    + ` push.sh pushes with 500 ms and retries, a migration must not raise it; \`set lock_timeout = '500ms';\``);
            }
            timeoutSet = true;
            continue;
        }
        if (!/^(?:create|drop)\s+index\s+concurrently\b/.test(sql)) onlyConcurrent = false;
        const made = new RegExp(String.raw`^create\s+(?:(?:global\s+|local\s+)?(?:temporary|temp|unlogged)\s+)?table\s+(?:if\s+not\s+exists\s+)?${TABLE}`).exec(sql);
        if (made) {
            created.add(tableName(made[1]));
            continue;
        }
        for (const [re, trigger] of TOUCHES) {
            const m = re.exec(sql);
            if (!m) continue;
            const table = tableName(m[1]);
            if (created.has(table)) break;
            if (!timeoutSet && !touchedUnset) touchedUnset = { line, table };
            const isTrigger = trigger || (re === TOUCHES[0][0] && /\s(?:enable|disable)\s+(?:replica\s+|always\s+)?trigger\b/.test(sql));
            if (isTrigger && HOT_TABLES.includes(table) && !hotTriggers.has(table)) hotTriggers.set(table, line);
            break;
        }
    }
    if (touchedUnset && !onlyConcurrent) {
        problems.push(`line ${touchedUnset.line}: touches the existing table ${touchedUnset.table} without a lock_timeout:`
            + ` put \`set lock_timeout = '500ms';\` before the first statement of the file`);
    }
    if (hotTriggers.size > 1) {
        problems.push(`triggers on ${hotTriggers.size} hot tables (${[...hotTriggers].map(([t, l]) => `${t} line ${l}`).join(', ')}):`
            + ` at most one per migration, each trigger statement locks its table until the migration commits; one file per table`);
    }
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
