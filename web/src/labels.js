// @ts-check
// The French words a coach reads for the codes the SQL returns (statuses, sources, steps, reasons, ratings,
// priorities). One place, so the same code always reads the same way.
/** @typedef {import('./ui.js').Color} Color */

/** @type {Record<string, string>} */
export const STATUS_LABELS = {
    new: 'Nouveau', engaged: 'Engagé', qualified: 'Qualifié', call_proposed: 'Call proposé',
    call_booked: 'Call réservé', won: 'Gagné', lost: 'Perdu', relance: 'À relancer',
};

/** @type {Record<string, string>} */
export const LOST_REASON_LABELS = {
    price: 'Prix trop élevé', time: 'Manque de temps', already_tried: 'Déjà essayé', hesitation: 'Hésitation', other: 'Autre',
};

/** The sources n8n sends today, in the words of an Instagram coach. */
/** @type {Record<string, string>} */
export const SOURCE_LABELS = {
    story: 'Story', post: 'Publication', reel: 'Reel', keyword: 'Mot-clé', dm_organique: 'DM organique',
    commentaire: 'Commentaire', comment: 'Commentaire', live: 'Live', bio: 'Lien en bio', lien_bio: 'Lien en bio',
    ads: 'Publicité', pub: 'Publicité', publicite: 'Publicité', parrainage: 'Parrainage', referral: 'Parrainage',
};

/** A source code as a coach reads it: a known code gets its word, another one is made readable ("lien_bio_2" → "Lien bio 2"). @param {string | null | undefined} code */
export const sourceLabel = (code) => {
    if (!code) return 'Source inconnue';
    const known = SOURCE_LABELS[code.toLowerCase()];
    if (known) return known;
    const words = code.replace(/[_-]+/g, ' ').trim();
    return words.charAt(0).toUpperCase() + words.slice(1);
};

/** @param {string} code */
export const statusLabel = (code) => STATUS_LABELS[code] ?? code;
/** @param {string} code */
export const lostReasonLabel = (code) => LOST_REASON_LABELS[code] ?? sourceLabel(code);

/** Funnel steps: the first one counts leads who received at least one DM, whatever the document calls it. */
/** @type {Record<string, string>} */
export const FUNNEL_LABELS = {
    leads_contacted: 'Leads contactés', messages_sent: 'Leads contactés', qualified: 'Qualifiés',
    calls_proposed: 'Calls proposés', calls_booked: 'Calls réservés',
};

/** @type {Record<string, [string, Color]>} */
export const RATINGS = { excellent: ['Excellent', 'green'], good: ['Bon', 'yellow'], to_improve: ['À améliorer', 'red'] };
/** @type {Record<string, [string, Color]>} */
export const PRIORITIES = { high: ['Priorité haute', 'red'], medium: ['Priorité moyenne', 'yellow'], low: ['Priorité basse', 'blue'] };

/** "1er DM", "2e DM". @param {number} n */
export const dmLabel = (n) => (n === 1 ? '1er DM' : `${n}e DM`);

/**
 * What a number counts, said on screen wherever another number that looks like it counts something else (issue #18,
 * "one base per screen"; the glossary's `period` and `denominator` texts say the same, private.kpi_period_definitions):
 * - events: what happened during the period (a call booked, a deal won: each lead's first such event, dated in it);
 * - cohort: the leads first contacted during the period, and the step each has reached to this day;
 * - new_leads: the leads created during the period, and what each has become to this day;
 * - now: where the leads are today, whatever the period.
 * @typedef {'events' | 'cohort' | 'new_leads' | 'now'} BaseKey
 */
/** @type {Record<BaseKey, string>} */
export const BASES = {
    events: 'pendant la période',
    cohort: 'parmi les leads contactés pendant la période, à ce jour',
    new_leads: 'parmi les nouveaux leads de la période, à ce jour',
    now: 'aujourd’hui, quelle que soit la période',
};
