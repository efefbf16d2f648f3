// The create-coach edge function through the local stack (Deno behind /functions/v1), called as the README's curl
// does: success (then the new coach signs in with the magic link and sees an empty dashboard), the legacy
// invitation, and every refusal; checked against the database.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import {
    ADMIN, ANON_KEY, APP_URL, LUCAS_ID, SERVICE_ROLE_KEY, callCreateCoach, client, db, followLink, sign, signedIn, sleep, unique,
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
            [{ email: unique('v'), name: 'Nul\u0000Coach' }, 'invalid_payload', 'name'],
            [{ email: unique('v'), name: 'X', specialty: 'yoga\u0000' }, 'invalid_payload', 'specialty'],
            [{ email: `nul\u0000${unique('v')}`, name: 'X' }, 'invalid_payload', 'email'],
            [{ email: unique('v'), name: 'Bell\u0007' }, 'invalid_payload', 'name'],
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

/** The processes whose parent is pid (Linux /proc). */
function childrenOf(pid) {
    const out = [];
    for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
            const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            if (Number(fields[1]) === pid) out.push({ pid: Number(entry), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
        } catch { /* gone meanwhile */ }
    }
    return out;
}

const accounts = async (email) => (await pool.query('select id from auth.users where lower(email) = lower($1)', [email])).rows;
const coachRows = async (email) => (await pool.query('select id from public.coachs where lower(email) = lower($1)', [email])).rows;

describe('create-coach: safe to retry', () => {
    test('killed between the auth user and the coachs row: the same request again completes the coach, once', async () => {
        const apiPid = Number(process.env.API_PID);
        assert.ok(apiPid > 0, 'scripts/test.sh exports API_PID, the local API whose Deno child is killed');
        const email = unique('crash');
        const body = { email, name: 'Coach Crash', specialty: 'boxe' };
        // Writers of coachs wait behind this lock, readers do not: the function gets as far as the auth user.
        const holder = await pool.connect();
        let first;
        try {
            await holder.query('begin');
            await holder.query('lock table public.coachs in share mode');
            first = callCreateCoach(SERVICE_ROLE_KEY, body);
            const start = Date.now();
            while ((await accounts(email)).length === 0) {
                assert.ok(Date.now() - start < 30_000, 'the function created the auth user');
                await sleep(50);
            }
            // the API boots every function at start: the one serving create-coach is killed
            const deno = childrenOf(apiPid).filter((p) => p.comm === 'deno'
                && readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes('/create-coach/index.ts'));
            assert.equal(deno.length, 1, 'the create-coach function runs under Deno');
            process.kill(deno[0].pid, 'SIGKILL');
            assert.ok((await first).status >= 500, 'the killed call did not succeed');
        } finally {
            await holder.query('rollback');
            holder.release();
        }
        assert.equal((await accounts(email)).length, 1, 'half-created: an auth user…');
        assert.equal((await coachRows(email)).length, 0, '…and no coach');

        const retry = await callCreateCoach(SERVICE_ROLE_KEY, body);
        assert.equal(retry.status, 201, retry.text);
        assert.deepEqual(await accounts(email), [{ id: retry.body.coach_id }], 'exactly one auth user');
        assert.deepEqual(await coachRows(email), [{ id: retry.body.coach_id }], 'exactly one coach, with its id');
        const coach = client();
        const { params } = await followLink(retry.body.magic_link);
        assert.equal((await coach.auth.setSession({ access_token: params.access_token, refresh_token: params.refresh_token })).error, null);
        assert.equal((await coach.rpc('get_dashboard')).data.coach.id, retry.body.coach_id);
    });

    test('a coach created but not signed in yet gets a new link on a retry; once signed in, 409', async () => {
        const email = unique('retry');
        const first = await callCreateCoach(SERVICE_ROLE_KEY, { email, name: 'Coach Retry' });
        assert.equal(first.status, 201, first.text);
        const again = await callCreateCoach(SERVICE_ROLE_KEY, { email, name: 'Coach Retry' });
        assert.equal(again.status, 201, again.text);
        assert.equal(again.body.coach_id, first.body.coach_id);
        assert.notEqual(again.body.magic_link, first.body.magic_link);
        assert.equal((await followLink(first.body.magic_link)).params.error_code, 'otp_expired', 'the first link is replaced');
        assert.ok((await followLink(again.body.magic_link)).params.access_token, 'the new one signs in');
        const late = await callCreateCoach(SERVICE_ROLE_KEY, { email, name: 'Coach Retry' });
        assert.equal(late.status, 409, late.text);
        assert.equal((await accounts(email)).length, 1);
        assert.equal((await coachRows(email)).length, 1);
    });
});
