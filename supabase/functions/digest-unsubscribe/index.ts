// digest-unsubscribe: the one-click unsubscribe link of the digest emails (Supabase edge function, Deno; no JWT:
// `verify_jwt = false` in supabase/config.toml, the link carries its own signature).
//
//   POST /functions/v1/digest-unsubscribe?coach=<uuid>&token=<signature>   (RFC 8058 one-click: the mail client
//        posts "List-Unsubscribe=One-Click"; a browser posts the form of the GET page)
//        -> 200: both digest emails of the coach are off (private.digest_unsubscribe); JSON {unsubscribed: true},
//           or a French page when the client asks for HTML
//   GET  the same URL -> 200 a French page with a button that posts it (a GET changes nothing: mail scanners and
//        link previews open links)
//   A missing or wrong signature: 400 {error: "invalid_link", …} (or the French page saying so). Other errors are
//   JSON {error, message} with status 405/500/503.
//
// The token is HMAC-SHA256("digest-unsubscribe:<coach id>") with DIGEST_SIGNING_SECRET, or the service role key when
// that is not set (../_shared/unsubscribe-token.ts). The coach turns the digests on again in /settings.
// Env: SUPABASE_DB_URL, APP_URL (the settings link), DIGEST_SIGNING_SECRET or SUPABASE_SERVICE_ROLE_KEY.
import pg from 'pg';
import { checkUnsubscribeToken } from '../_shared/unsubscribe-token.ts';

const corsHeaders = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
};
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let pool: pg.Pool | undefined;
const db = () => (pool ??= new pg.Pool({ connectionString: Deno.env.get('SUPABASE_DB_URL'), max: 1, application_name: 'digest-unsubscribe' }));

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function page(status: number, title: string, body: string): Response {
    const html = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title></head>
<body style="margin:0;background:#f1f5f9;font-family:Arial,Helvetica,sans-serif;color:#0f172a;">
<main style="max-width:480px;margin:48px auto;background:#fff;border-radius:8px;padding:24px;">
<h1 style="font-size:20px;margin:0 0 12px 0;">${escape(title)}</h1>${body}</main></body></html>`;
    return new Response(html, { status, headers: { ...corsHeaders, 'Content-Type': 'text/html; charset=utf-8' } });
}

const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { ...corsHeaders, 'Content-Type': 'application/json; charset=utf-8' } });

Deno.serve(async (req) => {
    if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
    if (req.method !== 'GET' && req.method !== 'POST') return json(405, { error: 'method_not_allowed', message: 'use POST (or GET for the confirmation page)' });
    const url = new URL(req.url);
    const coach = url.searchParams.get('coach') ?? '';
    const token = url.searchParams.get('token') ?? '';
    const wantsHtml = req.method === 'GET' || (req.headers.get('accept') ?? '').includes('text/html');
    try {
        if (!UUID_RE.test(coach) || !(await checkUnsubscribeToken(coach, token))) {
            return wantsHtml
                ? page(400, 'Lien invalide', '<p>Ce lien de désabonnement est incomplet ou a été modifié. Changez vos emails dans les réglages du tableau de bord.</p>')
                : json(400, { error: 'invalid_link', message: 'the unsubscribe link is incomplete or its signature is wrong' });
        }
        const settings = `${(Deno.env.get('APP_URL') ?? '').replace(/\/$/, '')}/settings`;
        if (req.method === 'GET') {
            return page(200, 'Ne plus recevoir les résumés ?', `<p>Vous ne recevrez plus le résumé de la semaine ni celui de la veille.</p>
<form method="post" action="${escape(url.pathname + url.search)}"><button type="submit" style="background:#6d28d9;color:#fff;border:0;border-radius:6px;padding:12px 20px;font-size:15px;font-weight:bold;cursor:pointer;">Me désabonner</button></form>
<p style="font-size:13px;color:#475569;">Vous pourrez les réactiver dans <a href="${escape(settings)}">vos réglages</a>.</p>`);
        }
        await req.body?.cancel();
        const { rows: [row] } = await db().query<{ ok: boolean | null }>('select private.digest_unsubscribe($1) as ok', [coach]);
        if (!row?.ok) {
            return wantsHtml ? page(404, 'Compte introuvable', '<p>Ce compte n’existe plus.</p>') : json(404, { error: 'not_found', message: 'no such coach' });
        }
        return wantsHtml
            ? page(200, 'C’est fait', `<p>Vous ne recevrez plus les résumés par email. Vous pouvez les réactiver dans <a href="${escape(settings)}">vos réglages</a>.</p>`)
            : json(200, { unsubscribed: true });
    } catch (e) {
        console.error(e);
        const code = String((e as { code?: unknown })?.code ?? '');
        if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|57P0[123]|08)/.test(code)) {
            return json(503, { error: 'database_unavailable', message: 'the database is unavailable; try again in a moment' });
        }
        return json(500, { error: 'internal_error', message: 'unexpected error (see the function logs)' });
    }
});
