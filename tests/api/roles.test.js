// /rest/v1 logs in as `authenticator` and switches role per request, as PostgREST does, so each API role's own
// settings apply (platform.sql, as on Supabase: anon statement_timeout 3 s, authenticated 8 s; service_role has none
// and keeps authenticator's 8 s). A call stuck behind a held lock then fails after its role's timeout instead of
// waiting for the lock and starving the pool.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ANON_KEY, SERVICE_ROLE_KEY, client, db, signedIn } from './helpers.js';

const pool = db();
before(async () => {
    await pool.query(`
        drop function if exists public.api_test_session();
        drop function if exists public.api_test_read_locked();
        drop table if exists public.api_test_locked;
        create table public.api_test_locked (id int);
        grant select on public.api_test_locked to anon, authenticated, service_role;
        create function public.api_test_session() returns jsonb language sql stable as $$
            select jsonb_build_object('session_user', session_user, 'current_user', current_user,
                'statement_timeout', current_setting('statement_timeout'), 'lock_timeout', current_setting('lock_timeout')) $$;
        create function public.api_test_read_locked() returns bigint language sql stable as $$
            select count(*) from public.api_test_locked $$;`);
});
after(async () => {
    await pool.query(`drop function if exists public.api_test_session(); drop function if exists public.api_test_read_locked();
        drop table if exists public.api_test_locked;`);
    await pool.end();
});

test('the API logs in as authenticator and runs each call as the JWT role with that role\'s statement_timeout', async () => {
    const anon = (await client(ANON_KEY).rpc('api_test_session')).data;
    assert.deepEqual(anon, { session_user: 'authenticator', current_user: 'anon', statement_timeout: '3s', lock_timeout: '8s' });
    const { client: julie } = await signedIn('julie@example.com');
    const coach = (await julie.rpc('api_test_session')).data;
    assert.deepEqual([coach.session_user, coach.current_user, coach.statement_timeout], ['authenticator', 'authenticated', '8s']);
    const service = (await client(SERVICE_ROLE_KEY).rpc('api_test_session')).data;
    assert.deepEqual([service.current_user, service.statement_timeout], ['service_role', '8s'], 'service_role keeps authenticator\'s 8 s');
});

test('behind a held lock, an anon call fails with its 3 s statement timeout (57014) instead of waiting for the lock', async () => {
    const holder = await pool.connect();
    try {
        await holder.query('begin');
        await holder.query('lock table public.api_test_locked in access exclusive mode');
        // bounded: without the role's timeout the call would wait as long as the lock is held
        const r = await client(ANON_KEY).rpc('api_test_read_locked').abortSignal(AbortSignal.timeout(20_000));
        assert.equal(r.error?.code, '57014', JSON.stringify(r.error));
        assert.match(r.error.message, /statement timeout/);
    } finally {
        await holder.query('rollback');
        holder.release();
    }
    assert.equal((await client(ANON_KEY).rpc('api_test_read_locked')).data, 0, 'once the lock is gone, the call works');
});
