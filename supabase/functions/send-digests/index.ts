// send-digests: sends the digest emails that are due (Supabase edge function, Deno).
//
//   POST /functions/v1/send-digests   Authorization: Bearer <service role key>
//   {}                                   every digest due now: weekly ones from Monday 8:00 in each coach's time
//                                        zone (about the ISO week before), daily ones from 8:00 (about the day before)
//   {"coach_id": "<uuid>"}               that coach's digests now, without waiting for 8:00
//   {"week": "2026-W49"}                 that week's weekly digests (of the coach given, or of every coach)
//   -> 200 {"due": 3, "sent": [{coach_id, kind, period, message_id}], "skipped": [...], "failed": [...]}
//
// Scheduled every 15 minutes by pg_cron + pg_net (job send-digests, body {"scheduled_at": …}), and run by hand with
// `npm run digest:send`. Each digest goes through the ledger private.digest_ledger (private.digest_due, then
// digest_claim in its own transaction, SMTP, then digest_mark_sent or digest_mark_failed): a digest is claimed by
// one run at a time for a lease of 10 minutes, so two runs at once, or a run retried after its caller timed out,
// send it once, and a run that crashes leaves what it did not send to the next run (docs/deployment.md, "Digest
// emails", states the guarantee). What an email says comes from private.digest_content (get_dashboard and
// get_alerts); render.ts formats it. SMTP through nodemailer (../_shared/mail.ts). Errors are JSON
// {error, message} with status 400/401/403/405/500/503.
//
// Env: SUPABASE_URL (the unsubscribe link's base), SUPABASE_SERVICE_ROLE_KEY, SUPABASE_DB_URL, APP_URL (the
// dashboard's links), SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASS, SMTP_FROM, SMTP_SECURE, DIGEST_SIGNING_SECRET
// (optional: signs the unsubscribe links; the service role key otherwise), DIGEST_LEASE_SECONDS (default 600).
import pg from 'pg';
import { senderDomain, smtpSettings, smtpTransport, type SmtpSettings } from '../_shared/mail.ts';
import { unsubscribeUrl } from '../_shared/unsubscribe-token.ts';
import { html, subject, text, type Content, type DigestContext } from './render.ts';

const corsHeaders = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
};
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELDS = ['coach_id', 'week', 'scheduled_at'];

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
const db = () => (pool ??= new pg.Pool({ connectionString: requireEnv('SUPABASE_DB_URL'), max: 2, application_name: 'send-digests' }));

type Due = { coach_id: string; name: string; email: string; timezone: string; kind: 'weekly' | 'daily'; period_key: string; period_start: string; period_end: string };
type Outcome = { coach_id: string; kind: string; period: string };

async function readBody(req: Request): Promise<{ coach_id?: string; week?: string }> {
    const raw = await req.text();
    if (!raw.trim()) return {};
    let body: unknown;
    try {
        body = JSON.parse(raw);
    } catch {
        throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'invalid_payload', 'the body must be a JSON object {coach_id?, week?}');
    const input = body as Record<string, unknown>;
    for (const key of Object.keys(input)) {
        if (!FIELDS.includes(key)) throw new HttpError(400, 'invalid_payload', `unknown field ${key} (expected coach_id, week)`);
    }
    if (input.coach_id !== undefined && (typeof input.coach_id !== 'string' || !UUID_RE.test(input.coach_id))) {
        throw new HttpError(400, 'invalid_payload', 'coach_id must be a coach id (uuid)');
    }
    if (input.week !== undefined && (typeof input.week !== 'string' || !/^\d{4}-W\d{2}$/.test(input.week))) {
        throw new HttpError(400, 'invalid_payload', 'week must be an ISO week YYYY-Www (e.g. 2026-W49)');
    }
    return { coach_id: input.coach_id as string | undefined, week: input.week as string | undefined };
}

/** Sends one due digest through the ledger; returns what happened to it. */
async function sendOne(due: Due, smtp: SmtpSettings, transport: ReturnType<typeof smtpTransport>): Promise<['sent', string] | ['skipped'] | ['failed', string]> {
    const lease = Number(Deno.env.get('DIGEST_LEASE_SECONDS') ?? 600);
    const { rows: [claim] } = await db().query<{ token: string | null }>(
        'select private.digest_claim($1, $2, $3, $4, $5, $6) as token',
        [due.coach_id, due.kind, due.period_key, due.period_start, due.period_end, lease]);
    if (!claim?.token) return ['skipped'];
    const token = claim.token;
    const messageId = `<digest.${due.kind}.${due.period_key}.${due.coach_id}@${senderDomain(smtp.from)}>`;
    try {
        const { rows: [{ content }] } = await db().query<{ content: Content }>(
            'select private.digest_content($1, $2, $3) as content', [due.coach_id, due.period_start, due.period_end]);
        const ctx: DigestContext = {
            kind: due.kind,
            periodStart: due.period_start,
            periodEnd: due.period_end,
            appUrl: requireEnv('APP_URL'),
            unsubscribeUrl: await unsubscribeUrl(requireEnv('SUPABASE_URL'), due.coach_id),
        };
        await transport.sendMail({
            from: smtp.from,
            to: { name: due.name, address: due.email },
            subject: subject(content, ctx),
            text: text(content, ctx),
            html: html(content, ctx),
            messageId,
            // RFC 2369 / RFC 8058: the one-click unsubscribe that Gmail and Outlook show next to the sender
            headers: {
                'List-Unsubscribe': `<${ctx.unsubscribeUrl}>`,
                'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
                'Auto-Submitted': 'auto-generated',
            },
        });
    } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        await db().query('select private.digest_mark_failed($1, $2, $3, $4, $5)', [due.coach_id, due.kind, due.period_key, token, reason]);
        return ['failed', reason];
    }
    const { rows: [marked] } = await db().query<{ ok: boolean | null }>(
        'select private.digest_mark_sent($1, $2, $3, $4, $5) as ok', [due.coach_id, due.kind, due.period_key, token, messageId]);
    if (!marked?.ok) console.error(`send-digests: ${due.coach_id} ${due.kind} ${due.period_key}: sent after the lease expired (another run may send it too)`);
    return ['sent', messageId];
}

async function sendDigests(req: Request): Promise<Response> {
    const token = /^bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1]?.trim();
    if (!token) throw new HttpError(401, 'unauthorized', 'Authorization: Bearer <service role key> is required');
    if (token !== requireEnv('SUPABASE_SERVICE_ROLE_KEY')) throw new HttpError(403, 'forbidden', 'only the service role key may send the digests');
    const input = await readBody(req);
    const smtp = smtpSettings();
    if ('missing' in smtp) throw new HttpError(500, 'misconfigured', `SMTP is not configured: set ${smtp.missing} (docs/deployment.md, "Digest emails")`);

    let due: Due[];
    try {
        ({ rows: due } = await db().query<Due>(
            `select coach_id, name, email, timezone, kind, period_key, period_start::text, period_end::text
             from private.digest_due(now(), $1, $2)`, [input.coach_id ?? null, input.week ?? null]));
    } catch (e) {
        if ((e as { code?: string }).code === '22023') throw new HttpError(400, 'invalid_payload', (e as Error).message);
        throw e;
    }
    const transport = smtpTransport(smtp);
    const sent: (Outcome & { message_id: string })[] = [];
    const skipped: Outcome[] = [];
    const failed: (Outcome & { error: string })[] = [];
    try {
        for (const d of due) {
            const outcome = { coach_id: d.coach_id, kind: d.kind, period: d.period_key };
            const [what, detail] = await sendOne(d, smtp, transport);
            if (what === 'sent') sent.push({ ...outcome, message_id: detail });
            else if (what === 'failed') failed.push({ ...outcome, error: detail });
            else skipped.push(outcome);
        }
    } finally {
        transport.close();
    }
    return json(200, { due: due.length, sent, skipped, failed });
}

Deno.serve(async (req) => {
    if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
    if (req.method !== 'POST') return json(405, { error: 'method_not_allowed', message: 'use POST' });
    try {
        return await sendDigests(req);
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
