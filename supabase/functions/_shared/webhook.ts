// What the two webhook functions share (stripe-webhook, calendly-webhook): the per-coach URL, the coach's signing
// secret, the hand-over of a verified event to the database, and JSON answers.
//
//   POST /functions/v1/<name>/<coach_id>   (Supabase hands the function the path /<name>/<coach_id>)
//
// The event is verified before anything is written: a bad or stale signature answers 400 and writes nothing. The
// database keeps it once per provider event id (private.receive_stripe_event / receive_calendly_event), so Stripe's
// and Calendly's retries are harmless. Env (provided by the Supabase edge runtime; locally by
// local-supabase/api/server.js): SUPABASE_DB_URL.
import pg from 'pg';

export const corsHeaders = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Headers': 'content-type, stripe-signature, calendly-webhook-signature',
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
};

/** A provider's event is small (Stripe: a few KB); anything much larger is refused before it is read whole. */
export const MAX_BODY_BYTES = 512 * 1024;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class HttpError extends Error {
    constructor(readonly status: number, readonly code: string, message: string) {
        super(message);
    }
}

export function json(status: number, body: unknown): Response {
    return new Response(JSON.stringify(body), {
        status,
        headers: { ...corsHeaders, 'Content-Type': 'application/json; charset=utf-8' },
    });
}

/** The coach id of the URL /<name>/<coach_id>; 404 for anything else. */
export function coachIdOf(req: Request, name: string): string {
    const parts = new URL(req.url).pathname.split('/').filter(Boolean);
    const at = parts.lastIndexOf(name);
    const id = at >= 0 && at === parts.length - 2 ? parts[at + 1] : undefined;
    if (!id || !UUID_RE.test(id)) {
        throw new HttpError(404, 'coach_not_found', `the webhook URL is /functions/v1/${name}/<coach_id> (the coach's id, as the settings page shows it)`);
    }
    return id.toLowerCase();
}

/** The raw body, as signed: read as text, at most MAX_BODY_BYTES. */
export async function rawBody(req: Request): Promise<string> {
    const length = Number(req.headers.get('content-length') ?? '0');
    if (length > MAX_BODY_BYTES) throw new HttpError(413, 'payload_too_large', `the body must be at most ${MAX_BODY_BYTES} bytes`);
    const body = await req.text();
    if (new TextEncoder().encode(body).length > MAX_BODY_BYTES) {
        throw new HttpError(413, 'payload_too_large', `the body must be at most ${MAX_BODY_BYTES} bytes`);
    }
    return body;
}

let pool: pg.Pool | undefined;
function db(): pg.Pool {
    if (!pool) {
        const url = Deno.env.get('SUPABASE_DB_URL');
        if (!url) throw new HttpError(500, 'misconfigured', 'the function is missing the SUPABASE_DB_URL environment variable');
        pool = new pg.Pool({ connectionString: url, max: 3, idleTimeoutMillis: 10_000 });
        pool.on('error', () => { /* a dropped idle connection: the next query opens another */ });
    }
    return pool;
}

const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

/** Runs a query; the database's refusals become HTTP errors (nothing was written: each call is one statement). */
async function query<T>(text: string, values: unknown[]): Promise<T[]> {
    try {
        const r = await db().query(text, values);
        return r.rows as T[];
    } catch (e) {
        const code = (e as { code?: string }).code ?? '';
        if (code === 'PT404') throw new HttpError(404, 'coach_not_found', 'no coach has this id');
        if (code === '22023') throw new HttpError(400, 'invalid_event', (e as Error).message);
        if (UNAVAILABLE.has(code) || /connect|terminat/i.test((e as Error).message)) {
            throw new HttpError(503, 'database_unavailable', 'the database cannot be reached: the provider will retry');
        }
        throw e;
    }
}

/** The coach's signing secret for a provider: 404 for an unknown coach, 400 while the coach has not set it. */
export async function signingSecret(coachId: string, column: 'stripe_webhook_secret' | 'calendly_signing_key'): Promise<string> {
    const rows = await query<{ secret: string | null }>(
        `select w.${column} as secret from public.coachs as c
         left join private.coach_webhook_secrets as w on w.coach_id = c.id where c.id = $1`, [coachId]);
    if (rows.length === 0) throw new HttpError(404, 'coach_not_found', 'no coach has this id');
    const secret = rows[0].secret;
    if (!secret) {
        throw new HttpError(400, 'webhook_not_configured',
            `the coach has not saved its ${column} in its settings (update_coach_settings): the event cannot be verified`);
    }
    return secret;
}

/** Hands a verified event to the database; its answer ({status: recorded|duplicate|ignored, …}). */
export async function record(fn: 'receive_stripe_event' | 'receive_calendly_event', coachId: string, event: unknown): Promise<Record<string, unknown>> {
    const rows = await query<{ result: Record<string, unknown> }>(`select private.${fn}($1, $2::jsonb) as result`, [coachId, JSON.stringify(event)]);
    return rows[0].result;
}

/** Serves one webhook: CORS preflight, POST only, the coach, the verified event, the database's answer. */
export function serveWebhook(
    name: string,
    column: 'stripe_webhook_secret' | 'calendly_signing_key',
    fn: 'receive_stripe_event' | 'receive_calendly_event',
    verify: (req: Request, body: string, secret: string) => Promise<unknown>,
): (req: Request) => Promise<Response> {
    return async (req) => {
        if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
        try {
            if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'only POST');
            const coachId = coachIdOf(req, name);
            const body = await rawBody(req);
            const secret = await signingSecret(coachId, column);
            const event = await verify(req, body, secret);
            const result = await record(fn, coachId, event);
            return json(200, { received: true, ...result });
        } catch (e) {
            if (e instanceof HttpError) return json(e.status, { error: e.code, message: e.message });
            console.error(`${name}:`, e);
            return json(500, { error: 'internal_error', message: 'unexpected error (see the function log)' });
        }
    };
}
