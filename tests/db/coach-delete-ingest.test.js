// Deleting a coach while n8n ingests for it (issue 23, "Races and bounds found under chaos"), with real sessions that
// commit, outside a test transaction:
//   - the reproduction: n8n's transaction has written a lead of the coach; the delete starts and waits for that
//     lead; n8n's next call for the same lead inserts a status event, whose foreign key waits for the coach row the
//     delete holds: 40P01 (3 times in the chaos run). The delete's advisory lock (20261201180958) covers the upkeep only.
//   - in the same race, a call that starts while the delete is in progress answered 23503 (a foreign key violation,
//     HTTP 409 naming the constraint) or "lead belongs to another coach" instead of the documented "unknown coach"
//     (P0001, HTTP 400), for ingest_lead, ingest_message and the batch ingest_messages.
// Every ingestion call now locks the coach row (FOR KEY SHARE, the lock its foreign keys take anyway) before any lead:
// a delete in progress is waited for, then the coach is unknown; a delete that comes later waits for the call's
// transaction.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';

const url = process.env.DATABASE_URL;
const coachId = '0c0c0c0c-0000-4000-8000-0000000de1e7';
let admin; // setup and the admin's delete
let n8n; // n8n's session (service_role)

const connect = async (name) => {
    const c = new pg.Client({ connectionString: url, application_name: name });
    await c.connect();
    return c;
};

before(async () => {
    assert.ok(url, 'DATABASE_URL is set by scripts/test.sh');
    admin = await connect('coach-delete-ingest admin');
    n8n = await connect('coach-delete-ingest n8n');
    await n8n.query('set role service_role');
});

after(async () => {
    await n8n?.query('rollback').catch(() => {});
    await admin?.query('rollback').catch(() => {});
    await admin?.query('delete from public.coachs where id = $1', [coachId]).catch(() => {});
    await admin?.end();
    await n8n?.end();
});

const createCoach = async () => {
    await admin.query('delete from public.coachs where id = $1', [coachId]);
    await admin.query(`insert into public.coachs (id, name, email) values ($1, 'Delete ingest', 'delete-ingest@example.com')`, [coachId]);
};

/** What the admin's backend waits for now: null when it is not waiting for a lock. */
const waitOf = async (name) =>
    (await n8nFree.query(`select l.locktype from pg_catalog.pg_stat_activity as a
        join pg_catalog.pg_locks as l on l.pid = a.pid and not l.granted
        where a.application_name = $1 limit 1`, [name])).rows[0]?.locktype ?? null;
let n8nFree; // a third session that only looks at locks

const until = async (what, name) => {
    for (let i = 0; i < 100; i++) {
        if ((await waitOf(name)) !== null) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`${what} never waited`);
};

const outcome = (p) => p.then((r) => ({ rows: r.rows, rowCount: r.rowCount }), (error) => ({ error }));

test('ingest_lead twice in one transaction while the coach is deleted: no deadlock, the delete waits for it', async () => {
    n8nFree = await connect('coach-delete-ingest observer');
    try {
        await createCoach();
        await n8n.query('select public.ingest_lead($1)', [{ coach_id: coachId, user_id_instagram: 'del_ingest_1' }]);
        await n8n.query('begin');
        await n8n.query('select public.ingest_lead($1)', [{ coach_id: coachId, user_id_instagram: 'del_ingest_1', first_name: 'Ana' }]);
        const deleted = outcome(admin.query('delete from public.coachs where id = $1', [coachId]));
        await until('the delete', 'coach-delete-ingest admin');
        const second = await outcome(n8n.query('select public.ingest_lead($1) as r',
            [{ coach_id: coachId, user_id_instagram: 'del_ingest_1', status: 'engaged' }]));
        await new Promise((resolve) => setTimeout(resolve, 1200)); // past deadlock_timeout (1 s): a cycle would be cut by now
        await n8n.query(second.error ? 'rollback' : 'commit');
        const del = await deleted;
        assert.equal(second.error?.code, undefined, `ingest_lead failed: ${second.error?.message}`);
        assert.equal(second.rows[0].r.status, 'engaged');
        assert.equal(del.error?.code, undefined, `the delete failed: ${del.error?.message}`);
        assert.equal(del.rowCount, 1);
        const left = (await admin.query('select count(*)::int as n from public.leads where coach_id = $1', [coachId])).rows[0].n;
        assert.equal(left, 0, 'the coach went with its lead and its status events');
    } finally {
        await n8nFree.end();
    }
});

// Each call starts while the delete is in progress (not committed) and must answer what it answers once the coach is
// gone: P0001 "unknown coach" (the batch names the element).
const calls = [
    ['ingest_lead, a new lead', 'select public.ingest_lead($1)', { coach_id: coachId, user_id_instagram: 'del_ingest_new' }, ''],
    ['ingest_lead, an existing lead', 'select public.ingest_lead($1)', { coach_id: coachId, user_id_instagram: 'del_ingest_old', status: 'engaged' }, ''],
    ['ingest_message', 'select public.ingest_message($1)',
        { coach_id: coachId, user_id_instagram: 'del_ingest_old', external_id: 'del_m2', direction: 'in', text: 'yo' }, ''],
    ['ingest_messages', 'select public.ingest_messages($1)',
        [{ coach_id: coachId, user_id_instagram: 'del_ingest_new', external_id: 'del_m3', direction: 'out', text: 'Salut',
            created_at: new Date().toISOString() }], 'payloads[0]: '],
];

for (const [name, sql, payload, prefix] of calls) {
    test(`${name} during a coach's deletion answers "unknown coach" (P0001, HTTP 400), not 23503`, async () => {
        n8nFree = await connect('coach-delete-ingest observer');
        try {
            await createCoach();
            await n8n.query('select public.ingest_message($1)', [{ coach_id: coachId, user_id_instagram: 'del_ingest_old',
                external_id: 'del_m1', direction: 'out', text: 'Salut' }]);
            await admin.query('begin');
            await admin.query('delete from public.coachs where id = $1', [coachId]);
            const call = outcome(n8n.query(sql, [JSON.stringify(payload)]));
            await until(name, 'coach-delete-ingest n8n');
            await admin.query('commit');
            const r = await call;
            assert.equal(r.error?.code, 'P0001', `${name} answered ${r.error?.code ?? 'without error'}: ${r.error?.message}`);
            assert.equal(r.error.message, `${prefix}invalid field "coach_id": unknown coach ${coachId}`);
        } finally {
            await admin.query('rollback').catch(() => {});
            await n8nFree.end();
        }
    });
}
