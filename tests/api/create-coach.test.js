// The create-coach edge function through the local stack (Deno behind /functions/v1), called as the README's curl
// does: success (then the new coach signs in with the magic link and sees an empty dashboard), the legacy
// invitation, and every refusal; checked against the database.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
    ADMIN, ANON_KEY, APP_URL, LUCAS_ID, SERVICE_ROLE_KEY, callCreateCoach, client, db, followLink, sign, signedIn, unique,
} from './helpers.js';

const pool = db();
after(() => pool.end());

const authUser = async (email) => (await pool.query('select id from auth.users where lower(email) = lower($1)', [email])).rows[0];
const coachRow = async (email) => (await pool.query('select id, name, specialty, email from public.coachs where lower(email) = lower($1)', [email])).rows[0];

/** Signs in with a magic link as a browser would; returns a supabase-js client with that session. */
async function signInWithLink(link) {
    const { status, location, params } = await followLink(link);
    assert.equal(status, 303);
    assert.ok(location.startsWith(APP_URL), `redirects to APP_URL (${location})`);
    assert.ok(params.access_token, `a session in the fragment (${location})`);
    const c = client();
    const { error } = await c.auth.setSession({ access_token: params.access_token, refresh_token: params.refresh_token });
    assert.equal(error, null);
    return c;
}

describe('create-coach: success', () => {
    test('with the service role key: 201 {coach_id, magic_link}; the coach signs in and sees an empty dashboard', async () => {
        const email = unique('Nouveau.Coach');
        const res = await callCreateCoach(SERVICE_ROLE_KEY, { email, name: '  Nouveau   Coach ', specialty: 'fitness' });
        assert.equal(res.status, 201, res.text);
        assert.deepEqual(Object.keys(res.body).sort(), ['coach_id', 'magic_link']);
        assert.equal(res.headers.get('access-control-allow-origin'), '*');
        const { coach_id: coachId, magic_link: link } = res.body;
        assert.equal((await authUser(email)).id, coachId);
        assert.deepEqual(await coachRow(email), { id: coachId, name: 'Nouveau Coach', specialty: 'fitness', email: email.toLowerCase() });
        assert.match(link, /\/auth\/v1\/verify\?token=[0-9a-f]+&type=magiclink&redirect_to=/);

        const coach = await signInWithLink(link);
        const { data: user } = await coach.auth.getUser();
        assert.equal(user.user.id, coachId);
        // What the magic link is for: the coach chooses a password, then signs in with it.
        assert.equal((await coach.auth.updateUser({ password: 'mon-mot-de-passe-2026' })).error, null);
        assert.equal((await client().auth.signInWithPassword({ email, password: 'mon-mot-de-passe-2026' })).error, null);
        const dashboard = await coach.rpc('get_dashboard');
        assert.equal(dashboard.error, null);
        assert.equal(dashboard.data.coach.id, coachId);
        assert.equal(dashboard.data.has_leads, false);
        assert.equal(dashboard.data.activity.total_leads, 0);
        assert.deepEqual(dashboard.data.pipeline.follow_up, []);
    });

    test('with the access token of an admin (the admin page, supabase.functions.invoke): 201', async () => {
        const { client: adminClient } = await signedIn(ADMIN.email, ADMIN.password);
        const email = unique('by-admin');
        const { data, error } = await adminClient.functions.invoke('create-coach', { body: { email, name: 'Par Admin' } });
        assert.equal(error, null);
        assert.equal(data.coach_id, (await coachRow(email)).id);
        assert.equal((await coachRow(email)).specialty, null);
    });

    test('a legacy coach row without an account is invited with its own id and finds its leads', async () => {
        assert.equal(await authUser('lucas@example.com'), undefined, 'the seed has no account for Lucas');
        const leads = Number((await pool.query('select count(*) from public.leads where coach_id = $1', [LUCAS_ID])).rows[0].count);
        assert.ok(leads > 0);
        const res = await callCreateCoach(SERVICE_ROLE_KEY, { email: 'LUCAS@example.com', name: 'Lucas Petit', specialty: 'pilates' });
        assert.equal(res.status, 201, res.text);
        assert.equal(res.body.coach_id, LUCAS_ID);
        assert.equal((await authUser('lucas@example.com')).id, LUCAS_ID);
        const lucas = await signInWithLink(res.body.magic_link);
        const dashboard = await lucas.rpc('get_dashboard');
        assert.equal(dashboard.error, null);
        assert.equal(dashboard.data.coach.id, LUCAS_ID);
        assert.equal(dashboard.data.activity.total_leads, leads);

        const again = await callCreateCoach(SERVICE_ROLE_KEY, { email: 'lucas@example.com', name: 'Lucas Petit' });
        assert.equal(again.status, 409);
    });
});

describe('create-coach: refusals', () => {
    test('an email that already has an account: 409, nothing created', async () => {
        const before = (await pool.query('select count(*)::int as n from public.coachs')).rows[0].n;
        for (const email of ['julie@example.com', 'Julie@Example.com', 'admin@example.com']) {
            const res = await callCreateCoach(SERVICE_ROLE_KEY, { email, name: 'Doublon' });
            assert.equal(res.status, 409, `${email}: ${res.text}`);
            assert.equal(res.body.error, 'email_exists');
            assert.equal(res.body.field, 'email');
        }
        assert.equal((await pool.query('select count(*)::int as n from public.coachs')).rows[0].n, before);
        assert.equal(await coachRow('admin@example.com'), undefined);
    });

    test('no token: 401; the anon key: 401; a coach token: 403; an expired or forged token: 401', async () => {
        const body = { email: unique('refused'), name: 'Refusé' };
        const none = await callCreateCoach(null, body, { headers: { Origin: APP_URL } });
        assert.equal(none.status, 401);
        assert.equal(none.headers.get('access-control-allow-origin'), APP_URL); // the browser sees the 401
        const anon = await callCreateCoach(ANON_KEY, body);
        assert.equal(anon.status, 401);
        assert.equal(anon.body.error, 'unauthorized');
        const { session } = await signedIn('julie@example.com');
        const coach = await callCreateCoach(session.access_token, body);
        assert.equal(coach.status, 403);
        assert.equal(coach.body.error, 'forbidden');
        const now = Math.floor(Date.now() / 1000);
        const expired = await sign({ role: 'service_role', iat: now - 7200, exp: now - 60 });
        assert.equal((await callCreateCoach(expired, body)).status, 401);
        const forged = await sign({ role: 'service_role', iat: now, exp: now + 3600 }, 'not-the-secret-not-the-secret-not-the-secret');
        assert.equal((await callCreateCoach(forged, body)).status, 401);
        // A service_role JWT signed with the secret that is not the service role key itself (no user behind it).
        const otherServiceJwt = await sign({ role: 'service_role', iat: now, exp: now + 3600 });
        assert.equal((await callCreateCoach(otherServiceJwt, body)).status, 401);
        assert.equal(await authUser(body.email), undefined);
    });

    test('invalid payloads: 400 naming the field', async () => {
        const cases = [
            ['{"email":', 'invalid_json', undefined],
            ['[1]', 'invalid_payload', undefined],
            [{ name: 'Sans Email' }, 'invalid_payload', 'email'],
            [{ email: 42, name: 'X' }, 'invalid_payload', 'email'],
            [{ email: 'not-an-email', name: 'X' }, 'invalid_payload', 'email'],
            [{ email: `${'a'.repeat(250)}@example.org`, name: 'X' }, 'invalid_payload', 'email'],
            [{ email: unique('v') }, 'invalid_payload', 'name'],
            [{ email: unique('v'), name: '   ' }, 'invalid_payload', 'name'],
            [{ email: unique('v'), name: 'x'.repeat(201) }, 'invalid_payload', 'name'],
            [{ email: unique('v'), name: 'X', specialty: 12 }, 'invalid_payload', 'specialty'],
            [{ email: unique('v'), name: 'X', specialty: 's'.repeat(101) }, 'invalid_payload', 'specialty'],
            [{ email: unique('v'), name: 'X', role: 'admin' }, 'invalid_payload', 'role'],
        ];
        for (const [body, error, field] of cases) {
            const res = await callCreateCoach(SERVICE_ROLE_KEY, body);
            assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
            assert.equal(res.body.error, error);
            assert.equal(res.body.field, field);
            assert.equal(typeof res.body.message, 'string');
        }
    });

    test('GET: 405; OPTIONS preflight: CORS headers', async () => {
        const get = await callCreateCoach(SERVICE_ROLE_KEY, undefined, { method: 'GET', body: undefined });
        assert.equal(get.status, 405);
        const pre = await callCreateCoach(null, undefined, {
            method: 'OPTIONS', body: undefined, headers: { Origin: APP_URL, 'Access-Control-Request-Method': 'POST' },
        });
        assert.equal(pre.status, 200);
        assert.equal(pre.headers.get('access-control-allow-origin'), '*');
        assert.match(pre.headers.get('access-control-allow-headers'), /authorization/);
    });

    test('the coachs insert fails after the auth user was created: 500, the auth user is deleted again', async () => {
        const email = unique('insert-fails');
        // Fault injection: a trigger that refuses this one email (dropped right after).
        await pool.query(`
            create function private.api_test_refuse_coach() returns trigger language plpgsql as $$
            begin raise exception 'injected failure for %', new.email; end $$;
            create trigger api_test_refuse_coach before insert on public.coachs
                for each row when (new.email = '${email.toLowerCase()}') execute function private.api_test_refuse_coach();`);
        try {
            const res = await callCreateCoach(SERVICE_ROLE_KEY, { email, name: 'Orphelin' });
            assert.equal(res.status, 500, res.text);
            assert.equal(res.body.error, 'coach_not_created');
            assert.match(res.body.message, /injected failure/);
            assert.match(res.body.message, /the auth user was deleted again/);
        } finally {
            await pool.query('drop trigger api_test_refuse_coach on public.coachs; drop function private.api_test_refuse_coach();');
        }
        assert.equal(await authUser(email), undefined, 'no orphan auth user');
        assert.equal(await coachRow(email), undefined);
        // And the same email works once the fault is gone.
        assert.equal((await callCreateCoach(SERVICE_ROLE_KEY, { email, name: 'Orphelin' })).status, 201);
    });
});
