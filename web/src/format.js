// @ts-check
// French formats for what the SQL computed: the page formats, it never computes a KPI.
import { inNextTask } from './next-task.js';

/** @typedef {import('./dashboard-types').Rate} Rate */

const LOCALE = 'fr-FR';
/** @type {Array<() => unknown>} the formatters the dashboard's first load uses, made ahead by warmFormats */
const WARM = [];
/**
 * A formatter made on first use (an Intl constructor costs about a millisecond: made at load, they held up the
 * first render). `warm`: warmFormats makes it ahead (false for those the dashboard's first load never uses: making
 * them would only add work while it loads). @template T @param {() => T} make @returns {() => T}
 */
const once = (make, warm = true) => {
    /** @type {T | undefined} */
    let made;
    const get = () => (made ??= make());
    if (warm) WARM.push(get);
    return get;
};
const integer = once(() => new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 }));
const decimal = once(() => new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 }));
const percent = once(() => new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 1 }));
const signedPercent = once(() => new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }));
const relative = once(() => new Intl.RelativeTimeFormat('fr', { numeric: 'auto', style: 'short' }));

export const DASH = '—';
export const LOW_SAMPLE = 'pas assez de données';

/** `1 234` (or `12,5` with digits = 1); null → "—". @param {number | null | undefined} n */
export const formatNumber = (n, digits = 0) =>
    n == null ? DASH : (digits ? decimal : integer)().format(n);

/**
 * Beyond this (in %, either way) a percentage says so in words instead of printing its digits: "13 199,4 %" of ROI,
 * or "+11 143,6 pts", measure a tiny base rather than anything a coach can act on.
 */
export const PERCENT_BOUND = 1000;
/** "plus de 1 000 %" / "moins de −1 000 %" (or the points) for a value beyond the bound, else null. @param {number} value @param {string} unit */
const beyond = (value, unit) =>
    Math.abs(value) < PERCENT_BOUND ? null : `${value > 0 ? 'plus de' : 'moins de'} ${integer().format(Math.sign(value) * PERCENT_BOUND)}${unit}`;

/** `12,5 %` from a 0..100 percentage; null → "—"; beyond ±1 000 % in words. @param {number | null | undefined} value */
export const formatPercent = (value) => (value == null ? DASH : beyond(value, '\u00a0%') ?? percent().format(value / 100));

/** `+12,5 %` for a change; beyond ±1 000 % in words. @param {number | null | undefined} value */
export const formatChange = (value) => (value == null ? DASH : beyond(value, '\u00a0%') ?? signedPercent().format(value / 100));

/** A rate as the coach reads it: "pas assez de données" when the sample is too small. @param {Rate | null | undefined} rate */
export const formatRate = (rate) => (!rate ? DASH : rate.low_sample ? LOW_SAMPLE : formatPercent(rate.value));

/** @type {Map<string, Intl.NumberFormat>} */
const moneyFormats = new Map();
/** `1 234 €` in the coach's currency. @param {number | null | undefined} n @param {string} currency */
export const formatMoney = (n, currency = 'EUR') => {
    if (n == null) return DASH;
    let f = moneyFormats.get(currency);
    if (!f) {
        try {
            f = new Intl.NumberFormat(LOCALE, { style: 'currency', currency, maximumFractionDigits: 0 });
        } catch {
            f = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
        }
        moneyFormats.set(currency, f);
    }
    return f.format(n);
};

/** `45 min`, `2 h 05`. @param {number | null | undefined} minutes */
export const formatMinutes = (minutes) => {
    if (minutes == null) return DASH;
    if (minutes < 60) return `${integer().format(Math.round(minutes))} min`;
    const h = Math.floor(minutes / 60);
    const m = Math.round(minutes - h * 60);
    return m ? `${integer().format(h)} h ${String(m).padStart(2, '0')}` : `${integer().format(h)} h`;
};

/**
 * "il y a 3 min" from an ISO timestamp; "—" for a missing or unreadable one (never throws: the header renders it
 * before the facts exist). @param {string | null | undefined} iso @param {number} [now]
 */
export const formatAgo = (iso, now = Date.now()) => {
    const at = iso ? Date.parse(iso) : NaN;
    if (!Number.isFinite(at) || !Number.isFinite(now)) return DASH;
    const seconds = Math.max(0, (now - at) / 1000);
    if (seconds < 60) return 'à l’instant';
    if (seconds < 3600) return relative().format(-Math.floor(seconds / 60), 'minute');
    if (seconds < 86400) return relative().format(-Math.floor(seconds / 3600), 'hour');
    return relative().format(-Math.floor(seconds / 86400), 'day');
};

const weekday = once(() => new Intl.DateTimeFormat(LOCALE, { weekday: 'long', timeZone: 'UTC' }));
/** "mardi, 18 h" from an ISO weekday (1 = Monday) and an hour. @param {number} isoWeekday @param {number} hour */
export const formatMoment = (isoWeekday, hour) => {
    const day = weekday().format(new Date(Date.UTC(2024, 0, isoWeekday))); // 2024-01-01 is a Monday
    return `${day.charAt(0).toUpperCase()}${day.slice(1)}, ${hour} h`;
};

const points = once(() => new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }));
/** `+3,2 pts` for a change of a rate in percentage points. @param {number | null | undefined} value */
export const formatPoints = (value) =>
    (value == null ? DASH : beyond(value, '\u00a0pts') ?? `${points().format(value)} pt${Math.abs(value) >= 2 ? 's' : ''}`);

const day = once(() => new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', timeZone: 'UTC' }));
const dayYear = once(() => new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }));
/** "26 nov." (or "26 nov. 2026") from a YYYY-MM-DD day. @param {string} ymd */
export const formatDay = (ymd, withYear = false) => (withYear ? dayYear : day)().format(new Date(`${ymd}T00:00:00Z`));

const month = once(() => new Intl.DateTimeFormat(LOCALE, { month: 'short', year: 'numeric', timeZone: 'UTC' }));
/** "nov. 2026" from a YYYY-MM-DD day (a monthly trend bucket). @param {string} ymd */
export const formatMonth = (ymd) => month().format(new Date(`${ymd}T00:00:00Z`));

/** "du 28 oct. au 26 nov. 2026", or "le 26 nov. 2026" for one day. @param {string} start @param {string} end */
export const formatDayRange = (start, end) =>
    start === end ? `le ${formatDay(end, true)}` : `du ${formatDay(start, start.slice(0, 4) !== end.slice(0, 4))} au ${formatDay(end, true)}`;

// the time of figures shown while an update fails (the dashboard's header): not warmed
const time = once(() => new Intl.DateTimeFormat(LOCALE, { hour: '2-digit', minute: '2-digit' }), false);
/** "14:05", local time of the browser. @param {number | string | Date} t */
export const formatTime = (t) => time().format(new Date(t));

// formatDate and formatDateTime: the lead page, the settings and /health, never the dashboard: not warmed
const date = once(() => new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric' }), false);
/** "12 nov. 2026", local date of the browser. @param {string} iso */
export const formatDate = (iso) => date().format(new Date(iso));

const dateTime = once(() => new Intl.DateTimeFormat(LOCALE, { dateStyle: 'long', timeStyle: 'short' }), false);
/** "26 novembre 2026 à 14:05", local time of the browser. @param {string} iso */
export const formatDateTime = (iso) => dateTime().format(new Date(iso));

/** The lead page's URL (shareable). @param {string} leadId @param {string} [coachId] an admin's coach */
export const leadHref = (leadId, coachId) => `/leads/${encodeURIComponent(leadId)}${coachId ? `?coach=${encodeURIComponent(coachId)}` : ''}`;

/**
 * Makes the formatters ahead, one per task (inNextTask), so that the renders that first use them do not pay for them:
 * each costs 1 to 15 ms on a laptop (4 times that on Lighthouse's phone), and a render that made five of them was
 * one long task. The dashboard calls it while its data loads. `currency`: also the money format of that currency
 * (none when it is not known yet: a format of another currency would be made for nothing).
 * @param {string | null} [currency]
 */
export const warmFormats = (currency) => {
    const todo = [...WARM, ...(currency ? [() => formatMoney(0, currency)] : [])];
    const step = () => {
        const make = todo.shift();
        if (!make) return;
        make();
        inNextTask(step);
    };
    inNextTask(step);
};
