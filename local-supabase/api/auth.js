// /auth/v1: the part of GoTrue's HTTP contract this project uses, on GoTrue's own tables (auth.users with bcrypt
// hashes as GoTrue stores them, auth.identities, auth.sessions, auth.refresh_tokens, auth.one_time_tokens).
// Per-IP rate limits of supabase/config.toml [auth.rate_limit] as GoTrue applies them (429 over_request_rate_limit):
// /token (password and refresh) token_refresh, /verify token_verifications, PUT /user sign_in_sign_ups.
// Passwords are hashed and checked by a native bcrypt on libuv's thread pool, never on the event loop.
// Anything else answers 501 not_implemented.
import { Hono } from 'hono';
import bcrypt from 'bcrypt';
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { bearer } from './jwt.js';
import { MAX_JSON_DEPTH, nestedDeeperThan } from './json.js';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ACCESS_TOKEN_TTL = 3600; // [auth] jwt_expiry of supabase/config.toml
const OTP_TTL = 3600; // [auth.email] otp_expiry

/** GoTrue's error body (auth-js reads error_code and msg) and its x-sb-error-code header. */
export const fail = (c, status, errorCode, msg) => c.json({ code: status, error_code: errorCode, msg }, status, { 'x-sb-error-code': errorCode });

/** GoTrue stores $2a$ hashes of cost 10 (Go's bcrypt). */
const hashPassword = async (password) => bcrypt.hash(password, await bcrypt.genSalt(10, 'a'));
const passwordMatches = (password, encoded) => bcrypt.compare(password, encoded ?? '').catch(() => false);

const USER_COLUMNS = `u.id, u.aud, u.role, u.email, u.phone, u.email_confirmed_at, u.phone_confirmed_at, u.confirmed_at,
    u.last_sign_in_at, u.raw_app_meta_data, u.raw_user_meta_data, u.created_at, u.updated_at, u.is_anonymous,
    u.encrypted_password, u.banned_until, u.recovery_sent_at,
    coalesce((select json_agg(json_build_object(
        'identity_id', i.id, 'id', i.provider_id, 'user_id', i.user_id, 'identity_data', i.identity_data,
        'provider', i.provider, 'last_sign_in_at', i.last_sign_in_at, 'created_at', i.created_at,
        'updated_at', i.updated_at, 'email', i.email) order by i.created_at)
        from auth.identities as i where i.user_id = u.id), '[]'::json) as identities`;

/** The user object GoTrue returns. */
function userJson(u) {
    return {
        id: u.id,
        aud: u.aud ?? 'authenticated',
        role: u.role ?? 'authenticated',
        email: u.email ?? '',
        email_confirmed_at: u.email_confirmed_at,
        phone: u.phone ?? '',
        confirmed_at: u.confirmed_at,
        ...(u.recovery_sent_at ? { recovery_sent_at: u.recovery_sent_at } : {}),
        last_sign_in_at: u.last_sign_in_at,
        app_metadata: u.raw_app_meta_data ?? {},
        user_metadata: u.raw_user_meta_data ?? {},
        identities: u.identities ?? [],
        created_at: u.created_at,
        updated_at: u.updated_at,
        is_anonymous: u.is_anonymous ?? false,
    };
}

export function authRoutes({ pool, jwt, publicUrl, siteUrl, limits, clientIp }) {
    const app = new Hono();
    const iss = `${publicUrl}/auth/v1`;
    /** GoTrue's answer past a rate limit (its tollbooth limiter, keyed by the client's IP). */
    const overLimit = (c, limiter) => (limiter && !limiter.take(clientIp(c))
        ? fail(c, 429, 'over_request_rate_limit', 'Request rate limit reached') : null);

    const findUser = async (where, params) =>
        (await pool.query(`select ${USER_COLUMNS} from auth.users as u where ${where} and u.deleted_at is null`, params)).rows[0];

    /** Creates a session and returns GoTrue's token response. */
    async function issueSession(user, method, parentToken = null, sessionId = null) {
        const now = Math.floor(Date.now() / 1000);
        if (!sessionId) {
            sessionId = randomUUID();
            await pool.query(
                `insert into auth.sessions (id, user_id, created_at, updated_at, aal) values ($1, $2, now(), now(), 'aal1')`,
                [sessionId, user.id],
            );
        } else {
            await pool.query(`update auth.sessions set updated_at = now(), refreshed_at = now() where id = $1`, [sessionId]);
        }
        const refreshToken = randomBytes(9).toString('base64url'); // 12 characters, like GoTrue's
        await pool.query(
            `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
             values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3, $4)`,
            [refreshToken, user.id, parentToken, sessionId],
        );
        if (method !== 'token_refresh') {
            await pool.query(`update auth.users set last_sign_in_at = now() where id = $1`, [user.id]);
            user = await findUser('u.id = $1', [user.id]);
        }
        const accessToken = await jwt.sign({
            aud: user.aud ?? 'authenticated',
            exp: now + ACCESS_TOKEN_TTL,
            iat: now,
            iss,
            sub: user.id,
            email: user.email ?? '',
            phone: user.phone ?? '',
            app_metadata: user.raw_app_meta_data ?? {},
            user_metadata: user.raw_user_meta_data ?? {},
            role: user.role ?? 'authenticated',
            aal: 'aal1',
            amr: [{ method, timestamp: now }],
            session_id: sessionId,
            is_anonymous: user.is_anonymous ?? false,
        });
        return {
            access_token: accessToken,
            token_type: 'bearer',
            expires_in: ACCESS_TOKEN_TTL,
            expires_at: now + ACCESS_TOKEN_TTL,
            refresh_token: refreshToken,
            user: userJson(user),
        };
    }

    /** The caller's verified claims, or a GoTrue error response. */
    async function requireUser(c) {
        const token = bearer(c);
        if (!token) return { res: fail(c, 401, 'no_authorization', 'This endpoint requires a Bearer token') };
        const v = await jwt.verify(token);
        if (v.error) {
            return { res: fail(c, 403, 'bad_jwt', v.error === 'expired' ? 'invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired' : 'invalid JWT: unable to parse or verify signature, signature is invalid') };
        }
        if (!v.claims.sub) return { res: fail(c, 403, 'bad_jwt', 'invalid claim: missing sub claim') };
        if (v.claims.session_id) {
            const s = await pool.query('select 1 from auth.sessions where id = $1', [v.claims.session_id]);
            if (!s.rowCount) return { res: fail(c, 403, 'session_not_found', 'Session from session_id claim in JWT does not exist') };
        }
        const user = await findUser('u.id = $1', [v.claims.sub]);
        if (!user) return { res: fail(c, 403, 'user_not_found', 'User from sub claim in JWT does not exist') };
        return { claims: v.claims, user };
    }

    async function requireAdmin(c) {
        const token = bearer(c);
        if (!token) return fail(c, 401, 'no_authorization', 'This endpoint requires a Bearer token');
        const v = await jwt.verify(token);
        if (v.error) return fail(c, 403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature');
        if (v.claims.role !== 'service_role' && v.claims.role !== 'supabase_admin') return fail(c, 403, 'not_admin', 'User not allowed');
        return null;
    }

    // The body as JSON, or null when it is not JSON or nested deeper than MAX_JSON_DEPTH (both 400 bad_json).
    const body = async (c) => {
        try {
            const text = await c.req.text();
            return nestedDeeperThan(text, MAX_JSON_DEPTH) ? null : JSON.parse(text);
        } catch {
            return null;
        }
    };

    // Only redirects to the site (APP_URL) origin are allowed, like GoTrue's uri_allow_list; otherwise the site URL.
    const safeRedirect = (to) => {
        try {
            if (to && new URL(to).origin === new URL(siteUrl).origin) return to;
        } catch { /* fall through */ }
        return siteUrl;
    };

    app.post('/token', async (c) => {
        const grant = c.req.query('grant_type');
        if (grant !== 'password' && grant !== 'refresh_token') {
            return fail(c, 400, 'unsupported_grant_type', `grant_type ${grant ?? '(none)'} is not supported by the local API stand-in (password, refresh_token)`);
        }
        const limited = overLimit(c, limits?.token);
        if (limited) return limited;
        const b = await body(c);
        if (!b) return fail(c, 400, 'bad_json', 'Could not parse request body as JSON');
        if (grant === 'password') {
            const email = String(b.email ?? '').trim().toLowerCase();
            const password = String(b.password ?? '');
            if (!email || !password) return fail(c, 400, 'validation_failed', 'missing email or phone');
            const user = await findUser('lower(u.email) = $1', [email]);
            const ok = user?.encrypted_password && (await passwordMatches(password, user.encrypted_password));
            if (!ok) return fail(c, 400, 'invalid_credentials', 'Invalid login credentials');
            if (!user.email_confirmed_at) return fail(c, 400, 'email_not_confirmed', 'Email not confirmed');
            if (user.banned_until && new Date(user.banned_until) > new Date()) return fail(c, 400, 'user_banned', 'User is banned');
            return c.json(await issueSession(user, 'password'));
        }
        if (grant === 'refresh_token') {
            const token = String(b.refresh_token ?? '');
            const client = await pool.connect();
            let row;
            let failed;
            try {
                await client.query('begin');
                row = (await client.query(
                    `select token, user_id, revoked, session_id from auth.refresh_tokens where token = $1 for update`, [token],
                )).rows[0];
                if (row && !row.revoked) await client.query('update auth.refresh_tokens set revoked = true, updated_at = now() where token = $1', [token]);
                await client.query('commit');
            } catch (e) {
                failed = e;
                await client.query('rollback').catch(() => {});
                throw e;
            } finally {
                client.release(failed); // a failed client is dropped (its connection may be gone)
            }
            if (!row || !row.session_id) return fail(c, 400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
            if (row.revoked) return fail(c, 400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
            const session = await pool.query('select 1 from auth.sessions where id = $1', [row.session_id]);
            if (!session.rowCount) return fail(c, 400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
            const user = await findUser('u.id = $1', [row.user_id]);
            if (!user) return fail(c, 400, 'user_not_found', 'User not found');
            return c.json(await issueSession(user, 'token_refresh', token, row.session_id));
        }
    });

    app.get('/user', async (c) => {
        const r = await requireUser(c);
        return r.res ?? c.json(userJson(r.user));
    });

    // The signed-in user sets a password (after a magic link) or its user_metadata; email/phone changes: 501.
    app.put('/user', async (c) => {
        const limited = overLimit(c, limits?.otp);
        if (limited) return limited;
        const r = await requireUser(c);
        if (r.res) return r.res;
        const b = await body(c);
        if (!b) return fail(c, 400, 'bad_json', 'Could not parse request body as JSON');
        if (b.email || b.phone || b.nonce) return fail(c, 501, 'not_implemented', 'email and phone changes are not implemented by the local API stand-in');
        if (b.password != null) {
            if (String(b.password).length < 6) return fail(c, 422, 'weak_password', 'Password should be at least 6 characters.');
            const hash = await hashPassword(String(b.password));
            await pool.query('update auth.users set encrypted_password = $2, updated_at = now() where id = $1', [r.user.id, hash]);
        }
        if (b.data && typeof b.data === 'object') {
            await pool.query(`update auth.users set raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || $2, updated_at = now() where id = $1`, [r.user.id, b.data]);
        }
        return c.json(userJson(await findUser('u.id = $1', [r.user.id])));
    });

    app.post('/logout', async (c) => {
        const r = await requireUser(c);
        if (r.res) return r.res;
        const scope = c.req.query('scope') ?? 'global';
        const sid = r.claims.session_id ?? null;
        if (scope === 'local') await pool.query('delete from auth.sessions where id = $1', [sid]);
        else if (scope === 'others') await pool.query('delete from auth.sessions where user_id = $1 and id is distinct from $2', [r.user.id, sid]);
        else await pool.query('delete from auth.sessions where user_id = $1', [r.user.id]);
        return c.body(null, 204);
    });

    app.post('/admin/users', async (c) => {
        const denied = await requireAdmin(c);
        if (denied) return denied;
        const b = await body(c);
        if (!b) return fail(c, 400, 'bad_json', 'Could not parse request body as JSON');
        if (b.phone) return fail(c, 501, 'not_implemented', 'phone users are not implemented by the local API stand-in');
        const email = String(b.email ?? '').trim().toLowerCase();
        if (!EMAIL_RE.test(email)) return fail(c, 400, 'validation_failed', 'Unable to validate email address: invalid format');
        if (b.password != null && String(b.password).length < 6) return fail(c, 422, 'weak_password', 'Password should be at least 6 characters.');
        if (b.id != null && !/^[0-9a-f-]{36}$/i.test(String(b.id))) return fail(c, 400, 'validation_failed', 'id must be a UUID');
        if (await findUser('lower(u.email) = $1', [email])) {
            return fail(c, 422, 'email_exists', 'A user with this email address has already been registered');
        }
        const id = b.id ?? randomUUID();
        if ((await pool.query('select 1 from auth.users where id = $1', [id])).rowCount) {
            return fail(c, 422, 'user_already_exists', 'User already registered');
        }
        const hash = b.password != null ? await hashPassword(String(b.password)) : '';
        const appMeta = { provider: 'email', providers: ['email'], ...(b.app_metadata ?? {}) };
        const client = await pool.connect();
        let failed;
        try {
            await client.query('begin');
            await client.query(
                `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                    raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
                    confirmation_token, recovery_token, email_change_token_new, email_change)
                 values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', $2, $3, $4,
                    case when $5 then now() end, $6, $7, now(), now(), '', '', '', '')`,
                [id, b.role ?? 'authenticated', email, hash, b.email_confirm === true, appMeta, b.user_metadata ?? {}],
            );
            await client.query(
                `insert into auth.identities (id, provider_id, user_id, identity_data, provider, created_at, updated_at)
                 values (gen_random_uuid(), $1, $2, $3, 'email', now(), now())`,
                [id, id, { sub: id, email, email_verified: b.email_confirm === true, phone_verified: false }],
            );
            await client.query('commit');
        } catch (e) {
            await client.query('rollback').catch(() => {});
            if (e.code === '23505') return fail(c, 422, 'email_exists', 'A user with this email address has already been registered');
            failed = e;
            throw e;
        } finally {
            client.release(failed);
        }
        return c.json(userJson(await findUser('u.id = $1', [id])));
    });

    app.get('/admin/users/:id', async (c) => {
        const denied = await requireAdmin(c);
        if (denied) return denied;
        const id = c.req.param('id');
        const user = /^[0-9a-f-]{36}$/i.test(id) ? await findUser('u.id = $1', [id]) : null;
        return user ? c.json(userJson(user)) : fail(c, 404, 'user_not_found', 'User not found');
    });

    app.delete('/admin/users/:id', async (c) => {
        const denied = await requireAdmin(c);
        if (denied) return denied;
        const b = (await body(c)) ?? {};
        if (b.should_soft_delete) return fail(c, 501, 'not_implemented', 'soft delete is not implemented by the local API stand-in');
        const id = c.req.param('id');
        const user = /^[0-9a-f-]{36}$/i.test(id) ? await findUser('u.id = $1', [id]) : null;
        if (!user) return fail(c, 404, 'user_not_found', 'User not found');
        await pool.query('delete from auth.users where id = $1', [id]); // identities, sessions, tokens cascade
        return c.json(userJson(user));
    });

    app.post('/admin/generate_link', async (c) => {
        const denied = await requireAdmin(c);
        if (denied) return denied;
        const b = await body(c);
        if (!b) return fail(c, 400, 'bad_json', 'Could not parse request body as JSON');
        if (b.type !== 'magiclink' && b.type !== 'recovery') {
            return fail(c, 501, 'not_implemented', `generate_link type ${b.type} is not implemented by the local API stand-in (magiclink, recovery)`);
        }
        const email = String(b.email ?? '').trim().toLowerCase();
        const user = await findUser('lower(u.email) = $1', [email]);
        if (!user) return fail(c, 404, 'user_not_found', 'User with this email not found');
        const otp = String(randomInt(0, 1_000_000)).padStart(6, '0');
        const hashed = createHash('sha224').update(email + otp).digest('hex'); // GoTrue's GenerateTokenHash
        await pool.query(`update auth.users set recovery_token = $2, recovery_sent_at = now(), updated_at = now() where id = $1`, [user.id, hashed]);
        await pool.query(
            `insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to)
             values (gen_random_uuid(), $1, 'recovery_token', $2, $3)
             on conflict (user_id, token_type) do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to, updated_at = now()`,
            [user.id, hashed, email],
        );
        const redirectTo = safeRedirect(c.req.query('redirect_to') ?? b.redirect_to ?? b.redirectTo);
        const link = new URL(`${publicUrl}/auth/v1/verify`);
        link.searchParams.set('token', hashed);
        link.searchParams.set('type', b.type);
        link.searchParams.set('redirect_to', redirectTo);
        const fresh = await findUser('u.id = $1', [user.id]);
        return c.json({
            ...userJson(fresh),
            action_link: link.toString(),
            email_otp: otp,
            hashed_token: hashed,
            verification_type: b.type,
            redirect_to: redirectTo,
        });
    });

    /** Consumes a magic link / recovery token: the user, or null when invalid or expired. */
    async function consume({ tokenHash, email, otp }) {
        if (!tokenHash && email && otp) tokenHash = createHash('sha224').update(String(email).toLowerCase() + otp).digest('hex');
        if (!tokenHash) return null;
        const r = await pool.query(
            `update auth.users set recovery_token = '', email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now()
             where recovery_token = $1 and recovery_sent_at > now() - make_interval(secs => $2) and deleted_at is null
             returning id`,
            [tokenHash, OTP_TTL],
        );
        if (!r.rowCount) return null;
        await pool.query(`delete from auth.one_time_tokens where user_id = $1 and token_type = 'recovery_token'`, [r.rows[0].id]);
        return findUser('u.id = $1', [r.rows[0].id]);
    }

    app.get('/verify', async (c) => {
        const limited = overLimit(c, limits?.verify);
        if (limited) return limited;
        const type = c.req.query('type');
        const redirectTo = safeRedirect(c.req.query('redirect_to'));
        const user = type === 'magiclink' || type === 'recovery' ? await consume({ tokenHash: c.req.query('token') }) : null;
        if (!user) {
            return c.redirect(`${redirectTo}#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired`, 303);
        }
        const s = await issueSession(user, 'otp');
        const fragment = new URLSearchParams({
            access_token: s.access_token,
            expires_at: String(s.expires_at),
            expires_in: String(s.expires_in),
            refresh_token: s.refresh_token,
            token_type: 'bearer',
            type,
        });
        return c.redirect(`${redirectTo}#${fragment}`, 303);
    });

    app.post('/verify', async (c) => {
        const limited = overLimit(c, limits?.verify);
        if (limited) return limited;
        const b = await body(c);
        if (!b) return fail(c, 400, 'bad_json', 'Could not parse request body as JSON');
        if (!['magiclink', 'recovery', 'email'].includes(b.type)) {
            return fail(c, 501, 'not_implemented', `verify type ${b.type} is not implemented by the local API stand-in`);
        }
        const user = await consume({ tokenHash: b.token_hash, email: b.email, otp: b.token });
        if (!user) return fail(c, 403, 'otp_expired', 'Token has expired or is invalid');
        return c.json(await issueSession(user, 'otp'));
    });

    app.get('/health', (c) => c.json({ version: 'local-stand-in', name: 'GoTrue', description: 'local-supabase/api/auth.js' }));
    app.get('/settings', (c) => c.json({ external: { email: true, phone: false }, disable_signup: true, mailer_autoconfirm: false }));

    app.all('*', (c) => fail(c, 501, 'not_implemented', `${c.req.method} ${new URL(c.req.url).pathname} is not implemented by the local API stand-in (local-supabase/api)`));
    return app;
}
