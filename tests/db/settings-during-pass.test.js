// A coach's settings saved while an upkeep pass computes its stored documents (issue 23, "Races and bounds found under
// chaos"), with real sessions that commit, outside a test transaction:
//   - the pass read the settings before the save committed and stored documents computed from them: the next pass must
//     see that they are older than the settings and compute them again (before, it found 5 documents for today and
//     kept them: ROI, acquisition cost, time saved stayed wrong until the data changed or local midnight);
//   - the same for a time zone change between two zones with the same offset (Paris -> Berlin: no local day moves, so
//     no fact changes and nothing else refreshes the documents that still say Europe/Paris);
//   - the save and the pass's writes of the stored documents no longer deadlock (40P01 "while deleting tuple in
//     relation kpi_documents": the save's trigger deleted the rows the pass was upserting, each side in its own order;
//     the save failed with HTTP 500).
// The sessions standing for a pass hold the KPI writers' advisory lock, as a pass does, so pg_cron's own passes wait
// for them instead of interleaving.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';

const url = process.env.DATABASE_URL;
const coachId = '0c0c0c0c-0000-4000-8000-0000005e7715';
let admin; // setup and checks
let pass; // the session standing for an upkeep pass
let saver; // the coach, signed in, saving its settings

const connect = async (name) => {
    const c = new pg.Client({ connectionString: url, application_name: name });
    await c.connect();
    return c;
};

before(async () => {
    assert.ok(url, 'DATABASE_URL is set by scripts/test.sh');
    admin = await connect('settings-race admin');
    pass = await connect('settings-race pass');
    saver = await connect('settings-race saver');
    await admin.query('delete from public.coachs where id = $1', [coachId]);
    await admin.query(`insert into public.coachs (id, name, email, timezone)
        values ($1, 'Settings race', 'settings-race@example.com', 'Europe/Paris')`, [coachId]);
    // a lead and a DM sent today (the coach has facts, hence stored documents)
    await admin.query(`insert into public.leads (coach_id, user_id_instagram, created_at) values ($1, 'settings_race_1', now())`, [coachId]);
    await admin.query(`insert into public.messages (lead_id, coach_id, direction, text, created_at)
        select id, coach_id, 'out', 'Salut', now() from public.leads where user_id_instagram = 'settings_race_1'`);
    // the coach's session, as PostgREST makes it for a signed-in coach
    await saver.query('set role authenticated');
    await saver.query(`select set_config('request.jwt.claims', $1, false)`,
        [JSON.stringify({ sub: coachId, role: 'authenticated', aud: 'authenticated' })]);
});

after(async () => {
    for (const c of [pass, saver]) await c?.query('rollback').catch(() => {});
    await pass?.query('select pg_advisory_unlock_all()').catch(() => {});
    await admin?.query('delete from public.coachs where id = $1', [coachId]).catch(() => {});
    for (const c of [admin, pass, saver]) await c?.end();
});

/** One upkeep pass, committed (it waits for a pass of pg_cron in progress). */
const upkeep = () => admin.query('select private.kpi_upkeep()');

/** What the stored documents of the coach say (five of them for today, each with its settings-dependent values). */
const stored = async () => (await admin.query(`
    select d.period, d.day = (now() at time zone c.timezone)::date as today, d.document #>> '{coach,timezone}' as timezone,
        d.document #>> '{period,timezone}' as period_timezone, (d.document #>> '{performance,setter_cost}')::numeric as setter_cost
    from private.kpi_documents as d join public.coachs as c on c.id = d.coach_id
    where d.coach_id = $1 order by d.period`, [coachId])).rows;

const settle = async () => {
    await upkeep();
    const docs = await stored();
    assert.equal(docs.filter((d) => d.today).length, 5, 'the five preset documents of today are stored');
    return docs;
};

/** What a backend of this test waits for now: null when it is not waiting for a lock. */
const waitOf = async (name) =>
    (await admin.query(`select l.locktype from pg_catalog.pg_stat_activity as a
        join pg_catalog.pg_locks as l on l.pid = a.pid and not l.granted
        where a.application_name = $1 limit 1`, [name])).rows[0]?.locktype ?? null;

/**
 * The reproduction: the pass reads the settings (repeatable read) before the save commits, then computes and
 * stores the documents from that snapshot and commits. `save` is the save, committed by the coach's session.
 */
const passAcrossSave = async (save) => {
    // a pass's lock, taken before the snapshot so no pass of pg_cron commits after it
    await pass.query('select pg_advisory_lock(private.kpi_upkeep_lock())');
    try {
        await pass.query('begin isolation level repeatable read');
        const before = (await pass.query('select setter_monthly_cost from public.coach_settings where coach_id = $1', [coachId])).rows[0];
        assert.ok(before, 'the pass reads the settings');
        await save();
        await pass.query('select private.kpi_refresh_documents($1)', [coachId]);
        await pass.query('commit');
    } finally {
        await pass.query('select pg_advisory_unlock(private.kpi_upkeep_lock())');
    }
};

test('a setter cost saved while a pass computes the documents: the next pass stores them again with the new cost', async () => {
    await settle();
    const { rows } = await admin.query('select setter_monthly_cost::numeric as cost from public.coach_settings where coach_id = $1', [coachId]);
    const newCost = Number(rows[0].cost) + 1000;
    await passAcrossSave(() => saver.query('select public.update_coach_settings($1)', [JSON.stringify({ setter_monthly_cost: newCost })]));
    await upkeep(); // the next pass
    const docs = await stored();
    const thirty = docs.find((d) => d.period === '30d');
    assert.equal(Number(thirty.setter_cost), newCost, 'the stored 30-day document has the new setter cost (30 days of it)');
    assert.equal(Number(docs.find((d) => d.period === '7d').setter_cost), Math.round(newCost * 7 / 30 * 100) / 100,
        'and the 7-day one, 7/30 of it');
    const served = (await admin.query(`select (public.get_dashboard($1, '30d') #>> '{performance,setter_cost}')::numeric as cost`, [coachId])).rows[0];
    assert.equal(Number(served.cost), newCost, 'get_dashboard serves the new cost');
});

test('a time zone change Paris -> Berlin during a pass: the next pass stores the documents again in Berlin time', async () => {
    await admin.query(`update public.coachs set timezone = 'Europe/Paris' where id = $1`, [coachId]);
    const docs = await settle();
    assert.deepEqual([...new Set(docs.map((d) => d.timezone))], ['Europe/Paris'], 'the fixture: documents in Paris time');
    await passAcrossSave(() => saver.query('select public.update_coach_settings($1)', [JSON.stringify({ timezone: 'Europe/Berlin' })]));
    await upkeep();
    const after = await stored();
    assert.deepEqual(after.map((d) => [d.period, d.timezone, d.period_timezone]),
        ['30d', '7d', '90d', 'all', 'today'].map((p) => [p, 'Europe/Berlin', 'Europe/Berlin']),
        'every stored document is in Berlin time');
    const served = (await admin.query(`select public.get_dashboard($1, 'today') #>> '{coach,timezone}' as tz`, [coachId])).rows[0];
    assert.equal(served.tz, 'Europe/Berlin');
    await admin.query(`update public.coachs set timezone = 'Europe/Paris' where id = $1`, [coachId]);
});

test('a settings save while a pass upserts the stored documents: no deadlock, the save does not wait', async () => {
    await settle();
    // The pass, as private.kpi_refresh_documents does: its lock, then the upsert has written the 'today' document.
    await pass.query('begin');
    await pass.query('select pg_advisory_xact_lock(private.kpi_upkeep_lock())');
    await pass.query(`update private.kpi_documents set computed_at = computed_at where coach_id = $1 and period = 'today'`, [coachId]);
    // The coach saves. (As in production, where kpi_documents holds 5 rows per coach, the rows of one coach are read
    // through the primary key: ('30d', '7d', '90d', 'all', 'today').)
    await saver.query('set enable_seqscan = off');
    const saved = saver.query('select public.update_coach_settings($1) as s', [JSON.stringify({ minutes_per_manual_message: 7 })]).then(
        (r) => ({ settings: r.rows[0].s }),
        (error) => ({ error }),
    );
    let waiting = null;
    let settled = false;
    saved.then(() => { settled = true; });
    for (let i = 0; i < 20 && waiting === null && !settled; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        waiting = await waitOf('settings-race saver');
    }
    // The pass goes on: the upsert of the other documents, then it commits.
    const refreshed = pass.query('select private.kpi_refresh_documents($1)', [coachId]).then(() => ({}), (error) => ({ error }));
    const passOutcome = await refreshed;
    await pass.query(passOutcome.error ? 'rollback' : 'commit');
    const saveOutcome = await saved;
    await saver.query('reset enable_seqscan');
    assert.equal(saveOutcome.error?.code, undefined, `the save failed: ${saveOutcome.error?.message}`);
    assert.equal(passOutcome.error?.code, undefined, `the pass failed: ${passOutcome.error?.message}`);
    assert.equal(waiting, null, 'the save did not wait for the pass');
    assert.equal(Number(saveOutcome.settings.minutes_per_manual_message), 7);
    await upkeep();
    const minutes = (await admin.query(`select document #>> '{performance,time_saved,minutes_per_message}' as m
        from private.kpi_documents where coach_id = $1 and period = '30d'`, [coachId])).rows[0].m;
    assert.equal(Number(minutes), 7, 'the next pass stored the documents with the saved setting');
});
