// @ts-check
// French words and formats of the lead page: times in the coach's time zone (not the browser's), sources, entries of
// the history, amounts in the smallest unit. Formats only: every value is the SQL's.
import { formatMoney } from './format.js';
import { lostReasonLabel, statusLabel } from './labels.js';

/** @typedef {import('./lead-types').StatusEvent} StatusEvent */
/** @typedef {import('./lead-types').SetAsideEvent} SetAsideEvent */

/** @type {Map<string, Intl.DateTimeFormat>} */
const formats = new Map();
/** @param {string} timeZone @param {Intl.DateTimeFormatOptions} options */
const formatter = (timeZone, options) => {
    const key = `${timeZone}|${JSON.stringify(options)}`;
    let f = formats.get(key);
    if (!f) {
        try {
            f = new Intl.DateTimeFormat('fr-FR', { ...options, timeZone });
        } catch {
            f = new Intl.DateTimeFormat('fr-FR', { ...options, timeZone: 'Europe/Paris' });
        }
        formats.set(key, f);
    }
    return f;
};

/** "26 nov. 2026, 14:05" in the coach's time zone. @param {string} iso @param {string} timeZone */
export const formatStamp = (iso, timeZone) =>
    formatter(timeZone, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
/** "14:05" in the coach's time zone. @param {string} iso @param {string} timeZone */
export const formatClock = (iso, timeZone) => formatter(timeZone, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
/** "jeudi 26 novembre 2026" in the coach's time zone (a day separator of the conversation). @param {string} iso @param {string} timeZone */
export const formatLongDay = (iso, timeZone) =>
    formatter(timeZone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso));
/** The local day of an instant (to group messages by day). @param {string} iso @param {string} timeZone */
export const localDay = (iso, timeZone) => formatter(timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));

/** Who an entry or a value came from. @type {Record<string, string>} */
export const SOURCE_NAMES = { n8n: 'setter (n8n)', setter: 'setter (n8n)', coach: 'vous', calendly: 'Calendly', stripe: 'Stripe' };
/** @param {string | null | undefined} source */
export const sourceName = (source) => (source ? SOURCE_NAMES[source] ?? source : 'inconnu');

/** An amount in the currency's smallest unit, as Stripe sends it (EUR: cents). @param {number} minor @param {string} currency */
export const formatMinor = (minor, currency) => {
    const digits = ['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']
        .includes(currency) ? 0 : ['BHD', 'JOD', 'KWD', 'OMR', 'TND'].includes(currency) ? 3 : 2;
    return formatMoney(minor / 10 ** digits, currency);
};

/** What an entry of the history says, in French. @param {StatusEvent | SetAsideEvent} e @param {string} currency */
export function entryText(e, currency) {
    const d = /** @type {Record<string, any>} */ (e.details ?? {});
    switch (e.kind) {
        case 'call_showed': return 'Call : présent';
        case 'call_no_show': return 'Call : absent (no-show)';
        case 'call_no_show_undone': return 'No-show annulé';
        case 'call_scheduled': return 'Nouveau rendez-vous pris';
        case 'followed_up': return 'Relancé par le coach';
        case 'payment': return `Paiement de ${formatMinor(Number(d.amount_minor ?? 0), String(d.currency ?? currency))}`;
        case 'refund': return `Remboursé : ${formatMinor(Number(d.refunded_minor ?? 0), String(d.currency ?? currency))} au total`;
        default: {
            const to = statusLabel(e.to_status);
            if (e.to_status === 'won' && d.deal_value != null) {
                return `${to} · ${formatMoney(Number(d.deal_value), currency)}${d.payment_plan === 'instalments'
                    ? ` en ${d.instalment_count ? `${d.instalment_count} fois` : 'plusieurs fois'}` : ''}`;
            }
            if (e.to_status === 'lost' && d.lost_reason) return `${to} · ${lostReasonLabel(String(d.lost_reason))}`;
            return e.from_status && e.from_status !== e.to_status ? `${statusLabel(e.from_status)} → ${to}` : to;
        }
    }
}

/** Why an entry was set aside. @param {SetAsideEvent} e */
export const setAsideWhy = (e) =>
    e.reason === 'after_outcome' ? 'ignoré : arrivé après votre issue (gagné ou perdu)' : 'remplacé par une issue plus récente';
