#!/usr/bin/env node
// npm run db:advisor: Supabase's database advisor (splinter) on a migrated database, silent at WARN or it fails.
//
//   DATABASE_URL=postgresql://postgres@127.0.0.1:54322/postgres node scripts/advisor.mjs
//
// Two sources, one verdict:
//   1. `postgrestools dblint` (the Postgres Language Server, npm @postgrestools/postgrestools, pinned in package.json:
//      @postgres-language-server/cli has no macOS/Windows builds on the registry, so its lock file breaks `npm ci`): splinter's lints
//      as the language server ships them;
//   2. the two security-definer lints that this dblint does not ship yet (splinter 0028/0029:
//      anon_security_definer_function_executable, authenticated_security_definer_function_executable): a SECURITY
//      DEFINER function of an exposed schema (supabase/config.toml [api] schemas) that anon or authenticated may execute.
// Findings at WARN or above fail the run, unless listed BY NAME in supabase/advisor-accepted.json with a reason.
// The two security-definer lints can never be accepted, and an accepted finding that is no longer reported is an error
// too (the list stays true). Exit 0 when silent, 1 otherwise.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ACCEPTED_FILE = join(ROOT, 'supabase/advisor-accepted.json');
export const NEVER_ACCEPTED = ['anon_security_definer_function_executable', 'authenticated_security_definer_function_executable'];

/** splinter/security/functionSearchPathMutable -> function_search_path_mutable */
const lintName = (category) => category.split('/').pop().replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The schemas the API exposes, from supabase/config.toml ([api] schemas). */
export function exposedSchemas(toml = readFileSync(join(ROOT, 'supabase/config.toml'), 'utf8')) {
    const api = toml.split(/^\[/m).find((s) => s.startsWith('api]')) ?? '';
    const m = /^\s*schemas\s*=\s*\[([^\]]*)\]/m.exec(api);
    return m ? [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]) : ['public'];
}

/** dblint's findings at WARN or above: [{ lint, object, message }]. */
export function dblintFindings(databaseUrl) {
    const bin = join(ROOT, 'node_modules/.bin/postgrestools');
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm ci`);
    let out;
    try {
        out = execFileSync(bin, ['dblint', '--connection-string', databaseUrl, '--reporter=json', '--diagnostic-level=warn',
            '--max-diagnostics=none', '--colors=off'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
        out = e.stdout; // dblint exits non-zero on errors; its report is still on stdout
        if (!out) throw new Error(`dblint failed: ${e.stderr || e.message}`);
    }
    const report = JSON.parse(out);
    return report.diagnostics
        .filter((d) => d.severity === 'warning' || d.severity === 'error')
        .map((d) => {
            const message = d.message.replace(/\\`/g, '`').replace(/\\\\/g, '\\');
            return { lint: lintName(d.category), object: /`([^`]+)`/.exec(message)?.[1] ?? '', message, level: d.severity };
        });
}

/** splinter 0028/0029 (not in this dblint): security definer functions of exposed schemas executable by anon/authenticated. */
export async function securityDefinerFindings(databaseUrl, schemas = exposedSchemas()) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
        const { rows } = await client.query(
            `select r.rolname, n.nspname || '.' || p.proname as object,
                    pg_catalog.pg_get_function_identity_arguments(p.oid) as args
             from pg_catalog.pg_proc as p
             join pg_catalog.pg_namespace as n on n.oid = p.pronamespace
             cross join (values ('anon'), ('authenticated')) as r (rolname)
             where p.prosecdef and n.nspname = any($1::text[])
                and pg_catalog.has_function_privilege(r.rolname, p.oid, 'execute')
             order by 2, 1`,
            [schemas],
        );
        return rows.map((r) => ({
            lint: `${r.rolname}_security_definer_function_executable`,
            object: r.object,
            message: `Function \`${r.object}(${r.args})\` is SECURITY DEFINER in an exposed schema and ${r.rolname} may execute it (POST /rest/v1/rpc/${r.object.split('.')[1]})`,
            level: 'warning',
        }));
    } finally {
        await client.end();
    }
}

/** Reads and checks the accepted list: [{ lint, object, reason }]. Returns { accepted, problems }. */
export function loadAccepted(text = existsSync(ACCEPTED_FILE) ? readFileSync(ACCEPTED_FILE, 'utf8') : '{"accepted": []}') {
    const problems = [];
    const accepted = JSON.parse(text).accepted ?? [];
    for (const a of accepted) {
        if (!a.lint || !a.object) problems.push(`an accepted entry needs "lint" and "object": ${JSON.stringify(a)}`);
        else if (NEVER_ACCEPTED.includes(a.lint)) problems.push(`${a.lint} (${a.object}) can never be accepted: move the security definer function to private`);
        else if (!String(a.reason ?? '').trim()) problems.push(`${a.lint} (${a.object}) is accepted without a reason`);
    }
    return { accepted, problems };
}

/** The verdict: findings not accepted, accepted entries no longer found, and problems of the list. */
export function verdict(findings, { accepted, problems }) {
    const key = (x) => `${x.lint} ${x.object}`;
    const acceptedKeys = new Set(accepted.filter((a) => !NEVER_ACCEPTED.includes(a.lint)).map(key));
    const foundKeys = new Set(findings.map(key));
    return {
        unaccepted: findings.filter((f) => !acceptedKeys.has(key(f))),
        acceptedFound: findings.filter((f) => acceptedKeys.has(key(f))),
        stale: accepted.filter((a) => !foundKeys.has(key(a)) && !NEVER_ACCEPTED.includes(a.lint)).map(key),
        problems,
    };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
        console.error('advisor: set DATABASE_URL to the migrated database');
        process.exit(2);
    }
    const findings = [...dblintFindings(databaseUrl), ...(await securityDefinerFindings(databaseUrl))];
    const v = verdict(findings, loadAccepted());
    for (const f of v.acceptedFound) console.log(`advisor: accepted  ${f.lint}  ${f.object}`);
    for (const f of v.unaccepted) console.log(`advisor: WARN      ${f.lint}  ${f.object}: ${f.message}`);
    for (const s of v.stale) console.log(`advisor: STALE     ${s}: accepted in supabase/advisor-accepted.json but no longer reported; remove it`);
    for (const p of v.problems) console.log(`advisor: INVALID   ${p}`);
    const bad = v.unaccepted.length + v.stale.length + v.problems.length;
    console.log(bad ? `advisor: ${v.unaccepted.length} finding(s) at WARN not accepted, ${v.stale.length} stale, ${v.problems.length} invalid`
        : `advisor: silent at WARN (${v.acceptedFound.length} accepted finding(s), supabase/advisor-accepted.json)`);
    process.exit(bad ? 1 : 0);
}
