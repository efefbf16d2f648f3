// @ts-check
// The Supabase clients of the page (auth, PostgREST, functions), built from supabase-js's own parts — the same classes
// createClient() wires together, without realtime and storage, which the page never uses (about 25 KB gzipped less).
// Requests carry the signed-in user's access token exactly like supabase-js's fetchWithAuth.
// A chunk of its own that supabase.js imports (import()) as soon as it runs: the browser fetches it with the entry
// (index.html announces it, modulepreload), but evaluates it, and starts restoring the session, in a task after the
// first render rather than inside it (#18: auth-js's modules, their localStorage probe, and the auth client's
// construction were the largest part of the page's first task). The page reaches it only through supabase.js.
import { AuthClient } from '@supabase/auth-js';
import { PostgrestClient } from '@supabase/postgrest-js';
import { FunctionsClient } from '@supabase/functions-js';

/** @param {{ url: string, anonKey: string, storageKey: string }} config */
export const makeClients = ({ url, anonKey, storageKey }) => {
    const auth = new AuthClient({
        url: `${url}/auth/v1`,
        headers: { apikey: anonKey, Authorization: `Bearer ${anonKey}` },
        storageKey,
        autoRefreshToken: true,
        persistSession: true,
        detectSessionInUrl: true,
        flowType: 'implicit',
    });

    /** @type {typeof fetch} */
    const fetchWithAuth = async (input, init) => {
        const { data } = await auth.getSession();
        const headers = new Headers(init?.headers);
        if (!headers.has('apikey')) headers.set('apikey', anonKey);
        if (!headers.has('Authorization')) headers.set('Authorization', `Bearer ${data.session?.access_token ?? anonKey}`);
        return fetch(input, { ...init, headers });
    };

    return {
        auth,
        rest: new PostgrestClient(`${url}/rest/v1`, { headers: { apikey: anonKey }, fetch: fetchWithAuth }),
        functions: new FunctionsClient(`${url}/functions/v1`, { headers: { apikey: anonKey }, customFetch: fetchWithAuth }),
    };
};
