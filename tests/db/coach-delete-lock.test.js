// Deleting a coach while a KPI upkeep pass writes that coach's facts: without a common lock order the two deadlock
// (the delete locks the coach row, then its cascade waits for the facts rows the pass holds; the pass's next facts row
// needs a KEY SHARE lock on the coach row: PostgreSQL cancels one side with 40P01). The BEFORE DELETE trigger on coachs
// (20261201180958) takes the facts writers' advisory lock first, so the delete waits for the pass and both succeed.
// Outside a test transaction: two real sessions, each committing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';

const url = process.env.DATABASE_URL;
const coachId = '0c0c0c0c-0000-4000-8000-00000000de1e';
const leadId = '1e1e1e1e-0000-4000-8000-00000000de1e';
let pass; // the upkeep pass's session
let deleter; // the admin's session

before(async () => {
    assert.ok(url, 'DATABASE_URL is set by scripts/test.sh');
    pass = new pg.Client({ connectionString: url, application_name: 'coach-delete-lock pass' });
    deleter = new pg.Client({ connectionString: url, application_name: 'coach-delete-lock deleter' });
    await pass.connect();
    await deleter.connect();
    await pass.query('delete from public.coachs where id = $1', [coachId]);
    await pass.query(`insert into public.coachs (id, name, email) values ($1, 'Delete lock', 'delete-lock@example.com')`, [coachId]);
    await pass.query(`insert into public.leads (id, coach_id, user_id_instagram) values ($1, $2, 'delete_lock_ig')`, [leadId, coachId]);
    await pass.query('select private.kpi_upkeep()'); // the lead's facts row exists
    const { rows } = await pass.query('select count(*)::int as n from private.lead_facts where lead_id = $1', [leadId]);
    assert.equal(rows[0].n, 1, 'the upkeep wrote the lead facts row');
});

after(async () => {
    await pass?.query('rollback').catch(() => {});
    await pass?.query('delete from public.coachs where id = $1', [coachId]).catch(() => {});
    await pass?.end();
    await deleter?.end();
});

/** What the deleter's backend waits for now: null when it is not waiting for a lock. */
const deleterWait = async () =>
    (await pass.query(
        `select l.locktype from pg_catalog.pg_stat_activity as a
         join pg_catalog.pg_locks as l on l.pid = a.pid and not l.granted
         where a.application_name = 'coach-delete-lock deleter' limit 1`,
    )).rows[0]?.locktype ?? null;

test('a coach deleted while an upkeep pass writes its facts: the delete waits for the pass, neither fails', async () => {
    // The pass: its advisory lock, then a facts row of the coach, as private.kpi_apply_lead_facts does.
    await pass.query('begin');
    await pass.query('select pg_advisory_xact_lock(private.kpi_upkeep_lock())');
    await pass.query('update private.lead_facts set total_messages = total_messages where lead_id = $1', [leadId]);

    const deleted = deleter.query('delete from public.coachs where id = $1', [coachId]).then(
        (r) => ({ rowCount: r.rowCount }),
        (error) => ({ error }),
    );
    let wait = null;
    for (let i = 0; i < 100 && wait === null; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        wait = await deleterWait();
    }
    assert.equal(wait, 'advisory', 'the delete waits for the facts writers\' lock before locking any row');

    // The pass goes on with a row whose foreign key locks the coach row (KEY SHARE), then commits.
    await pass.query('select 1 from public.coachs where id = $1 for key share', [coachId]);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // past deadlock_timeout (1 s): a cycle would be cut now
    await pass.query('commit');

    const outcome = await deleted;
    assert.equal(outcome.error?.code, undefined, `the delete failed: ${outcome.error?.message}`);
    assert.equal(outcome.rowCount, 1);
    const { rows } = await pass.query('select count(*)::int as n from private.lead_facts where coach_id = $1', [coachId]);
    assert.equal(rows[0].n, 0, 'the coach\'s facts went with it');
});
