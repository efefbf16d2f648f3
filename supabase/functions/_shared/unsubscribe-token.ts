// The signed token of the digest emails' one-click unsubscribe link: HMAC-SHA256 of "digest-unsubscribe:<coach id>"
// with DIGEST_SIGNING_SECRET (or, when it is not set, the service role key), base64url. send-digests signs it,
// digest-unsubscribe checks it (crypto.subtle.verify: a constant-time comparison).
const encoder = new TextEncoder();

function signingSecret(): string {
    const secret = Deno.env.get('DIGEST_SIGNING_SECRET') || Deno.env.get('SUPABASE_SERVICE_ROLE_KEY');
    if (!secret) throw new Error('DIGEST_SIGNING_SECRET (or SUPABASE_SERVICE_ROLE_KEY) is not set');
    return secret;
}

const key = () => crypto.subtle.importKey('raw', encoder.encode(signingSecret()), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
const message = (coachId: string) => encoder.encode(`digest-unsubscribe:${coachId.toLowerCase()}`);

const toBase64Url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
    if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return null;
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '=');
    const bytes = new Uint8Array(new ArrayBuffer(bin.length));
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
}

export async function unsubscribeToken(coachId: string): Promise<string> {
    return toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', await key(), message(coachId))));
}

export async function checkUnsubscribeToken(coachId: string, token: string): Promise<boolean> {
    const signature = fromBase64Url(token);
    return !!signature && crypto.subtle.verify('HMAC', await key(), signature, message(coachId));
}

/** The one-click unsubscribe URL of a coach (the digest-unsubscribe function of this project). */
export async function unsubscribeUrl(baseUrl: string, coachId: string): Promise<string> {
    const url = new URL(`${baseUrl.replace(/\/$/, '')}/functions/v1/digest-unsubscribe`);
    url.searchParams.set('coach', coachId);
    url.searchParams.set('token', await unsubscribeToken(coachId));
    return url.href;
}
