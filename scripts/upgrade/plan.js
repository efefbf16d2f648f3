// The online preparation of a legacy database (docs/upgrade.md): which landed migrations it applies, and how each
// statement that would lock a big table for long is run instead.
//
// Every landed migration from the first one to LAST_PREPARED is run here, statement by statement, each statement in
// its own short transaction with lock_timeout (retried on timeout), in the file's order, exactly as written, except
// the statements a rule below names: those are replaced by online equivalents that end in the same schema and data
// (concurrent index builds under the same names, NOT VALID then VALIDATE, NOT NULL through a validated check,
// batched backfills), and a few steps are added where the landed migrations would lose a legacy value. The versions
// are then recorded as applied (supabase migration repair), so `supabase db push` goes on from the next one. Later
// landed migrations are light on a prepared database; one index of 20261125400100 is built here, ahead, under its
// name (the migration says `if not exists`).
//
// A rule matches a statement by the beginning of its normalized text (lower case, comments dropped, whitespace
// collapsed) and must match exactly one statement of its migration: a landed migration never changes, so a rule
// that matches nothing means this file is not the one the migrations expect, and nothing runs.

import { normalize, splitTopLevel, stripComments } from './sql-split.js';

export const LAST_PREPARED = '20261125001000';

/**
 * @typedef {{ kind: 'sql', sql: string, blocking: boolean, what?: string }
 *   | { kind: 'batch', table: string, sql: string, pre?: string, replica?: boolean, what?: string }
 *   | { kind: 'index', name: string, sql: string, what?: string }} Step
 * @typedef {{ match: string, replace?: (statement: string) => Step[], before?: Step[], after?: Step[] }} Rule
 */

const tx = (sql, what) => ({ kind: 'sql', sql, blocking: true, what });
const quiet = (sql, what) => ({ kind: 'sql', sql, blocking: false, what });

/** `create [unique] index if not exists X on T ...` built concurrently under the same name. */
export function concurrentIndex(statement) {
    const text = stripComments(statement).trim();
    const m = /^create\s+(unique\s+)?index\s+if\s+not\s+exists\s+(\w+)\s+(on\s[\s\S]*)$/i.exec(text);
    if (!m) throw new Error(`not a "create index if not exists" statement: ${text.slice(0, 80)}`);
    return [{ kind: 'index', name: m[2], sql: `create ${m[1] ?? ''}index concurrently ${m[2]} ${m[3]}`, what: `index ${m[2]} (concurrently)` }];
}

/**
 * `alter table T add constraint A check (...), add constraint B foreign key ..., add constraint C unique (...)`:
 * checks and foreign keys added NOT VALID in one short statement, then validated one by one (no lock that blocks
 * reads or writes); unique constraints from an index built concurrently under the constraint's name.
 */
export function constraintsOnline(statement) {
    const text = stripComments(statement).trim();
    const m = /^alter\s+table\s+([\w.]+)\s+([\s\S]*)$/i.exec(text);
    if (!m) throw new Error(`not an "alter table" statement: ${text.slice(0, 80)}`);
    const table = m[1];
    const notValid = [];
    const steps = [];
    const later = [];
    for (const clause of splitTopLevel(m[2])) {
        const c = /^add\s+constraint\s+(\w+)\s+(check|foreign\s+key|unique)\b([\s\S]*)$/i.exec(clause);
        if (!c) throw new Error(`${table}: only "add constraint" clauses can be made online here, not: ${clause.slice(0, 80)}`);
        const [, name, type, rest] = c;
        if (/^unique$/i.test(type)) {
            steps.push({ kind: 'index', name, sql: `create unique index concurrently ${name} on ${table} ${rest.trim()}`, what: `unique index ${name} (concurrently)` });
            later.push(tx(`alter table ${table} add constraint ${name} unique using index ${name}`, `${name}: unique constraint using its index`));
        } else {
            notValid.push(`add constraint ${name} ${type} ${rest.trim()} not valid`);
            later.push(quiet(`alter table ${table} validate constraint ${name}`, `${name}: validate`));
        }
    }
    const first = notValid.length ? [tx(`alter table ${table}\n    ${notValid.join(',\n    ')}`, `${table}: ${notValid.length} constraint(s) NOT VALID`)] : [];
    return [...first, ...steps, ...later];
}

/** `alter table T alter column C set not null, ...` through validated checks, so SET NOT NULL scans nothing. */
export function notNullOnline(statement) {
    const text = stripComments(statement).trim();
    const m = /^alter\s+table\s+([\w.]+)\s+([\s\S]*)$/i.exec(text);
    if (!m) throw new Error(`not an "alter table" statement: ${text.slice(0, 80)}`);
    const table = m[1];
    const columns = splitTopLevel(m[2]).map((clause) => {
        const c = /^alter\s+column\s+(\w+)\s+set\s+not\s+null$/i.exec(clause);
        if (!c) throw new Error(`${table}: only "alter column ... set not null" clauses here, not: ${clause}`);
        return c[1];
    });
    const check = (c) => `legacy_upgrade_${c}_not_null`;
    return [
        tx(`alter table ${table}\n    ${columns.map((c) => `add constraint ${check(c)} check (${c} is not null) not valid`).join(',\n    ')}`,
            `${table}: not-null check(s) on ${columns.join(', ')} NOT VALID`),
        ...columns.map((c) => quiet(`alter table ${table} validate constraint ${check(c)}`, `${check(c)}: validate`)),
        tx(statement, `${table}: set not null ${columns.join(', ')} (the validated checks spare the scan)`),
        tx(`alter table ${table}\n    ${columns.map((c) => `drop constraint ${check(c)}`).join(',\n    ')}`, `${table}: drop the helper check(s)`),
    ];
}

/** The landed statement run batch by batch: its WHERE clause gets `and <key> > $1 and <key> <= $2`. */
export function batched(table, key, options = {}) {
    return (statement) => {
        const text = stripComments(statement).trim();
        if (!/\swhere\s/i.test(text)) throw new Error(`a batched statement needs a WHERE clause: ${text.slice(0, 80)}`);
        const what = normalize(statement).slice(0, 70);
        return [{ kind: 'batch', table, sql: `${text}\n    and ${key} > $1 and ${key} <= $2`, what: `${what}... (batches)`, ...options }];
    };
}

const LEAD_RANGE = 'and l.id > $1 and l.id <= $2';

/** @type {Record<string, Rule[]>} */
export const RULES = {
    '20261125000100': [
        // The guard that refuses a plain `supabase db push` on an unprepared legacy database (docs/upgrade.md): this
        // is the documented path, which prepares it, so the guard is not run here.
        { match: 'do $$ declare counts text[]', replace: () => [] },
    ],
    '20261125000300': [
        {
            // Legacy names and specialties the new checks reject: kept in private.legacy_values, then trimmed/cut
            // (a blank name becomes null, which 20261201… converge_… fills and records).
            match: 'alter table public.coachs add constraint coachs_name_length',
            before: [
                tx(`select private.quarantine_legacy_values('public.coachs', 'name',
    't.name is not null and char_length(btrim(t.name)) not between 1 and 200', 'nullif(left(btrim(t.name), 200), '''')')`,
                'coachs.name blank or over 200 characters -> private.legacy_values'),
                tx(`select private.quarantine_legacy_values('public.coachs', 'specialty',
    'char_length(t.specialty) > 100', 'left(t.specialty, 100)')`, 'coachs.specialty over 100 characters -> private.legacy_values'),
            ],
        },
        { match: 'create unique index if not exists coachs_email_lower_key', replace: concurrentIndex },
    ],
    '20261125000500': [
        { match: 'update public.leads set status = case lower(btrim(lead_status))', replace: batched('public.leads', 'id') },
        {
            // Every gender the update rewrites keeps its original spelling (an unmapped one becomes "other").
            match: 'update public.leads set gender = case',
            replace: batched('public.leads', 'id', {
                pre: `insert into private.legacy_values (table_name, row_id, column_name, original_value)
    select 'public.leads', l.id, 'gender', l.gender from public.leads as l
    where l.gender is not null and l.gender not in ('male', 'female', 'other') ${LEAD_RANGE}`,
            }),
        },
        { match: 'update public.leads set status_changed_at = coalesce(updated_at, created_at)', replace: batched('public.leads', 'id') },
        // NOT NULL on status_changed_at waits for the trigger that fills it on insert (20261125000600), so rows the
        // legacy workflow inserts meanwhile are not refused.
        { match: 'alter table public.leads alter column status_changed_at set not null', replace: () => [] },
        { match: 'alter table public.leads add constraint leads_status_valid', replace: constraintsOnline },
        { match: 'alter table public.leads alter column coach_id set not null', replace: notNullOnline },
        { match: 'create index if not exists leads_coach_id_created_at_idx', replace: concurrentIndex },
        { match: 'create index if not exists leads_coach_id_status_idx', replace: concurrentIndex },
    ],
    '20261125000600': [
        {
            match: 'create trigger leads_stamp_status_change',
            after: [
                {
                    kind: 'batch', table: 'public.leads', replica: true,
                    what: 'leads.status_changed_at of rows written since the backfill (now() when the row has no time at all)',
                    sql: `update public.leads as l set status_changed_at = coalesce(l.updated_at, l.created_at, now())
    where l.status_changed_at is null ${LEAD_RANGE}`,
                },
                ...notNullOnline('alter table public.leads alter column status_changed_at set not null'),
            ],
        },
        {
            match: 'insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at) select l.id',
            replace: batched('public.leads', 'l.id'),
        },
    ],
    '20261125000700': [
        {
            // A message filed under another coach than its lead's gets the lead's coach: the old id is kept.
            match: 'update public.messages as m set coach_id = l.coach_id',
            replace: batched('public.messages', 'm.id', {
                pre: `insert into private.legacy_values (table_name, row_id, column_name, original_value)
    select 'public.messages', m.id, 'coach_id', m.coach_id::text
    from public.messages as m join public.leads as l on l.id = m.lead_id
    where m.coach_id is not null and m.coach_id <> l.coach_id and m.id > $1 and m.id <= $2`,
            }),
        },
        { match: 'update public.messages set direction = case', replace: batched('public.messages', 'id') },
        { match: 'alter table public.messages alter column lead_id set not null', replace: notNullOnline },
        { match: 'alter table public.messages add constraint messages_direction_valid', replace: constraintsOnline },
        { match: 'create index if not exists messages_lead_id_coach_id_created_at_idx', replace: concurrentIndex },
        { match: 'create index if not exists messages_coach_id_created_at_idx', replace: concurrentIndex },
    ],
    '20261125000900': [
        { match: 'create index if not exists kpi_daily_coach_id_date_idx', replace: concurrentIndex },
    ],
    '20261125001000': [
        {
            // The derivation of every legacy lead, a batch of leads per transaction. The triggers exist by then, so
            // messages written meanwhile are derived by them; a batch and a writer serialize on the lead rows.
            // Replica mode keeps the legacy leads.updated_at (the set_updated_at trigger would stamp every lead).
            match: 'select private.sync_lead_messages(array(select l.id from public.leads as l))',
            replace: () => [{
                kind: 'batch', table: 'public.leads', replica: true, sync: true,
                what: 'derive message numbers, reply flags, lead counters and message_sequences',
                sql: `select private.sync_lead_messages(array(select l.id from public.leads as l where l.id > $1 and l.id <= $2))`,
            }],
        },
        {
            match: 'insert into public.message_sequences as s (lead_id, coach_id, call_proposed_at, call_booked_at)',
            replace: (statement) => {
                const text = stripComments(statement).trim();
                const at = text.search(/\n\s*group by e\.lead_id, e\.coach_id/);
                if (at < 0) throw new Error('20261125001000: the call milestones backfill changed');
                return [{
                    kind: 'batch', table: 'public.leads', what: 'call milestones of message_sequences from the status history',
                    sql: `${text.slice(0, at)}\nwhere e.lead_id > $1 and e.lead_id <= $2${text.slice(at)}`,
                }];
            },
        },
    ],
};

/**
 * Work done ahead for migrations that `supabase db push` runs after the preparation: they then find it done.
 * @type {Record<string, Rule[]>}
 */
export const AHEAD = {
    '20261125100200': [
        {
            // kpi_daily counts the migration sets from null to 0: the nulls are kept (a synthesized 0 is recognizable).
            match: 'update public.kpi_daily set total_dms = 0 where total_dms is null',
            steps: [tx(`insert into private.legacy_values (table_name, row_id, column_name, original_value)
    select 'public.kpi_daily', k.id, c.column_name, null
    from public.kpi_daily as k
    cross join lateral (values
        ('total_dms', k.total_dms), ('qualified_leads', k.qualified_leads),
        ('calls_proposed', k.calls_proposed), ('calls_booked', k.calls_booked)
    ) as c (column_name, value)
    where c.value is null`, 'kpi_daily null counts -> private.legacy_values (20261125100200 sets them to 0)')],
        },
    ],
    '20261125400100': [
        { match: 'create index if not exists messages_coach_id_lead_id_created_at_id_idx', replace: concurrentIndex },
    ],
    // The legacy nulls of coachs, leads and messages are filled (originals kept) before the push: in the push,
    // 20261201135526-530 add NOT VALID checks that every later write of a row must pass, and only 135542 fills the
    // nulls. A message delivered in between re-derives its lead's rows (message numbers, counters), rewriting a
    // legacy message or lead whose created_at is still null: refused (23514). Run here, each statement finds its rows;
    // run again by the push, it finds none (the update trigger of leads has set updated_at).
    '20261201135542': [
        { match: 'with touched as ( select c.id, c.name, c.email, c.created_at from public.coachs as c', replace: (st) => [verbatim(st)] },
        { match: 'with touched as ( select l.id, l.created_at, l.updated_at from public.leads as l', replace: (st) => [verbatim(st)] },
        { match: "select private.quarantine_legacy_values('public.messages', 'created_at',", replace: (st) => [verbatim(st)] },
    ],
    // The same for a legacy kpi_daily whose created_at/updated_at are nullable: filled (originals kept) before the push
    // adds the NOT VALID checks of 20261206144839, which the kpi_daily rebuild's upsert of a row still null would fail.
    '20261206144840': [
        { match: 'with touched as ( select k.id, k.created_at, k.updated_at from public.kpi_daily as k', replace: (st) => [verbatim(st)] },
    ],
};

/** The steps of one migration file: its statements, with the rules applied. */
export function stepsOf(version, statements, rules, { ahead = false } = {}) {
    const used = new Map(rules.map((r) => [r, 0]));
    const steps = [];
    for (const statement of statements) {
        const norm = normalize(statement);
        const rule = rules.find((r) => norm.startsWith(r.match));
        if (rule) used.set(rule, used.get(rule) + 1);
        if (ahead) {
            if (rule) steps.push(...(rule.steps ?? rule.replace(statement)));
            continue;
        }
        if (rule?.before) steps.push(...rule.before);
        if (rule?.replace) steps.push(...rule.replace(statement));
        else steps.push(verbatim(statement));
        if (rule?.after) steps.push(...rule.after);
    }
    for (const [rule, n] of used) {
        if (n !== 1) throw new Error(`${version}: the rule "${rule.match}" matches ${n} statements (expected exactly 1): this preparation does not fit these migrations`);
    }
    return steps;
}

function verbatim(statement) {
    const norm = normalize(statement);
    return { kind: 'sql', sql: statement, blocking: true, what: norm.length > 100 ? norm.slice(0, 97) + '...' : norm };
}
