// /rest/v1/rpc of the local stack through supabase-js: PostgREST's semantics (role and claims from the JWT, named
// arguments, one transaction, read-only stable functions, response shapes, error bodies and statuses), on the
// product's own RPCs (get_dashboard, is_admin) and on fixture functions created here (api_test_*, dropped after).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
    ANON_KEY, API_URL, JULIE_ID, KARIM_ID, SERVICE_ROLE_KEY, client, db, sign, signedIn, withToken,
} from './helpers.js';

const pool = db();

const FIXTURE = `
create table public.api_test_log (id serial primary key, note text not null);
create sequence public.api_test_seq;
create function public.api_test_whoami() returns jsonb language sql stable
    as $$ select jsonb_build_object('role', current_user, 'sub', auth.uid(), 'claim_role', auth.jwt() ->> 'role',
        'read_only', current_setting('transaction_read_only')) $$;
create function public.api_test_my_lead_count() returns bigint language sql stable security invoker
    as $$ select count(*) from public.leads $$;
create function public.api_test_add(a integer, b integer default 10) returns integer language sql immutable
    as $$ select a + b $$;
create function public.api_test_series(n integer) returns setof integer language sql stable
    as $$ select generate_series(1, n) $$;
create function public.api_test_pairs(n integer) returns table (i integer, label text) language sql stable
    as $$ select g, 'n' || g from generate_series(1, n) as g $$;
create function public.api_test_row() returns public.api_test_log language sql stable
    as $$ select 7, 'seven'::text $$;
create function public.api_test_echo(jsonb) returns jsonb language sql immutable as $$ select $1 $$;
create function public.api_test_arrays(ids uuid[], at timestamptz) returns jsonb language sql immutable
    as $$ select jsonb_build_object('n', cardinality(ids), 'year', extract(year from at at time zone 'UTC')) $$;
create function public.api_test_void() returns void language sql volatile as $$ select $$;
create function public.api_test_next() returns bigint language sql volatile as $$ select nextval('public.api_test_seq') $$;
create function public.api_test_next_stable() returns bigint language sql stable as $$ select nextval('public.api_test_seq') $$;
create function public.api_test_log_then_fail(note text) returns void language plpgsql volatile as $$
begin
    insert into public.api_test_log (note) values (note);
    raise exception 'refused after writing' using detail = 'the detail', hint = 'the hint';
end $$;
create function public.api_test_conflict() returns void language plpgsql volatile as $$
begin raise exception 'already there' using errcode = '23505'; end $$;
create function public.api_test_payment() returns void language plpgsql volatile as $$
begin raise exception 'pay first' using errcode = 'PT402'; end $$;
create function public.api_test_service_only() returns integer language sql stable as $$ select 1 $$;
revoke execute on function public.api_test_service_only() from public, anon, authenticated;
grant execute on function public.api_test_service_only() to service_role;
revoke execute on function public.api_test_my_lead_count() from public;
grant execute on function public.api_test_my_lead_count() to anon, authenticated, service_role;
`;
const TEARDOWN = `
drop function if exists public.api_test_whoami(), public.api_test_my_lead_count(), public.api_test_add(integer, integer),
    public.api_test_series(integer), public.api_test_pairs(integer), public.api_test_row(), public.api_test_echo(jsonb),
    public.api_test_arrays(uuid[], timestamptz), public.api_test_void(), public.api_test_next(),
    public.api_test_next_stable(), public.api_test_log_then_fail(text), public.api_test_conflict(),
    public.api_test_payment(), public.api_test_service_only();
drop table if exists public.api_test_log;
drop sequence if exists public.api_test_seq;
`;

let julie;
let karim;
let admin;
before(async () => {
    await pool.query(TEARDOWN);
    await pool.query(FIXTURE);
    julie = (await signedIn('julie@example.com')).client;
    karim = (await signedIn('karim@example.com')).client;
    admin = (await signedIn('admin@example.com', 'admin-demo-2026')).client;
});
after(async () => {
    await pool.query(TEARDOWN);
    await pool.end();
});

const leadCount = async (coachId) => Number((await pool.query('select count(*) from public.leads where coach_id = $1', [coachId])).rows[0].count);

describe('role and claims from the JWT', () => {
    test('a coach runs as authenticated with its claims; no JWT or the anon key runs as anon; the service key as service_role', async () => {
        const j = await julie.rpc('api_test_whoami');
        assert.equal(j.error, null);
        assert.deepEqual(j.data, { role: 'authenticated', sub: JULIE_ID, claim_role: 'authenticated', read_only: 'on' });
        assert.equal((await client(ANON_KEY).rpc('api_test_whoami')).data.role, 'anon');
        const bare = await fetch(`${API_URL}/rest/v1/rpc/api_test_whoami`, { method: 'POST', headers: { apikey: ANON_KEY } });
        assert.equal((await bare.json()).role, 'anon');
        assert.equal((await client(SERVICE_ROLE_KEY).rpc('api_test_whoami')).data.role, 'service_role');
    });

    test("a coach's RPC returns their numbers (RLS through request.jwt.claims)", async () => {
        assert.equal((await julie.rpc('api_test_my_lead_count')).data, await leadCount(JULIE_ID));
        assert.equal((await karim.rpc('api_test_my_lead_count')).data, await leadCount(KARIM_ID));
        assert.equal((await julie.rpc('api_test_my_lead_count')).data, 300); // the seed's Julie (README)
        assert.equal((await karim.rpc('api_test_my_lead_count')).data, 80);
        const all = Number((await pool.query('select count(*) from public.leads')).rows[0].count);
        assert.equal((await admin.rpc('api_test_my_lead_count')).data, all);
    });

    test('get_dashboard: each coach gets its own document, another coach is refused', async () => {
        // The document without a period reads the materialized view, refreshed by pg_cron every 5 minutes: a refresh
        // that ran while another suite's leads for Julie existed (docs/n8n.md's curls) would hold them until the next.
        // It reads the incremental facts: the upkeep drains the queue first (pg_cron may be half-way through).
        while ((await pool.query('select private.kpi_upkeep() as r')).rows[0].r.queued > 0);
        await pool.query('select private.refresh_dashboard_kpis()');
        const j = await julie.rpc('get_dashboard');
        assert.equal(j.error, null);
        assert.equal(j.data.coach.id, JULIE_ID);
        assert.equal(j.data.activity.total_leads, await leadCount(JULIE_ID));
        const k = await karim.rpc('get_dashboard');
        assert.equal(k.data.coach.id, KARIM_ID);
        assert.equal(k.data.activity.total_leads, await leadCount(KARIM_ID));
        const other = await julie.rpc('get_dashboard', { coach_id: KARIM_ID });
        assert.equal(other.status, 403);
        assert.equal(other.error.code, '42501');
        const byAdmin = await admin.rpc('get_dashboard', { coach_id: KARIM_ID });
        assert.equal(byAdmin.data.coach.id, KARIM_ID);
    });

    test('an unknown coach: 404 PT404 "coach not found" (not a 500), for the dashboard, its drill-down and the settings', async () => {
        const nobody = '00000000-0000-4000-8000-000000000000';
        for (const [fn, args] of [
            ['get_dashboard', { coach_id: nobody }],
            ['get_dashboard', { coach_id: nobody, period: '30d' }],
            ['get_kpi_leads', { kpi: 'activity.new_leads', coach_id: nobody }],
            ['get_coach_settings', { coach_id: nobody }],
        ]) {
            const r = await admin.rpc(fn, args);
            assert.equal(r.status, 404, `${fn} ${JSON.stringify(args)}`);
            assert.equal(r.error.code, 'PT404');
            assert.equal(r.error.message, 'coach not found');
            assert.equal(r.data, null);
        }
        // a coach naming an id that is not its own learns nothing about it: 403 either way
        assert.equal((await julie.rpc('get_dashboard', { coach_id: nobody, period: '30d' })).status, 403);
    });

    test('anon gets nothing: no dashboard (401), no rows through RLS', async () => {
        const anon = client(ANON_KEY);
        const d = await anon.rpc('get_dashboard', { coach_id: JULIE_ID });
        assert.equal(d.status, 401);
        assert.equal(d.error.code, '42501');
        assert.equal(d.data, null);
        assert.equal((await anon.rpc('api_test_my_lead_count')).data, 0);
        const isAdmin = await anon.rpc('is_admin');
        assert.equal(isAdmin.status, 401);
    });

    test('is_admin reads app_metadata of the token', async () => {
        assert.equal((await admin.rpc('is_admin')).data, true);
        assert.equal((await julie.rpc('is_admin')).data, false);
    });
});

describe('refused tokens', () => {
    const now = () => Math.floor(Date.now() / 1000);

    test('an expired token: 401 PGRST303', async () => {
        const expired = await sign({ sub: JULIE_ID, role: 'authenticated', aud: 'authenticated', iat: now() - 7200, exp: now() - 60 });
        const r = await withToken(expired).rpc('get_dashboard');
        assert.equal(r.status, 401);
        assert.equal(r.error.code, 'PGRST303');
        assert.equal(r.data, null);
    });

    test('a forged token (another secret, even claiming service_role): 401 PGRST301', async () => {
        const forged = await sign({ role: 'service_role', iat: now(), exp: now() + 3600 }, 'not-the-secret-not-the-secret-not-the-secret');
        const r = await withToken(forged).rpc('get_dashboard', { coach_id: JULIE_ID });
        assert.equal(r.status, 401);
        assert.equal(r.error.code, 'PGRST301');
        assert.equal(r.data, null);
    });

    test('a token for a role the API does not switch to is refused', async () => {
        const postgres = await sign({ role: 'postgres', iat: now(), exp: now() + 3600 });
        const r = await withToken(postgres).rpc('api_test_whoami');
        assert.equal(r.status, 403);
        assert.equal(r.data, null);
    });
});

describe('PostgREST call semantics', () => {
    test('named arguments from the JSON body, defaults, and type casts', async () => {
        assert.equal((await julie.rpc('api_test_add', { a: 1, b: 2 })).data, 3);
        assert.equal((await julie.rpc('api_test_add', { a: 1 })).data, 11);
        const r = await julie.rpc('api_test_arrays', { ids: [JULIE_ID, KARIM_ID], at: '2026-03-01T10:00:00Z' });
        assert.deepEqual(r.data, { n: 2, year: 2026 });
        const bad = await julie.rpc('api_test_add', { a: 'x' });
        assert.equal(bad.status, 400);
        assert.equal(bad.error.code, '22P02');
    });

    test('GET with query parameters', async () => {
        const r = await julie.rpc('api_test_add', { a: 5, b: 5 }, { get: true });
        assert.equal(r.data, 10);
    });

    test('a single unnamed json parameter receives the whole body', async () => {
        assert.deepEqual((await julie.rpc('api_test_echo', { x: [1, 2], y: 'z' })).data, { x: [1, 2], y: 'z' });
    });

    test('shapes: setof -> array, table -> array of objects, composite -> object, void -> 204', async () => {
        assert.deepEqual((await julie.rpc('api_test_series', { n: 3 })).data, [1, 2, 3]);
        assert.deepEqual((await julie.rpc('api_test_series', { n: 0 })).data, []);
        assert.deepEqual((await julie.rpc('api_test_pairs', { n: 2 })).data, [{ i: 1, label: 'n1' }, { i: 2, label: 'n2' }]);
        assert.deepEqual((await julie.rpc('api_test_row')).data, { id: 7, note: 'seven' });
        const v = await julie.rpc('api_test_void');
        assert.equal(v.status, 204);
        assert.equal(v.error, null);
    });

    test('stable functions run read only (405 25006); volatile ones may write', async () => {
        assert.equal((await julie.rpc('api_test_next')).error, null);
        const r = await julie.rpc('api_test_next_stable');
        assert.equal(r.status, 405);
        assert.equal(r.error.code, '25006');
    });

    test('one transaction per request: an error rolls back what the function wrote', async () => {
        const r = await client(SERVICE_ROLE_KEY).rpc('api_test_log_then_fail', { note: 'rolled back' });
        assert.equal(r.status, 400);
        assert.deepEqual(r.error, { code: 'P0001', message: 'refused after writing', details: 'the detail', hint: 'the hint' });
        assert.equal((await pool.query(`select count(*)::int as n from public.api_test_log where note = 'rolled back'`)).rows[0].n, 0);
    });

    test('error statuses: 23505 -> 409, PT402 -> 402, 42501 -> 403 for a signed-in user', async () => {
        assert.equal((await julie.rpc('api_test_conflict')).status, 409);
        assert.equal((await julie.rpc('api_test_payment')).status, 402);
        const denied = await julie.rpc('api_test_service_only');
        assert.equal(denied.status, 403);
        assert.equal(denied.error.code, '42501');
        assert.equal((await client(SERVICE_ROLE_KEY).rpc('api_test_service_only')).data, 1);
    });

    test('unknown function or argument: 404 PGRST202', async () => {
        const r = await julie.rpc('no_such_function');
        assert.equal(r.status, 404);
        assert.equal(r.error.code, 'PGRST202');
        const arg = await julie.rpc('api_test_add', { a: 1, c: 2 });
        assert.equal(arg.status, 404);
        assert.equal(arg.error.code, 'PGRST202');
    });

    test('invalid JSON body: 400 PGRST102', async () => {
        const res = await fetch(`${API_URL}/rest/v1/rpc/api_test_add`, {
            method: 'POST', headers: { apikey: ANON_KEY, 'Content-Type': 'application/json' }, body: '{"a":',
        });
        assert.equal(res.status, 400);
        assert.equal((await res.json()).code, 'PGRST102');
    });
});
