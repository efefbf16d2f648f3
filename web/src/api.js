// @ts-check
// The RPCs the page reads, each returning the RPC's own JSON or throwing an ApiError (errors.js turns it into
// French). The page formats what these return; it computes no KPI.
import { supabase } from './supabase.js';
import { ApiError } from './errors.js';
import { versionOfDocument } from './live.js';

/** @typedef {import('./dashboard-types').PeriodDashboard} PeriodDashboard */
/** @typedef {import('./dashboard-types').KpiDefinitionV2} KpiDefinitionV2 */
/** @typedef {import('./dashboard-types').FollowUpLead} FollowUpLead */
/** @typedef {import('./dashboard-types').KpiLeadsPage} KpiLeadsPage */
/** @typedef {import('./dashboard-types').KpiLead} KpiLead */
/** @typedef {import('./dashboard-types').PeriodKey} PeriodKey */
/** @typedef {import('./live.js').Version} Version */
/**
 * What the dashboard renders: the period document and its glossary, with the version of the coach's numbers the
 * document is known to be at least as new as (live.js checks it): a string; undefined when that is not known (the
 * next check loads the document again); null when the server has no get_dashboard_version yet. With the coach's
 * alerts (get_alerts), asked at the same time so that the banner comes with the numbers (nothing moves down after
 * them); null when they could not be read (the banner is not the dashboard's error).
 * @typedef {{ doc: PeriodDashboard, defs: Record<string, KpiDefinitionV2>, version: string | null | undefined,
 *   alerts: import('./notifications-api.js').Alert[] | null }} DashboardView
 */
/**
 * @typedef {{ coach_id: string, timezone: string, currency: string, setter_monthly_cost: number,
 *   setter_cost_estimated: boolean, minutes_per_manual_message: number, default_no_show_rate: number, updated_at: string,
 *   stripe_webhook_secret_set: boolean, calendly_signing_key_set: boolean }} CoachSettings
 * @typedef {{ coach_id: string, name: string, email: string, specialty: string | null, timezone: string,
 *   lead_count: number, last_activity_at: string | null, created_at: string,
 *   account_state: 'active' | 'invited' | 'no_data' | 'legacy', last_sign_in_at: string | null }} CoachRow
 */

/** @template T @param {string} fn @param {Record<string, unknown>} [args] @returns {Promise<T>} */
export async function call(fn, args) {
    const { data, error, status } = await supabase.rpc(fn, args);
    if (error) throw new ApiError(error, status);
    return /** @type {T} */ (data);
}

/** @param {string | undefined} coachId */
const coachArg = (coachId) => (coachId ? { coach_id: coachId } : {});

/** @type {Promise<Record<string, KpiDefinitionV2>> | null} */
let definitions = null;
/**
 * get_kpi_definitions(), the glossary of the period documents (card titles, definitions, which change is good): it
 * only changes with a migration, so it is fetched once per page load and kept (a failure is not kept).
 */
export const fetchKpiDefinitions = () => {
    definitions ??= call('get_kpi_definitions').catch((e) => {
        definitions = null;
        throw e;
    });
    return /** @type {Promise<Record<string, KpiDefinitionV2>>} */ (definitions);
};

/**
/**
 * get_dashboard_version(coach_id): the tiny RPC the page polls (live.js), or null when the server does not have it
 * (its migrations not pushed yet: the page then reloads the whole document now and then).
 * @param {string | undefined} coachId @returns {Promise<Version | null>}
 */
export const fetchVersion = (coachId) =>
    call('get_dashboard_version', coachArg(coachId)).then(
        (v) => /** @type {Version} */ (v),
        (e) => {
            if (e instanceof ApiError && e.code === 'PGRST202') return null;
            throw e;
        },
    );

/**
 * The period document of a coach (default: the caller), get_dashboard(coach_id, period), with the version of the
 * coach's numbers and its alerts (asked at the same time: no second round trip before the first numbers) and the
 * glossary (asked at the same time the first time, then from memory).
 * @param {{ coachId?: string, period: { key: PeriodKey, start?: string, end?: string } }} q @returns {Promise<DashboardView>}
 */
export async function fetchDashboard({ coachId, period }) {
    // a custom range is never prefetched (the sign-in prefetches the default preset)
    const prefetchedDoc = period.key === 'range' ? null : takePrefetched(coachId, period.key);
    const [[version, doc, alerts], defs] = await Promise.all([
        prefetchedDoc ?? fetchVersionAndDocument(coachId, period),
        fetchKpiDefinitions(),
    ]);
    return { doc, defs, version: versionOfDocument(version, doc), alerts };
}

/** @typedef {[Version | null, PeriodDashboard, import('./notifications-api.js').Alert[] | null]} VersionDocumentAlerts */

/**
 * @param {string | undefined} coachId @param {{ key: PeriodKey, start?: string, end?: string }} period
 * @returns {Promise<VersionDocumentAlerts>}
 */
const fetchVersionAndDocument = (coachId, period) =>
    Promise.all([
        fetchVersion(coachId),
        call('get_dashboard', { ...coachArg(coachId), ...periodArgsOf(period) }),
        /** @type {Promise<import('./notifications-api.js').Alert[]>} */ (call('get_alerts', coachArg(coachId))).catch(() => null),
    ]);

/** @type {{ key: string, at: number, doc: Promise<VersionDocumentAlerts> } | null} */
let prefetched = null;
const PREFETCH_MS = 10_000;

/**
 * Asks for the signed-in coach's first document (and the glossary) as soon as the sign-in succeeds, while the page
 * switches to the dashboard: the first dashboard load then uses it (once, within 10 s) instead of asking again.
 * @param {PeriodKey} key
 */
export function prefetchDashboard(key) {
    const doc = fetchVersionAndDocument(undefined, { key });
    doc.catch(() => {}); // a failure is the dashboard's to show, when it asks
    prefetched = { key: `|${key}`, at: Date.now(), doc };
    fetchKpiDefinitions().catch(() => {});
}

/** The prefetched document of that coach and period, once. @param {string | undefined} coachId @param {PeriodKey} key */
const takePrefetched = (coachId, key) => {
    const p = prefetched;
    prefetched = null;
    return p && p.key === `${coachId ?? ''}|${key}` && Date.now() - p.at < PREFETCH_MS ? p.doc : null;
};

/** The arguments of a document's period. @param {import('./dashboard-types').Period} p */
const periodArgs = (p) => (p.key === 'range' ? { period: 'range', period_start: p.start, period_end: p.end } : { period: p.key });

/** The arguments of a period picked on the page (a preset, or a custom range's days). @param {{ key: PeriodKey, start?: string, end?: string }} p */
const periodArgsOf = (p) => (p.key === 'range' ? { period: 'range', period_start: p.start, period_end: p.end } : { period: p.key });

/**
 * The DM variants of the document's period, get_variant_report(coach_id, period…) (issue 22).
 * @param {{ coachId?: string, period: import('./dashboard-types').Period }} q
 * @returns {Promise<import('./dashboard-types').VariantStep[]>}
 */
export const fetchVariantReport = ({ coachId, period }) => call('get_variant_report', { ...coachArg(coachId), ...periodArgs(period) });

/**
 * Every lead to follow up (get_dashboard carries the most urgent 100 only), from the same facts as the document's list
 * (with a period, get_leads_to_followup reads the facts of the last upkeep pass; the period does not filter it).
 * @param {string | undefined} coachId @param {import('./dashboard-types').Period} period @returns {Promise<FollowUpLead[]>}
 */
export const fetchFollowUps = (coachId, period) => call('get_leads_to_followup', { ...coachArg(coachId), ...periodArgs(period) });

/** @param {string | undefined} coachId @returns {Promise<CoachSettings>} */
export const fetchSettings = (coachId) => call('get_coach_settings', coachArg(coachId));

/**
 * @param {Partial<Omit<CoachSettings, 'coach_id' | 'updated_at' | 'setter_cost_estimated' | 'stripe_webhook_secret_set' | 'calendly_signing_key_set'>
 *   & { stripe_webhook_secret: string, calendly_signing_key: string }>} settings @returns {Promise<CoachSettings>}
 */
export const saveSettings = (settings) => call('update_coach_settings', { settings });

/** @returns {Promise<CoachRow[]>} */
export const fetchCoaches = () => call('list_coaches');

/**
 * One page of the leads behind a count (get_kpi_leads), keyset-paginated by `after`. The days asked for are the
 * document's own (a range from its period's start to end), so the list is the one behind the count on screen even
 * when the coach's day changed since the document was read.
 * @param {{ kpi: string, coachId?: string, period: import('./dashboard-types').Period, after?: string | null, pageSize?: number }} q
 * @returns {Promise<KpiLeadsPage>}
 */
export const fetchKpiLeads = ({ kpi, coachId, period, after = null, pageSize = 50 }) =>
    call('get_kpi_leads', {
        kpi, ...coachArg(coachId), period: 'range', period_start: period.start, period_end: period.end, after, page_size: pageSize,
    });

/**
 * The coach's timeline notes dated in the document's period, each with its before/after (get_timeline_notes, issue 22).
 * @param {{ coachId?: string, period: import('./dashboard-types').Period }} q
 * @returns {Promise<import('./dashboard-types').TimelineNote[]>}
 */
export const fetchTimelineNotes = ({ coachId, period }) => call('get_timeline_notes', { ...coachArg(coachId), ...periodArgs(period) });

/** Adds a note to the signed-in coach's timeline. @param {string} day YYYY-MM-DD @param {string} note */
export const addTimelineNote = (day, note) => call('add_timeline_note', { day, note });

/** Deletes one of the signed-in coach's notes. @param {string} id */
export const deleteTimelineNote = (id) => call('delete_timeline_note', { note_id: id });

/** Leads by week of first contact, the last 12 weeks (get_cohorts, issue 22). @param {string | undefined} coachId @returns {Promise<import('./dashboard-types').Cohorts>} */
export const fetchCohorts = (coachId) => call('get_cohorts', coachArg(coachId));

/** Every coach with leads side by side for a preset period (get_coach_comparison, admins; issue 22). @param {PeriodKey} period @returns {Promise<import('./dashboard-types').CoachComparisonRow[]>} */
export const fetchCoachComparison = (period) => call('get_coach_comparison', { period });
