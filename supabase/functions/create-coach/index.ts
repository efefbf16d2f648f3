// create-coach: an admin creates a coach account (Supabase edge function, Deno).
//
//   POST /functions/v1/create-coach   Authorization: Bearer <service role key | access token of an admin>
//   {"email": "nouveau@coach.fr", "name": "Nouveau Coach", "specialty": "fitness"}
//   -> 201 {"coach_id": "<uuid>", "magic_link": "<url>"}
//
// The auth user is created through GoTrue's admin API (random password, email confirmed, app_metadata.created_by =
// "create-coach"), the coachs row is written with the same id through Kysely (types generated from the migrations:
// ../_shared/database.ts), and a magic link redirecting to APP_URL lets the coach in to set a password. A legacy
// coachs row without an account (same email): the auth user gets that row's id, so its leads become the coach's.
// Safe to retry: a call that did not finish (the function killed between the auth user and the coachs row, or before
// the link came back) left an account this function created and nobody signed in to; the same request again
// completes it (201, a new link). Any other account with the email (signed in, seed, sign-up, admin): 409, nothing
// created. If the coachs row cannot be written, an auth user created by this very call is deleted again.
// Errors are JSON {error, message, field?} with status 400/401/403/405/409/500/502/503.
//
// When SMTP is configured (SMTP_HOST, SMTP_FROM…, ../_shared/mail.ts), the magic link is also emailed to the coach, as
// Supabase's auth emails are (locally: npm start's mail inbox); a failed email is logged, the link is still returned.
//
// Env (provided by the Supabase edge runtime; locally by local-supabase/api/server.js): SUPABASE_URL,
// SUPABASE_SERVICE_ROLE_KEY, SUPABASE_DB_URL, APP_URL; optional SMTP_*.
import { createClient } from '@supabase/supabase-js';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from '../_shared/database.ts';
import { smtpSettings, smtpTransport } from '../_shared/mail.ts';

const corsHeaders = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
};

const FIELDS = ['email', 'name', 'specialty'];
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// NUL and the other control characters (tabs and line breaks aside, which a name folds into spaces): PostgreSQL
// cannot store NUL in text, and none of them belongs in an email, a name or a specialty.
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const CREATED_BY = 'create-coach';

type Payload = { email: string; name: string; specialty: string | null };

class HttpError extends Error {
    constructor(readonly status: number, readonly code: string, message: string, readonly field?: string) {
        super(message);
    }
}

function json(status: number, body: unknown, extra: Record<string, string> = {}): Response {
    return new Response(JSON.stringify(body), {
        status,
        headers: { ...corsHeaders, 'Content-Type': 'application/json; charset=utf-8', ...extra },
    });
}

function requireEnv(name: string): string {
    const value = Deno.env.get(name);
    if (!value) throw new HttpError(500, 'misconfigured', `the function is missing the ${name} environment variable`);
    return value;
}

/** Validates the JSON payload; errors name the field. */
export function validate(body: unknown): Payload {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new HttpError(400, 'invalid_payload', 'the body must be a JSON object {email, name, specialty}');
    }
    const input = body as Record<string, unknown>;
    for (const key of Object.keys(input)) {
        if (!FIELDS.includes(key)) throw new HttpError(400, 'invalid_payload', `unknown field ${key} (expected email, name, specialty)`, key);
    }
    for (const field of FIELDS) {
        if (typeof input[field] === 'string' && CONTROL_RE.test(input[field] as string)) {
            throw new HttpError(400, 'invalid_payload', `${field} must not contain control characters (NUL, …)`, field);
        }
    }
    if (typeof input.email !== 'string') throw new HttpError(400, 'invalid_payload', 'email is required (a string)', 'email');
    const email = input.email.trim().toLowerCase();
    if (email.length > 254 || !EMAIL_RE.test(email)) throw new HttpError(400, 'invalid_payload', 'email is not a valid email address', 'email');
    if (typeof input.name !== 'string') throw new HttpError(400, 'invalid_payload', 'name is required (a string)', 'name');
    const name = input.name.trim().replace(/\s+/g, ' ');
    if (name.length < 1 || name.length > 200) throw new HttpError(400, 'invalid_payload', 'name must have 1 to 200 characters', 'name');
    let specialty: string | null = null;
    if (input.specialty !== undefined && input.specialty !== null) {
        if (typeof input.specialty !== 'string') throw new HttpError(400, 'invalid_payload', 'specialty must be a string (fitness, musculation, yoga, …)', 'specialty');
        specialty = input.specialty.trim() || null;
        if (specialty && specialty.length > 100) throw new HttpError(400, 'invalid_payload', 'specialty must have at most 100 characters', 'specialty');
    }
    return { email, name, specialty };
}

let db: Kysely<DB> | undefined;
const database = () =>
    (db ??= new Kysely<DB>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: requireEnv('SUPABASE_DB_URL'), max: 3 }) }),
    }));

const randomPassword = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))).replace(/[+/=]/g, '');

async function createCoach(req: Request): Promise<Response> {
    const supabaseUrl = requireEnv('SUPABASE_URL');
    const serviceRoleKey = requireEnv('SUPABASE_SERVICE_ROLE_KEY');
    const appUrl = requireEnv('APP_URL');
    const admin = createClient(supabaseUrl, serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });

    // 1. The caller: the service role key, or the access token of a user whose app_metadata.role is admin.
    const token = /^bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1]?.trim();
    if (!token) throw new HttpError(401, 'unauthorized', 'Authorization: Bearer <service role key or admin access token> is required');
    if (token !== serviceRoleKey) {
        const { data, error } = await admin.auth.getUser(token);
        if (error || !data.user) throw new HttpError(401, 'unauthorized', 'the token is not a valid session (sign in again)');
        if (data.user.app_metadata?.role !== 'admin') throw new HttpError(403, 'forbidden', 'only an admin may create coaches');
    }

    // 2. The payload.
    let body: unknown;
    try {
        body = await req.json();
    } catch {
        throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
    }
    const input = validate(body);

    // 3. What already exists for this email: a coachs row (a legacy coach, or one written by an earlier call) and an
    //    auth user (read in auth.users: GoTrue's admin API cannot look a user up by email).
    const coach = await database()
        .selectFrom('coachs')
        .select(['id'])
        .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email))
        .executeTakeFirst();
    const { rows: [account] } = await sql<{ id: string; created_by: string | null; last_sign_in_at: Date | null }>`
        select u.id, u.raw_app_meta_data ->> 'created_by' as created_by, u.last_sign_in_at
        from auth.users as u
        where lower(u.email) = ${input.email} and u.deleted_at is null`.execute(database());

    let userId: string;
    let createdNow = false;
    if (account) {
        // An earlier call that did not finish left an account of its own that nobody signed in to: complete it.
        const pending = account.created_by === CREATED_BY && account.last_sign_in_at === null && (!coach || coach.id === account.id);
        if (!pending) throw new HttpError(409, 'email_exists', `an account already exists for ${input.email}; nothing was created`, 'email');
        userId = account.id;
    } else {
        const { data: created, error: createError } = await admin.auth.admin.createUser({
            email: input.email,
            password: randomPassword(),
            email_confirm: true,
            user_metadata: { name: input.name },
            app_metadata: { created_by: CREATED_BY },
            ...(coach ? { id: coach.id } : {}),
        } as Parameters<typeof admin.auth.admin.createUser>[0]);
        if (createError || !created.user) {
            if (createError?.code === 'email_exists' || createError?.code === 'user_already_exists') {
                throw new HttpError(409, 'email_exists', `an account already exists for ${input.email} (created meanwhile); nothing was created`, 'email');
            }
            throw new HttpError(502, 'auth_error', `the auth service refused to create the user: ${createError?.message ?? 'no user returned'}`);
        }
        userId = created.user.id;
        createdNow = true;
    }

    // 4. The coachs row (unless it exists) and the magic link, in one transaction.
    let magicLink: string;
    try {
        magicLink = await database().transaction().execute(async (trx) => {
            if (!coach) {
                await trx.insertInto('coachs').values({ id: userId, email: input.email, name: input.name, specialty: input.specialty }).execute();
            }
            const { data, error } = await admin.auth.admin.generateLink({ type: 'magiclink', email: input.email, options: { redirectTo: appUrl } });
            if (error || !data.properties?.action_link) throw new Error(`magic link: ${error?.message ?? 'no link returned'}`);
            return data.properties.action_link;
        });
    } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        const conflict = (e as { code?: string }).code === '23505';
        let cleanup = '; the account of an earlier attempt is kept: the same request again completes the coach';
        if (createdNow) {
            const { error: deleteError } = await admin.auth.admin.deleteUser(userId);
            cleanup = deleteError
                ? `; deleting the auth user ${userId} failed too (${deleteError.message}): the same request again completes the coach`
                : '; the auth user was deleted again, nothing was created';
        }
        throw new HttpError(conflict ? 409 : 500, conflict ? 'email_exists' : 'coach_not_created', `could not create the coach: ${reason}${cleanup}`);
    }

    await emailMagicLink(input, magicLink);
    return json(201, { coach_id: userId, magic_link: magicLink });
}

/** Emails the magic link to the new coach when SMTP is configured; a failure is logged, never the caller's error. */
async function emailMagicLink(input: Payload, link: string): Promise<void> {
    const smtp = smtpSettings();
    if ('missing' in smtp) return;
    const transport = smtpTransport(smtp);
    const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
    try {
        await transport.sendMail({
            from: smtp.from,
            to: { name: input.name, address: input.email },
            subject: 'Votre accès au tableau de bord Coach Setter',
            text: `Bonjour ${input.name},\n\nVotre tableau de bord est prêt. Ouvrez ce lien pour vous connecter, puis choisissez un mot de passe :\n${link}\n\nLe lien ne sert qu’une fois et expire bientôt.\n`,
            html: `<p style="font-family:Arial,Helvetica,sans-serif;">Bonjour ${escape(input.name)},</p>
<p style="font-family:Arial,Helvetica,sans-serif;">Votre tableau de bord est prêt. Ouvrez ce lien pour vous connecter, puis choisissez un mot de passe :</p>
<p style="font-family:Arial,Helvetica,sans-serif;"><a href="${escape(link)}">Me connecter</a></p>
<p style="font-family:Arial,Helvetica,sans-serif;font-size:12px;color:#64748b;">Le lien ne sert qu’une fois et expire bientôt.</p>`,
        });
    } catch (e) {
        console.error(`create-coach: the magic link email to ${input.email} failed: ${e instanceof Error ? e.message : e}`);
    } finally {
        transport.close();
    }
}

Deno.serve(async (req) => {
    if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
    if (req.method !== 'POST') return json(405, { error: 'method_not_allowed', message: 'use POST' }, { Allow: 'POST, OPTIONS' });
    try {
        return await createCoach(req);
    } catch (e) {
        if (e instanceof HttpError) {
            return json(e.status, { error: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) });
        }
        console.error(e);
        // never the driver's message to the caller: it names internal addresses
        const code = String((e as { code?: unknown })?.code ?? '');
        if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|57P0[123]|08)/.test(code)) {
            return json(503, { error: 'database_unavailable', message: 'the database is unavailable; try again in a moment' });
        }
        return json(500, { error: 'internal_error', message: 'unexpected error (see the function logs)' });
    }
});
