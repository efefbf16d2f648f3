// @ts-check
// The periods a coach can pick, kept in the URL (`?periode=30j`) so a link reopens the same view. `key` is what
// get_dashboard(period => …) takes (web/src/dashboard-types.ts, PeriodKey).
/** @typedef {import('./dashboard-types').PeriodKey} PeriodKey */

/** @typedef {{ param: string, key: PeriodKey, label: string, previous: string }} PeriodOption */

/** @type {PeriodOption[]} */
export const PERIODS = [
    { param: 'aujourdhui', key: 'today', label: 'Aujourd’hui', previous: 'vs hier' },
    { param: '7j', key: '7d', label: '7 j', previous: 'vs 7 j préc.' },
    { param: '30j', key: '30d', label: '30 j', previous: 'vs 30 j préc.' },
    { param: '90j', key: '90d', label: '90 j', previous: 'vs 90 j préc.' },
    { param: 'tout', key: 'all', label: 'Tout', previous: '' },
];

export const DEFAULT_PERIOD = /** @type {PeriodOption} */ (PERIODS.find((p) => p.key === '30d'));

/** The period a `periode` query value names; the default (30 j) for a missing or unknown one. @param {string | undefined} param */
export const periodFromParam = (param) => PERIODS.find((p) => p.param === param) ?? DEFAULT_PERIOD;

/** The period of an RPC key (for the document's own `period.key`). @param {PeriodKey} key */
export const periodFromKey = (key) => PERIODS.find((p) => p.key === key) ?? DEFAULT_PERIOD;

/**
 * The dashboard URL for a period (and, for an admin, a coach), other query values dropped.
 * @param {PeriodOption} period @param {string | undefined} [coachId]
 */
export const dashboardHref = (period, coachId) => {
    const q = new URLSearchParams();
    if (coachId) q.set('coach', coachId);
    if (period !== DEFAULT_PERIOD) q.set('periode', period.param);
    const s = q.toString();
    return `/dashboard${s ? `?${s}` : ''}`;
};

const clock = new Map();
/** "14:10" in a time zone. @param {string} iso @param {string} timeZone */
export const formatClock = (iso, timeZone) => {
    let f = clock.get(timeZone);
    if (!f) {
        f = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone });
        clock.set(timeZone, f);
    }
    return f.format(new Date(iso));
};

/**
 * What a change is measured against, as the document's period says: "vs hier à la même heure" for today (the previous
 * period cut at the same local time, `previous.until`), "vs 7 j préc." for the others.
 * @param {import('./dashboard-types').Period} p
 */
export const versusText = (p) => {
    if (!p.previous) return '';
    if (p.key === 'today') return p.previous.until ? `vs hier à ${formatClock(p.previous.until, p.timezone)}` : 'vs hier';
    const preset = PERIODS.find((o) => o.key === p.key);
    return preset ? preset.previous : `vs les ${p.days} j précédents`;
};
