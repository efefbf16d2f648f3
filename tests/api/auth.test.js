// /auth/v1 of the local stack through supabase-js: password sign-in, refresh, user, logout, admin users,
// magic links, and the tokens it refuses. The same calls the page and the create-coach function make.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import {
    ADMIN, ANON_KEY, API_URL, APP_URL, COACH_PASSWORD, JULIE_ID, SERVICE_ROLE_KEY,
    client, db, followLink, sign, signedIn, unique, withToken,
} from './helpers.js';

const pool = db();
after(() => pool.end());

describe('password sign-in', () => {
    test('a coach signs in and gets a GoTrue session with the claims of supabase start', async () => {
        const { session } = await signedIn('julie@example.com');
        assert.equal(session.token_type, 'bearer');
        assert.equal(session.expires_in, 3600);
        assert.equal(session.user.id, JULIE_ID);
        assert.equal(session.user.email, 'julie@example.com');
        const claims = decodeJwt(session.access_token);
        assert.equal(claims.sub, JULIE_ID);
        assert.equal(claims.role, 'authenticated');
        assert.equal(claims.aud, 'authenticated');
        assert.equal(claims.aal, 'aal1');
        assert.equal(claims.is_anonymous, false);
        assert.equal(claims.exp - claims.iat, 3600);
        assert.deepEqual(claims.amr.map((a) => a.method), ['password']);
        assert.match(claims.session_id, /^[0-9a-f-]{36}$/);
        assert.equal(claims.iss, `${API_URL}/auth/v1`);
    });

    test('the admin token carries app_metadata.role = admin', async () => {
        const { session } = await signedIn(ADMIN.email, ADMIN.password);
        assert.equal(decodeJwt(session.access_token).app_metadata.role, 'admin');
    });

    test('a wrong password is refused with invalid_credentials (400)', async () => {
        const { data, error } = await client().auth.signInWithPassword({ email: 'julie@example.com', password: 'wrong-password' });
        assert.equal(data.session, null);
        assert.equal(error.status, 400);
        assert.equal(error.code, 'invalid_credentials');
    });

    test('an unknown email is refused the same way', async () => {
        const { error } = await client().auth.signInWithPassword({ email: 'nobody@example.com', password: COACH_PASSWORD });
        assert.equal(error.status, 400);
        assert.equal(error.code, 'invalid_credentials');
    });
});

describe('session life cycle', () => {
    test('refresh rotates the refresh token; the old one cannot be used twice', async () => {
        const { client: c, session } = await signedIn('karim@example.com');
        const { data, error } = await c.auth.refreshSession({ refresh_token: session.refresh_token });
        assert.equal(error, null);
        assert.notEqual(data.session.refresh_token, session.refresh_token);
        assert.equal(decodeJwt(data.session.access_token).session_id, decodeJwt(session.access_token).session_id);
        const again = await client().auth.refreshSession({ refresh_token: session.refresh_token });
        assert.equal(again.error.status, 400);
        assert.equal(again.error.code, 'refresh_token_already_used');
    });

    test('getUser returns the signed-in user; after signOut the token and refresh token are dead', async () => {
        const { client: c, session } = await signedIn('sophie@example.com');
        const { data } = await c.auth.getUser();
        assert.equal(data.user.email, 'sophie@example.com');
        assert.equal((await c.auth.signOut()).error, null);
        const after = await client().auth.getUser(session.access_token);
        assert.equal(after.error.name, 'AuthSessionMissingError'); // auth-js's reading of 403 session_not_found
        const raw = await fetch(`${API_URL}/auth/v1/user`, { headers: { apikey: ANON_KEY, Authorization: `Bearer ${session.access_token}` } });
        assert.equal(raw.status, 403);
        assert.equal((await raw.json()).error_code, 'session_not_found');
        const refresh = await client().auth.refreshSession({ refresh_token: session.refresh_token });
        assert.equal(refresh.error.status, 400);
    });

    test('an expired token is refused by /user', async () => {
        const now = Math.floor(Date.now() / 1000);
        const expired = await sign({ sub: JULIE_ID, role: 'authenticated', aud: 'authenticated', iat: now - 7200, exp: now - 3600 });
        const { error } = await client().auth.getUser(expired);
        assert.equal(error.status, 403);
        assert.equal(error.code, 'bad_jwt');
    });

    test('a token signed with another secret is refused by /user', async () => {
        const now = Math.floor(Date.now() / 1000);
        const forged = await sign({ sub: JULIE_ID, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600 }, 'another-secret-another-secret-another-secret');
        const { error } = await client().auth.getUser(forged);
        assert.equal(error.status, 403);
        assert.equal(error.code, 'bad_jwt');
    });
});

describe('admin API', () => {
    test('creates a user stored like GoTrue stores it (bcrypt $2a$10$, identity), who can sign in; deletes it', async () => {
        const admin = client(SERVICE_ROLE_KEY).auth.admin;
        const email = unique('admin-api');
        const { data, error } = await admin.createUser({ email, password: 'a-password-123', email_confirm: true, user_metadata: { name: 'Test' } });
        assert.equal(error, null);
        assert.equal(data.user.email, email);
        assert.deepEqual(data.user.app_metadata, { provider: 'email', providers: ['email'] });
        const row = (await pool.query('select encrypted_password, email_confirmed_at from auth.users where id = $1', [data.user.id])).rows[0];
        assert.match(row.encrypted_password, /^\$2a\$10\$/);
        assert.notEqual(row.email_confirmed_at, null);
        const ident = await pool.query(`select provider, identity_data ->> 'email' as email from auth.identities where user_id = $1`, [data.user.id]);
        assert.deepEqual(ident.rows, [{ provider: 'email', email }]);
        assert.equal((await client().auth.signInWithPassword({ email, password: 'a-password-123' })).error, null);

        const dup = await admin.createUser({ email, password: 'a-password-123' });
        assert.equal(dup.error.status, 422);
        assert.equal(dup.error.code, 'email_exists');

        assert.equal((await admin.deleteUser(data.user.id)).error, null);
        const gone = await admin.getUserById(data.user.id);
        assert.equal(gone.error.status, 404);
        assert.equal((await pool.query('select 1 from auth.users where id = $1', [data.user.id])).rowCount, 0);
    });

    test('creates a user with a given id', async () => {
        const id = crypto.randomUUID();
        const { data, error } = await client(SERVICE_ROLE_KEY).auth.admin.createUser({ id, email: unique('with-id'), email_confirm: true });
        assert.equal(error, null);
        assert.equal(data.user.id, id);
    });

    test('refuses the anon key and a coach token (403 not_admin)', async () => {
        const anon = await client(ANON_KEY).auth.admin.createUser({ email: unique('nope'), password: 'a-password-123' });
        assert.equal(anon.error.status, 403);
        assert.equal(anon.error.code, 'not_admin');
        const { session } = await signedIn('julie@example.com');
        const coach = await withToken(session.access_token).auth.admin.createUser({ email: unique('nope'), password: 'a-password-123' });
        assert.equal(coach.error.status, 403);
        assert.equal(coach.error.code, 'not_admin');
        const link = await client(ANON_KEY).auth.admin.generateLink({ type: 'magiclink', email: 'julie@example.com' });
        assert.equal(link.error.status, 403);
    });
});

describe('magic links', () => {
    test('generate_link + verify: 303 to the app with a session in the fragment, usable once', async () => {
        const { data, error } = await client(SERVICE_ROLE_KEY).auth.admin.generateLink({
            type: 'magiclink', email: 'karim@example.com', options: { redirectTo: `${APP_URL}/` },
        });
        assert.equal(error, null);
        assert.equal(data.user.email, 'karim@example.com');
        assert.equal(data.properties.verification_type, 'magiclink');
        assert.match(data.properties.email_otp, /^\d{6}$/);
        assert.equal(data.properties.redirect_to, `${APP_URL}/`);
        assert.ok(data.properties.action_link.startsWith(`${API_URL}/auth/v1/verify?`));

        const first = await followLink(data.properties.action_link);
        assert.equal(first.status, 303);
        assert.ok(first.location.startsWith(`${APP_URL}/#`));
        assert.equal(first.params.token_type, 'bearer');
        assert.equal(first.params.type, 'magiclink');
        assert.equal(decodeJwt(first.params.access_token).email, 'karim@example.com');
        const c = client();
        const set = await c.auth.setSession({ access_token: first.params.access_token, refresh_token: first.params.refresh_token });
        assert.equal(set.error, null);
        assert.equal(set.data.user.email, 'karim@example.com');

        const second = await followLink(data.properties.action_link);
        assert.equal(second.status, 303);
        assert.equal(second.params.error, 'access_denied');
        assert.equal(second.params.error_code, 'otp_expired');
    });

    test('a redirect outside the app origin falls back to APP_URL', async () => {
        const { data } = await client(SERVICE_ROLE_KEY).auth.admin.generateLink({
            type: 'magiclink', email: 'karim@example.com', options: { redirectTo: 'https://evil.example.net/' },
        });
        assert.equal(data.properties.redirect_to, APP_URL);
        const res = await followLink(data.properties.action_link);
        assert.ok(res.location.startsWith(`${APP_URL}#access_token=`));
    });
});

describe('gateway', () => {
    test('auth and rest need an API key, like the gateway', async () => {
        const res = await fetch(`${API_URL}/auth/v1/user`);
        assert.equal(res.status, 401);
        assert.deepEqual(await res.json(), { message: 'No API key found in request' });
        const bad = await fetch(`${API_URL}/rest/v1/rpc/is_admin`, { method: 'POST', headers: { apikey: 'not-a-key' } });
        assert.equal(bad.status, 401);
    });

    test('what is not implemented says so (501/404), never a silent success', async () => {
        const signup = await client().auth.signUp({ email: unique('signup'), password: 'a-password-123' });
        assert.equal(signup.error.status, 501);
        const table = await client(SERVICE_ROLE_KEY).from('coachs').select('*');
        assert.equal(table.status, 501);
        assert.equal(table.data, null);
        assert.equal((await fetch(`${API_URL}/storage/v1/bucket`)).status, 404);
        assert.equal((await fetch(`${API_URL}/functions/v1/no-such-function`, { method: 'POST', headers: { Authorization: `Bearer ${ANON_KEY}` } })).status, 404);
    });

    test('CORS preflight from the page origin is answered like the gateway', async () => {
        const res = await fetch(`${API_URL}/rest/v1/rpc/get_dashboard`, {
            method: 'OPTIONS',
            headers: { Origin: APP_URL, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,apikey,content-type,x-client-info' },
        });
        assert.ok(res.status === 204 || res.status === 200);
        assert.equal(res.headers.get('access-control-allow-origin'), APP_URL);
        assert.match(res.headers.get('access-control-allow-headers'), /apikey/);
        assert.match(res.headers.get('access-control-allow-methods'), /POST/);
    });
});
