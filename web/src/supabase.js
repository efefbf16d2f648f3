// @ts-check
// The Supabase client of the page, built from supabase-js's own parts (auth, PostgREST, functions) — the same
// classes createClient() wires together, without realtime and storage, which the page never uses (about 25 KB
// gzipped less). Requests carry the signed-in user's access token exactly like supabase-js's fetchWithAuth.
import { AuthClient } from '@supabase/auth-js';
import { PostgrestClient } from '@supabase/postgrest-js';
import { FunctionsClient } from '@supabase/functions-js';

export const SUPABASE_URL = __SUPABASE_URL__.replace(/\/+$/, '');
const ANON_KEY = __SUPABASE_ANON_KEY__;

// Read what a magic link brought before the auth client consumes (and clears) the URL fragment.
const fragment = new URLSearchParams(location.hash.slice(1));
const OFFER_PASSWORD_KEY = 'coach-offer-password';
if (fragment.get('access_token') && /^(magiclink|invite|recovery|signup)$/.test(fragment.get('type') ?? '')) {
    sessionStorage.setItem(OFFER_PASSWORD_KEY, '1');
}
/** The error a failed magic link carried (`#error=…&error_description=…`), if any. */
export const linkError = fragment.get('error_description') ?? fragment.get('error');
if (linkError) history.replaceState(null, '', location.pathname + location.search);

const STORAGE_KEY = 'coach-dashboard-auth';
/**
 * False when there is surely no session to restore (nothing stored, no magic link in the URL): the page then renders
 * signed out at once (the sign-in form in the first frame) instead of waiting for the auth client to say so.
 */
export const mayHaveSession = (() => {
    try {
        return localStorage.getItem(STORAGE_KEY) != null || fragment.has('access_token') || fragment.has('refresh_token');
    } catch {
        return true;
    }
})();

/**
 * The session the auth client is about to restore, read at once from its storage (the JSON it keeps under
 * STORAGE_KEY): an unexpired session with a user, else null (a magic link in the URL, nothing usable stored). Only to
 * ask for data ahead (main.js); the page follows what the auth client says.
 * @returns {import('@supabase/auth-js').Session | null}
 */
export const storedSession = () => {
    if (!mayHaveSession || fragment.has('access_token') || fragment.has('refresh_token')) return null;
    try {
        const s = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
        return s?.access_token && s.user?.id && Number(s.expires_at) * 1000 > Date.now() ? s : null;
    } catch {
        return null;
    }
};

const auth = new AuthClient({
    url: `${SUPABASE_URL}/auth/v1`,
    headers: { apikey: ANON_KEY, Authorization: `Bearer ${ANON_KEY}` },
    storageKey: STORAGE_KEY,
    autoRefreshToken: true,
    persistSession: true,
    detectSessionInUrl: true,
    flowType: 'implicit',
});

/** @type {typeof fetch} */
const fetchWithAuth = async (input, init) => {
    const { data } = await auth.getSession();
    const headers = new Headers(init?.headers);
    if (!headers.has('apikey')) headers.set('apikey', ANON_KEY);
    if (!headers.has('Authorization')) headers.set('Authorization', `Bearer ${data.session?.access_token ?? ANON_KEY}`);
    return fetch(input, { ...init, headers });
};

const rest = new PostgrestClient(`${SUPABASE_URL}/rest/v1`, { headers: { apikey: ANON_KEY }, fetch: fetchWithAuth });

export const supabase = {
    auth,
    /** @type {PostgrestClient['rpc']} */
    rpc: (fn, args, options) => rest.rpc(fn, args, options),
    functions: new FunctionsClient(`${SUPABASE_URL}/functions/v1`, {
        headers: { apikey: ANON_KEY },
        customFetch: fetchWithAuth,
    }),
};

/** Whether the user arrived from a magic link and has not set (or declined to set) a password yet. */
export const passwordOffer = {
    pending: () => sessionStorage.getItem(OFFER_PASSWORD_KEY) === '1',
    done: () => sessionStorage.removeItem(OFFER_PASSWORD_KEY),
};

/** @param {import('@supabase/auth-js').Session | null | undefined} session */
export const isAdmin = (session) => session?.user?.app_metadata?.role === 'admin';
