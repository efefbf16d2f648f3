// @ts-check
// The page's door to Supabase: what it knows at once (a magic link's fragment, whether a session may be stored) and
// `supabase`, the few calls the page makes (auth, rpc, functions). The clients themselves (supabase-client.js:
// auth-js, postgrest-js, functions-js) are a chunk imported here, evaluated in a task after the page's first one
// (#18, TBT); each call waits for them (the chunk is announced by index.html, so it is usually there by then).
import { nextTask } from './next-task.js';
import { loadOnce } from './on-demand.js';

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

/** @typedef {import('@supabase/auth-js').AuthClient} AuthClient */
/** @typedef {ReturnType<import('./supabase-client.js')['makeClients']>} Clients */

// Asked for now (this module runs with the page's first task): the auth client starts restoring the session (or
// reading a magic link's fragment, which nothing changes before it has: the routes wait for the session) as soon
// as its chunk is evaluated.
// A chunk that failed to load (network cut, a deploy that removed it) is asked for again by the next call.
/** @type {() => Promise<Clients>} */
const load = loadOnce(() =>
    import('./supabase-client.js').then((m) => m.makeClients({ url: SUPABASE_URL, anonKey: ANON_KEY, storageKey: STORAGE_KEY })));
load();
/**
 * The clients, for one call: each call goes on in a task of its own (a message, not a timer), so the calls that waited
 * for the chunk (the dashboard's first requests, the session's subscription: the first fetch() of a page costs tens
 * of milliseconds on a phone) are not all run in the task that evaluated it.
 */
const clients = async () => {
    const c = await load();
    await nextTask();
    return c;
};

/** @typedef {ReturnType<AuthClient['onAuthStateChange']>['data']['subscription']} Subscription */

export const supabase = {
    auth: {
        /**
         * Like the auth client's: `callback` gets the restored session (INITIAL_SESSION) then every change, once the
         * clients are there; unsubscribing before that subscribes nothing. `onFailure`: the clients' chunk could not be
         * loaded (nothing would ever be told to `callback`).
         * @param {(event: import('@supabase/auth-js').AuthChangeEvent, session: import('@supabase/auth-js').Session | null) => void} callback
         * @param {(error: unknown) => void} [onFailure]
         * @returns {{ data: { subscription: Pick<Subscription, 'unsubscribe'> } }}
         */
        onAuthStateChange: (callback, onFailure) => {
            /** @type {Subscription | undefined} */
            let subscription;
            let gone = false;
            clients().then(
                (c) => {
                    if (!gone) subscription = c.auth.onAuthStateChange(callback).data.subscription;
                },
                (e) => {
                    if (!gone) onFailure?.(e);
                },
            );
            return { data: { subscription: { unsubscribe: () => { gone = true; subscription?.unsubscribe(); } } } };
        },
        /** @param {Parameters<AuthClient['signInWithPassword']>[0]} credentials */
        signInWithPassword: async (credentials) => (await clients()).auth.signInWithPassword(credentials),
        /** @param {Parameters<AuthClient['updateUser']>[0]} attributes */
        updateUser: async (attributes) => (await clients()).auth.updateUser(attributes),
        signOut: async () => (await clients()).auth.signOut(),
    },
    /**
     * An RPC (PostgREST), its answer as postgrest-js gives it ({ data, error, status }); `signal` aborts it.
     * @param {string} fn @param {Record<string, unknown>} [args] @param {{ signal?: AbortSignal }} [options]
     */
    rpc: async (fn, args, { signal } = {}) => {
        const q = (await clients()).rest.rpc(fn, args);
        return signal ? q.abortSignal(signal) : q;
    },
    functions: {
        /** @param {string} name @param {Parameters<import('@supabase/functions-js').FunctionsClient['invoke']>[1]} [options] */
        invoke: async (name, options) => (await clients()).functions.invoke(name, options),
    },
};

/** Whether the user arrived from a magic link and has not set (or declined to set) a password yet. */
export const passwordOffer = {
    pending: () => sessionStorage.getItem(OFFER_PASSWORD_KEY) === '1',
    done: () => sessionStorage.removeItem(OFFER_PASSWORD_KEY),
};

/** @param {import('@supabase/auth-js').Session | null | undefined} session */
export const isAdmin = (session) => session?.user?.app_metadata?.role === 'admin';
