// HS256 JWTs exactly as `supabase start` signs them: one shared secret, the anon and service_role keys are
// long-lived JWTs signed with it, user access tokens carry GoTrue's claims.
import { SignJWT, jwtVerify, errors } from 'jose';

export const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
// The keys `supabase start` prints (iss supabase-demo, exp 2032-11-12); they verify with LOCAL_JWT_SECRET.
export const LOCAL_ANON_KEY =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const LOCAL_SERVICE_ROLE_KEY =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

export function jwtTools(secret) {
    const key = new TextEncoder().encode(secret);
    return {
        /** Signs claims (exp/iat included by the caller). */
        sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key),
        /** Verifies signature and expiry; returns { claims } or { error: 'expired' | 'invalid', message }. */
        async verify(token) {
            try {
                const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
                return { claims: payload };
            } catch (e) {
                if (e instanceof errors.JWTExpired) return { error: 'expired', message: 'JWT expired' };
                return { error: 'invalid', message: e.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' ? 'JWSError JWSInvalidSignature' : `JWSError ${e.message}` };
            }
        },
    };
}

/** The bearer token of a request, or null. */
export function bearer(c) {
    const h = c.req.header('authorization') ?? '';
    const m = /^bearer\s+(.+)$/i.exec(h.trim());
    return m ? m[1].trim() : null;
}
