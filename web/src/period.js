// @ts-check
// The periods a coach can pick, kept in the URL (`?periode=30j`) so a link reopens the same view. `key` is what
// get_dashboard(period => …) takes (web/src/dashboard-types.ts, PeriodKey).
/** @typedef {import('./dashboard-types').PeriodKey} PeriodKey */

/**
 * A preset (`param` in `?periode=`), or a custom range (`key` range, `start` and `end` as YYYY-MM-DD in
 * `?du=…&au=…`, issue 22).
 * @typedef {{ param: string, key: PeriodKey, label: string, previous: string, start?: string, end?: string }} PeriodOption
 */

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
    if (period.key === 'range') {
        q.set('du', /** @type {string} */ (period.start));
        q.set('au', /** @type {string} */ (period.end));
    } else if (period !== DEFAULT_PERIOD) q.set('periode', period.param);
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

// ---- custom periods (issue 22): `?du=2026-10-01&au=2026-10-31` --------------------------------------------------

const YMD = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a text is a real calendar day written YYYY-MM-DD. @param {unknown} s @returns {s is string} */
export const isDay = (s) => typeof s === 'string' && YMD.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

/** A custom range of whole days (both included). @param {string} start @param {string} end @returns {PeriodOption} */
export const customPeriod = (start, end) => ({ param: 'perso', key: 'range', label: 'Personnalisé', previous: 'vs période préc.', start, end });

/**
 * The period of the dashboard's query: `du` and `au` (two days, the first not after the second) name a custom range,
 * else `periode` a preset (30 j when missing or unknown).
 * @param {Record<string, string | undefined>} query
 */
export const periodFromQuery = (query) =>
    isDay(query.du) && isDay(query.au) && query.du <= query.au ? customPeriod(query.du, query.au) : periodFromParam(query.periode);

/** What the period RPCs take for a period (get_dashboard, get_variant_report…). @param {PeriodOption} period */
export const periodArgs = (period) =>
    period.key === 'range' ? { period: 'range', period_start: period.start, period_end: period.end } : { period: period.key };

/** A key that changes with the period (presets by key, ranges by their days). @param {PeriodOption} period */
export const periodId = (period) => (period.key === 'range' ? `range:${period.start}:${period.end}` : period.key);

/** @type {Map<string | undefined, Intl.DateTimeFormat>} one formatter per time zone */
const days = new Map();
/** Today in a time zone (the coach's), YYYY-MM-DD. @param {string | undefined} timeZone @param {Date} [now] */
export const todayIn = (timeZone, now = new Date()) => {
    let f = days.get(timeZone);
    if (!f) {
        try {
            f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
        } catch {
            f = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
        }
        days.set(timeZone, f);
    }
    return f.format(now);
};

/** "Mois en cours" (the 1st to today) and "Mois dernier" (the whole previous month) for a today. @param {string} today */
export const monthPicks = (today) => {
    const [y, m] = today.split('-').map(Number);
    const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
    const first = `${y}-${pad(m)}-01`;
    const last = new Date(Date.UTC(y, m - 1, 0)); // day 0 of this month: the last day of the previous one
    const lastYmd = last.toISOString().slice(0, 10);
    return [
        { label: 'Mois en cours', period: customPeriod(first, today) },
        { label: 'Mois dernier', period: customPeriod(`${lastYmd.slice(0, 8)}01`, lastYmd) },
    ];
};

/**
 * What is wrong with two dates typed for a custom range, in French, or null when they can be asked for (the server
 * checks its own bounds too). @param {string} start @param {string} end @param {string} today
 */
export const rangeProblem = (start, end, today) => {
    if (!isDay(start) || !isDay(end)) return 'Choisissez une date de début et une date de fin.';
    if (start > end) return 'La date de début doit précéder la date de fin.';
    if (end > today) return 'La date de fin ne peut pas être dans le futur.';
    return null;
};
