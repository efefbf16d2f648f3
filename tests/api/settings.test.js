// The settings and admin RPCs over HTTP through supabase-js, as the page calls them: update_coach_settings answers
// 400 naming the field (22023), 200 with the saved settings, 403 for an admin and 401 for anon; list_coaches()
// answers an admin only.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, KARIM_ID, client, db, signedIn } from './helpers.js';

const pool = db();
let saved;

before(async () => {
    ({ rows: [saved] } = await pool.query('select * from public.coach_settings where coach_id = $1', [KARIM_ID]));
});

after(async () => {
    await pool.query(
        `update public.coach_settings set setter_monthly_cost = $2, currency = $3, minutes_per_manual_message = $4,
            default_no_show_rate = $5, setter_cost_confirmed_at = $6 where coach_id = $1`,
        [KARIM_ID, saved.setter_monthly_cost, saved.currency, saved.minutes_per_manual_message, saved.default_no_show_rate, saved.setter_cost_confirmed_at]);
    await pool.end();
});

test('update_coach_settings: 400 naming the field, nothing written; 200 with the saved settings', async () => {
    const { client: karim } = await signedIn('karim@example.com');
    const bad = await karim.rpc('update_coach_settings', { settings: { setter_monthly_cost: 120, minutes_per_manual_message: 'beaucoup' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.error.code, '22023');
    assert.equal(bad.error.message, 'invalid field "minutes_per_manual_message": must be a number');
    assert.equal(bad.error.details, 'got "beaucoup"');
    const { rows: [row] } = await pool.query('select setter_monthly_cost::text from public.coach_settings where coach_id = $1', [KARIM_ID]);
    assert.equal(row.setter_monthly_cost, saved.setter_monthly_cost, 'the valid cost of the refused call is not written');

    const unknown = await karim.rpc('update_coach_settings', { settings: { cost: 1 } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.error.message, 'invalid field "cost": unknown field');

    const ok = await karim.rpc('update_coach_settings', { settings: { setter_monthly_cost: '450.50', default_no_show_rate: 0.2 } });
    assert.equal(ok.status, 200);
    assert.equal(ok.error, null);
    assert.equal(ok.data.coach_id, KARIM_ID);
    assert.equal(ok.data.setter_monthly_cost, 450.5);
    assert.equal(ok.data.default_no_show_rate, 0.2);
    assert.equal(ok.data.setter_cost_estimated, false);
    const read = await karim.rpc('get_coach_settings');
    assert.deepEqual(read.data, ok.data);
});

test('update_coach_settings: an admin gets 403, anon 401', async () => {
    const { client: admin } = await signedIn(ADMIN.email, ADMIN.password);
    const r = await admin.rpc('update_coach_settings', { settings: { currency: 'USD' } });
    assert.equal(r.status, 403);
    assert.equal(r.error.message, 'permission denied: only a signed-in coach can change its settings');
    const a = await client().rpc('update_coach_settings', { settings: { currency: 'USD' } });
    assert.equal(a.status, 401);
    assert.equal(a.error.code, '42501');
});

test('list_coaches: the admin gets every coach with leads and last activity; a coach gets 403', async () => {
    const { client: admin } = await signedIn(ADMIN.email, ADMIN.password);
    const r = await admin.rpc('list_coaches');
    assert.equal(r.status, 200);
    const { rows } = await pool.query('select id::text, name, (select count(*)::int from public.leads l where l.coach_id = c.id) as n from public.coachs c');
    assert.equal(r.data.length, rows.length);
    const karim = r.data.find((c) => c.coach_id === KARIM_ID);
    assert.equal(karim.name, 'Karim Benali');
    assert.equal(karim.email, 'karim@example.com');
    assert.equal(karim.lead_count, rows.find((x) => x.id === KARIM_ID).n);
    assert.match(karim.last_activity_at, /^\d{4}-\d\d-\d\dT/);
    const { client: coach } = await signedIn('karim@example.com');
    const denied = await coach.rpc('list_coaches');
    assert.equal(denied.status, 403);
    assert.equal(denied.error.message, 'permission denied: only an admin can list the coaches');
});
