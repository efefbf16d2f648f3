// @ts-check
// Every error the page can meet, as one French sentence for the coach (never a code, an English message or a
// TypeError): PostgREST errors of the RPCs, auth errors, edge function errors and network failures.

/** @typedef {{ message: string, retry: boolean, offline: boolean, field?: string }} Problem */

export const OFFLINE = 'Impossible de joindre le serveur. Vérifiez votre connexion internet.';
export const SESSION_EXPIRED = 'Votre session a expiré. Reconnectez-vous.';
const FORBIDDEN = 'Vous n’avez pas accès à ces données.';
export const SERVER = 'Le serveur a rencontré une erreur. Réessayez dans un instant.';
export const UNEXPECTED = 'Une erreur inattendue est survenue. Réessayez.';
const TOO_MANY = 'Trop de tentatives : réessayez dans quelques minutes.';

/** An RPC's error with its HTTP status (postgrest-js returns them apart). */
export class ApiError extends Error {
    /** @param {{ message?: string, code?: string, details?: string | null, hint?: string | null }} error @param {number} status */
    constructor(error, status) {
        super(error.message ?? '');
        this.name = 'ApiError';
        this.code = error.code ?? '';
        this.status = status;
    }
}

/** The French sentences of the settings fields that update_coach_settings names in its 400s. */
/** @type {Record<string, string>} */
export const SETTINGS_FIELD_ERRORS = {
    setter_monthly_cost: 'Indiquez un coût mensuel entre 0 et 100 000.',
    currency: 'Choisissez une devise de la liste (code à 3 lettres, par exemple EUR).',
    timezone: 'Choisissez un fuseau horaire de la liste (par exemple Paris).',
    minutes_per_manual_message: 'Indiquez un nombre de minutes entre 0 et 60.',
    default_no_show_rate: 'Indiquez un taux entre 0 et 100 %.',
};

/** The French sentences of the fields the lead's RPCs name in their 400s (outcomes, notes, search, webhook secrets). */
/** @type {Record<string, string>} */
export const LEAD_FIELD_ERRORS = {
    deal_value: 'Indiquez une valeur de deal supérieure à 0 et d’au plus 1 000 000, avec 2 décimales au plus.',
    payment_plan: 'Choisissez « payé en une fois » ou « en plusieurs fois ».',
    instalment_count: 'Indiquez un nombre d’échéances entre 2 et 60.',
    reason: 'Choisissez une raison de la liste.',
    note: 'La note doit faire au plus 2 000 caractères.',
    body: 'La note ne peut pas être vide et doit faire au plus 5 000 caractères.',
    query: 'La recherche doit faire au plus 200 caractères.',
    event_id: 'Cet événement est déjà rattaché à un lead.',
    stripe_webhook_secret: 'Collez le secret de signature du webhook Stripe : il commence par « whsec_ ».',
    calendly_signing_key: 'La clé de signature Calendly doit faire au moins 8 caractères, sans espace.',
};

/** A fetch that never reached the server (offline, DNS, refused connection, CORS). @param {unknown} e */
export const isNetwork = (e) => {
    const any = /** @type {any} */ (e);
    const text = `${any?.name ?? ''} ${any?.message ?? ''}`;
    return any?.status === 0 || /Failed to fetch|NetworkError|Load failed|FetchError|fetch failed|AuthRetryableFetchError|FunctionsFetchError/i.test(text);
};

/** @param {unknown} error @returns {Problem} */
export function describe(error) {
    const e = /** @type {any} */ (error);
    if (!e) return { message: UNEXPECTED, retry: true, offline: false };
    if (isNetwork(e)) return { message: OFFLINE, retry: true, offline: true };
    const status = typeof e.status === 'number' ? e.status : 0;
    const code = e.code ?? '';
    if (code === '22023' && /invalid parameter "period/.test(e.message ?? '')) {
        // a custom range the server refuses (issue 22): after today, too long, or too long before the first data
        const msg = String(e.message);
        const text = /after today|in the future/.test(msg) ? 'La date de fin ne peut pas être dans le futur.'
            : /maximum length|before the earliest/.test(msg)
              ? 'Cette période est hors limites : au plus 3 ans, et pas plus de 90 jours avant vos premières données.'
              : 'Cette période n’est pas valide : choisissez une date de début et une date de fin.';
        return { message: text, retry: false, offline: false };
    }
    if (code === '22023') {
        const field = /invalid field "([^"]+)"/.exec(e.message ?? '')?.[1];
        return { message: (field && (SETTINGS_FIELD_ERRORS[field] ?? LEAD_FIELD_ERRORS[field])) || 'Une valeur envoyée n’est pas valide.', retry: false, offline: false, field };
    }
    if (status === 401 || code === 'PGRST301' || code === 'PGRST303' || /session|refresh token/i.test(code)) {
        return { message: SESSION_EXPIRED, retry: false, offline: false };
    }
    if (code === '42501' && /only a signed-in coach can record/.test(e.message ?? '')) {
        return { message: 'Seul le coach du lead peut enregistrer une issue ou une note (vue en lecture seule).', retry: false, offline: false };
    }
    if (code === '42501' || status === 403) return { message: FORBIDDEN, retry: false, offline: false };
    // PT404: the id names no coach, lead, note or event (PostgREST answers it with 404)
    if (code === 'PT404' && /^lead not found/.test(e.message ?? '')) {
        return { message: 'Ce lead est introuvable : il a peut-être été supprimé.', retry: false, offline: false };
    }
    if (code === 'PT404' && /^(note|event) not found/.test(e.message ?? '')) {
        return { message: 'Cet élément est introuvable : il a peut-être été supprimé.', retry: false, offline: false };
    }
    if (code === 'PT404') return { message: 'Ce coach est introuvable : il a peut-être été supprimé.', retry: false, offline: false };
    if (code === 'PGRST202') {
        return { message: 'Cette fonction n’est pas encore disponible sur le serveur. Prévenez votre administrateur.', retry: false, offline: false };
    }
    if (status === 429) return { message: TOO_MANY, retry: true, offline: false };
    if (status >= 500 || code.startsWith('P0') || code.startsWith('5')) return { message: SERVER, retry: true, offline: false };
    return { message: UNEXPECTED, retry: status === 0, offline: false };
}

/** The sign-in form's errors (auth-js AuthError). @param {any} error */
export function loginMessage(error) {
    if (isNetwork(error)) return OFFLINE;
    if (error?.code === 'invalid_credentials' || /invalid login credentials/i.test(error?.message ?? '')) return 'Email ou mot de passe incorrect.';
    if (error?.code === 'email_not_confirmed') return 'Votre email n’est pas encore confirmé : ouvrez le lien reçu par email.';
    if (error?.status === 429) return TOO_MANY;
    return 'Connexion impossible. Réessayez dans un instant.';
}
