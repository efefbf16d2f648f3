// telegram-connect: a coach connects a Telegram bot for its hot leads (Supabase edge function, Deno).
//
//   POST /functions/v1/telegram-connect   Authorization: Bearer <the coach's access token>
//   {"bot_token": "123456789:AA…", "chat_id": "123456789"}
//   -> 200 {"connected": true, "chat_id": "123456789", "message_id": 42}
//
// The bot is checked with a test message first (Telegram's sendMessage to that chat, ../_shared/telegram.ts); only
// when Telegram accepts it are the token and chat saved (private.telegram_connect, which also clears a revoked state).
// The token is never returned: public.get_notification_settings shows the chat and how the last sends went;
// public.disconnect_telegram removes the bot. Errors are JSON {error, message, field?} with status:
//   400 invalid_json / invalid_payload (field: bot_token or chat_id), 400 telegram_refused (Telegram's answer in
//   telegram: {error_code, description}: 401 a wrong or revoked token, 400 chat not found, 403 the bot cannot write
//   there), 401 no valid session, 403 not a coach, 405, 502 telegram_unreachable, 503 database_unavailable.
//
// Env: SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, SUPABASE_DB_URL, TELEGRAM_API_URL (optional).
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import { BOT_TOKEN_RE, CHAT_ID_RE, sendMessage } from '../_shared/telegram.ts';

const corsHeaders = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
};
export const TEST_MESSAGE = '✅ Coach Setter est connecté à ce chat : les leads qualifiés et les calls réservés arriveront ici.';

class HttpError extends Error {
    constructor(readonly status: number, readonly code: string, message: string, readonly extra: Record<string, unknown> = {}) {
        super(message);
    }
}

function json(status: number, body: unknown): Response {
    return new Response(JSON.stringify(body), { status, headers: { ...corsHeaders, 'Content-Type': 'application/json; charset=utf-8' } });
}

function requireEnv(name: string): string {
    const value = Deno.env.get(name);
    if (!value) throw new HttpError(500, 'misconfigured', `the function is missing the ${name} environment variable`);
    return value;
}

let pool: pg.Pool | undefined;
const db = () => (pool ??= new pg.Pool({ connectionString: requireEnv('SUPABASE_DB_URL'), max: 2, application_name: 'telegram-connect' }));

/** Validates the JSON payload; errors name the field. */
export function validate(body: unknown): { bot_token: string; chat_id: string } {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new HttpError(400, 'invalid_payload', 'the body must be a JSON object {bot_token, chat_id}');
    }
    const input = body as Record<string, unknown>;
    for (const key of Object.keys(input)) {
        if (key !== 'bot_token' && key !== 'chat_id') throw new HttpError(400, 'invalid_payload', `unknown field ${key} (expected bot_token, chat_id)`, { field: key });
    }
    const token = typeof input.bot_token === 'string' ? input.bot_token.trim() : '';
    if (!BOT_TOKEN_RE.test(token)) {
        throw new HttpError(400, 'invalid_payload', 'bot_token must be the token @BotFather gave (digits, a colon, then letters, digits, _ or -)', { field: 'bot_token' });
    }
    const chat = typeof input.chat_id === 'number' && Number.isSafeInteger(input.chat_id) ? String(input.chat_id)
        : typeof input.chat_id === 'string' ? input.chat_id.trim() : '';
    if (!CHAT_ID_RE.test(chat)) {
        throw new HttpError(400, 'invalid_payload', 'chat_id must be a chat id (digits, negative for a group) or a public @channelusername', { field: 'chat_id' });
    }
    return { bot_token: token, chat_id: chat };
}

async function connect(req: Request): Promise<Response> {
    const admin = createClient(requireEnv('SUPABASE_URL'), requireEnv('SUPABASE_SERVICE_ROLE_KEY'), { auth: { persistSession: false, autoRefreshToken: false } });
    const token = /^bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1]?.trim();
    if (!token) throw new HttpError(401, 'unauthorized', 'Authorization: Bearer <access token> is required');
    const { data, error } = await admin.auth.getUser(token);
    if (error || !data.user) throw new HttpError(401, 'unauthorized', 'the token is not a valid session (sign in again)');
    const coachId = data.user.id;

    let body: unknown;
    try {
        body = await req.json();
    } catch {
        throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
    }
    const input = validate(body);
    const { rows: [coach] } = await db().query('select 1 from public.coachs where id = $1', [coachId]);
    if (!coach) throw new HttpError(403, 'forbidden', 'only a coach can connect a Telegram bot');

    const sent = await sendMessage(input.bot_token, input.chat_id, TEST_MESSAGE);
    if (!sent.ok && sent.error_code === null) {
        throw new HttpError(502, 'telegram_unreachable', `Telegram could not be reached: ${sent.description}`);
    }
    if (!sent.ok) {
        throw new HttpError(400, 'telegram_refused', `Telegram refused the test message: ${sent.error_code} ${sent.description}`,
            { telegram: { error_code: sent.error_code, description: sent.description } });
    }
    await db().query('select private.telegram_connect($1, $2, $3)', [coachId, input.bot_token, input.chat_id]);
    return json(200, { connected: true, chat_id: input.chat_id, message_id: sent.message_id });
}

Deno.serve(async (req) => {
    if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
    if (req.method !== 'POST') return json(405, { error: 'method_not_allowed', message: 'use POST' });
    try {
        return await connect(req);
    } catch (e) {
        if (e instanceof HttpError) return json(e.status, { error: e.code, message: e.message, ...e.extra });
        console.error(e);
        const code = String((e as { code?: unknown })?.code ?? '');
        if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|57P0[123]|08)/.test(code)) {
            return json(503, { error: 'database_unavailable', message: 'the database is unavailable; try again in a moment' });
        }
        return json(500, { error: 'internal_error', message: 'unexpected error (see the function logs)' });
    }
});
