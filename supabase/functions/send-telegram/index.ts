// send-telegram: sends the hot-lead messages of the Telegram outbox (Supabase edge function, Deno).
//
//   POST /functions/v1/send-telegram   Authorization: Bearer <service role key>
//   {}  -> 200 {"claimed": 2, "sent": [{id, lead_id, event, message_id}], "retry": [...], "given_up": [...], "revoked": [...]}
//
// Scheduled every minute by pg_cron + pg_net (job send-telegram, body {"scheduled_at": …}). A lead that becomes
// qualified or books a call is queued once (private.telegram_outbox, a trigger on lead_status_events). Each run claims
// what is due in batches of 20 (private.telegram_claim, its own transaction, a lease of 60 s: two runs at once never
// claim the same message), calls Telegram's sendMessage with the coach's bot, then private.telegram_mark_sent or
// private.telegram_mark_failed: a failure is retried with backoff, 400/403 give the message up, 401 (the token was
// revoked) stops every message of that bot until the coach saves a new one; the settings show the last failure.
// A run that crashes between sendMessage and mark_sent leaves the claim to expire: that message is sent again
// (at least once; docs/deployment.md, "Hot leads to Telegram"). Errors are JSON {error, message} with status
// 400/401/403/405/500/503.
//
// Env: SUPABASE_SERVICE_ROLE_KEY, SUPABASE_DB_URL, TELEGRAM_API_URL (optional, ../_shared/telegram.ts),
// TELEGRAM_LEASE_SECONDS (default 60).
import pg from 'pg';
import { sendMessage } from '../_shared/telegram.ts';

const corsHeaders = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
};
const BATCH = 20;
const MAX_BATCHES = 10;

class HttpError extends Error {
    constructor(readonly status: number, readonly code: string, message: string) {
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
const db = () => (pool ??= new pg.Pool({ connectionString: requireEnv('SUPABASE_DB_URL'), max: 2, application_name: 'send-telegram' }));

type Claim = { id: string; claim_token: string; coach_id: string; lead_id: string; event: string; bot_token: string; chat_id: string; text: string };
type Outcome = { id: number; lead_id: string; event: string };

async function readBody(req: Request): Promise<void> {
    const raw = await req.text();
    if (!raw.trim()) return;
    let body: unknown;
    try {
        body = JSON.parse(raw);
    } catch {
        throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'invalid_payload', 'the body must be a JSON object');
    for (const key of Object.keys(body)) {
        if (key !== 'scheduled_at') throw new HttpError(400, 'invalid_payload', `unknown field ${key} (expected scheduled_at)`);
    }
}

async function sendTelegram(req: Request): Promise<Response> {
    const token = /^bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1]?.trim();
    if (!token) throw new HttpError(401, 'unauthorized', 'Authorization: Bearer <service role key> is required');
    if (token !== requireEnv('SUPABASE_SERVICE_ROLE_KEY')) throw new HttpError(403, 'forbidden', 'only the service role key may send the Telegram messages');
    await readBody(req);
    const lease = Number(Deno.env.get('TELEGRAM_LEASE_SECONDS') ?? 60);
    const out = { claimed: 0, sent: [] as (Outcome & { message_id: number })[], retry: [] as (Outcome & { error: string })[],
        given_up: [] as (Outcome & { error: string })[], revoked: [] as (Outcome & { error: string })[] };
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
        const { rows } = await db().query<Claim>(
            'select id::text, claim_token, coach_id, lead_id, event, bot_token, chat_id, text from private.telegram_claim(now(), $1, $2)',
            [BATCH, lease]);
        out.claimed += rows.length;
        const revokedBots = new Set<string>();
        for (const c of rows) {
            const outcome = { id: Number(c.id), lead_id: c.lead_id, event: c.event };
            // a bot found revoked earlier in this batch: its other claims were given up in the database already
            if (revokedBots.has(c.coach_id)) continue;
            const r = await sendMessage(c.bot_token, c.chat_id, c.text);
            if (r.ok) {
                const { rows: [m] } = await db().query<{ ok: boolean | null }>('select private.telegram_mark_sent($1, $2, $3) as ok',
                    [c.id, c.claim_token, r.message_id]);
                if (!m?.ok) console.error(`send-telegram: message ${c.id} sent after its lease expired (another run may send it too)`);
                out.sent.push({ ...outcome, message_id: r.message_id });
                continue;
            }
            const error = [r.error_code, r.description].filter((x) => x !== null).join(' ');
            const { rows: [f] } = await db().query<{ what: string | null }>('select private.telegram_mark_failed($1, $2, $3, $4, $5) as what',
                [c.id, c.claim_token, r.error_code, r.description, r.retry_after]);
            if (f?.what === 'revoked') {
                revokedBots.add(c.coach_id);
                out.revoked.push({ ...outcome, error });
            } else if (f?.what === 'given_up') out.given_up.push({ ...outcome, error });
            else out.retry.push({ ...outcome, error });
        }
        if (rows.length < BATCH) break;
    }
    return json(200, out);
}

Deno.serve(async (req) => {
    if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
    if (req.method !== 'POST') return json(405, { error: 'method_not_allowed', message: 'use POST' });
    try {
        return await sendTelegram(req);
    } catch (e) {
        if (e instanceof HttpError) return json(e.status, { error: e.code, message: e.message });
        console.error(e);
        const code = String((e as { code?: unknown })?.code ?? '');
        if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|57P0[123]|08)/.test(code)) {
            return json(503, { error: 'database_unavailable', message: 'the database is unavailable; try again in a moment' });
        }
        return json(500, { error: 'internal_error', message: 'unexpected error (see the function logs)' });
    }
});
