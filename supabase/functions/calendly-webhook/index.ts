// calendly-webhook: Calendly reports a coach's bookings, cancellations and no-shows (Supabase edge function, Deno).
//
//   POST /functions/v1/calendly-webhook/<coach_id>   Calendly-Webhook-Signature: t=…,v1=…   (the event Calendly sends)
//   -> 200 {"received": true, "status": "recorded" | "duplicate" | "ignored", "event_id", "lead_id", "matched_by"}
//
// The coach creates a webhook subscription with this URL (events invitee.created, invitee.canceled,
// invitee_no_show.created, invitee_no_show.deleted) and a signing key, and saves the key in the dashboard's settings
// (update_coach_settings, key calendly_signing_key). Calendly signs "<t>.<raw body>" with HMAC-SHA256 (hex) and
// sends t=<unix seconds>,v1=<signature>; a signature that does not match, or a t more than 3 minutes away from now,
// answers 400 and nothing is written. The event then goes to private.receive_calendly_event: kept once per event,
// matched to a lead (utm_content = lead id, then the invitee's email, then an @handle in the answers).
// Errors are JSON {error, message}: 400 signature_missing, signature_invalid, signature_expired, invalid_json,
// invalid_event, webhook_not_configured; 404 coach_not_found; 405; 413; 503 database_unavailable; 500. docs/integrations.md.
import { HttpError, serveWebhook } from '../_shared/webhook.ts';

/** Calendly's documented tolerance: a signature older (or newer) than 3 minutes is refused (replays). */
export const TOLERANCE_SECONDS = 180;

/** t and the v1 signatures of a Calendly-Webhook-Signature header; null when malformed. */
export function parseSignature(header: string): { t: number; v1: string[] } | null {
    let t: number | undefined;
    const v1: string[] = [];
    for (const part of header.split(',')) {
        const at = part.indexOf('=');
        if (at < 0) return null;
        const key = part.slice(0, at).trim();
        const value = part.slice(at + 1).trim();
        if (key === 't' && /^\d{1,12}$/.test(value)) t = Number(value);
        else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) v1.push(value.toLowerCase());
    }
    return t === undefined || v1.length === 0 ? null : { t, v1 };
}

/** HMAC-SHA256 of "<t>.<body>" with the signing key, hex: what Calendly sends as v1. */
export async function sign(key: string, t: number, body: string): Promise<string> {
    const enc = new TextEncoder();
    const k = await crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', k, enc.encode(`${t}.${body}`)));
    return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Compares two hex strings of equal length in constant time. */
function sameHex(a: string, b: string): boolean {
    if (a.length !== b.length) return false;
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
    return diff === 0;
}

async function verify(req: Request, body: string, secret: string): Promise<unknown> {
    const header = req.headers.get('calendly-webhook-signature');
    if (!header) throw new HttpError(400, 'signature_missing', 'the Calendly-Webhook-Signature header is missing');
    const parsed = parseSignature(header);
    if (!parsed) throw new HttpError(400, 'signature_invalid', 'the Calendly-Webhook-Signature header is not t=<seconds>,v1=<hex>');
    const expected = await sign(secret, parsed.t, body);
    if (!parsed.v1.some((v) => sameHex(v, expected))) {
        throw new HttpError(400, 'signature_invalid', 'the signature does not match the body and the signing key');
    }
    if (Math.abs(Date.now() / 1000 - parsed.t) > TOLERANCE_SECONDS) {
        throw new HttpError(400, 'signature_expired', `the signature's timestamp is more than ${TOLERANCE_SECONDS} seconds from now`);
    }
    try {
        return JSON.parse(body);
    } catch {
        throw new HttpError(400, 'invalid_json', 'the body is not JSON');
    }
}

Deno.serve(serveWebhook('calendly-webhook', 'calendly_signing_key', 'receive_calendly_event', verify));
