// @ts-check
// The RPCs the page reads, each returning the RPC's own JSON or throwing an ApiError (errors.js turns it into
// French). The page formats what these return; it computes no KPI.
import { supabase } from './supabase.js';
import { ApiError } from './errors.js';
import { fromLegacy } from './legacy.js';

/** @typedef {import('./dashboard-types').Dashboard} Dashboard */
/** @typedef {import('./dashboard-types').PeriodDashboard} PeriodDashboard */
/** @typedef {import('./dashboard-types').KpiDefinitionV2} KpiDefinitionV2 */
/** @typedef {import('./dashboard-types').FollowUpLead} FollowUpLead */
/** @typedef {import('./period.js').PeriodOption} PeriodOption */
/**
 * What the dashboard renders: the period document, its glossary, and whether it came from the legacy
 * get_dashboard() (no period: every value since the start, no change, no trend, no drill-down).
 * `extras` carries the legacy document's "today" and "last 7 days" counts, which the period selector replaces in v2.
 * @typedef {{ doc: PeriodDashboard, defs: Record<string, KpiDefinitionV2>, legacy: boolean, extras?: LegacyExtras }} DashboardView
 * @typedef {{ leads_today: number, leads_week: number, leads_change: import('./dashboard-types').Change }} LegacyExtras
 */
/**
 * @typedef {{ coach_id: string, timezone: string, currency: string, setter_monthly_cost: number,
 *   setter_cost_estimated: boolean, minutes_per_manual_message: number, default_no_show_rate: number, updated_at: string }} CoachSettings
 * @typedef {{ coach_id: string, name: string, email: string, specialty: string | null, timezone: string,
 *   lead_count: number, last_activity_at: string | null, created_at: string }} CoachRow
 * @typedef {{ lead_id: string, instagram_username: string | null, first_name: string | null, status: string,
 *   source: string | null, event_at: string | null, deal_value: number | null }} KpiLead
 * @typedef {{ rows: KpiLead[], next: string | null, total: number }} KpiLeadsPage
 */

/** @template T @param {string} fn @param {Record<string, unknown>} [args] @returns {Promise<T>} */
async function call(fn, args) {
    const { data, error, status } = await supabase.rpc(fn, args);
    if (error) throw new ApiError(error, status);
    return /** @type {T} */ (data);
}

/** @param {string | undefined} coachId */
const coachArg = (coachId) => (coachId ? { coach_id: coachId } : {});

// get_dashboard(period => …) is the KPI engine v2 (issue 14). Until a database has it, PostgREST answers PGRST202
// (no such signature): the page then reads the legacy document, and stops asking for the period for this page load.
let periodRpc = /** @type {'unknown' | 'yes' | 'no'} */ ('unknown');

/** @type {Promise<Record<string, KpiDefinitionV2>> | null} */
let definitions = null;
/** get_kpi_definitions(), fetched once per page load (a failure is not cached). */
export const fetchKpiDefinitions = () => {
    definitions ??= call('get_kpi_definitions').catch((e) => {
        definitions = null;
        throw e;
    });
    return /** @type {Promise<Record<string, KpiDefinitionV2>>} */ (definitions);
};

/**
 * The dashboard of a coach (default: the caller) for a period.
 * @param {{ coachId?: string, period: PeriodOption }} q @returns {Promise<DashboardView>}
 */
export async function fetchDashboard({ coachId, period }) {
    if (periodRpc !== 'no') {
        const { data, error, status } = await supabase.rpc('get_dashboard', { ...coachArg(coachId), period: period.key });
        if (!error && data?.version === 2) {
            periodRpc = 'yes';
            return { doc: data, defs: await fetchKpiDefinitions(), legacy: false };
        }
        if (error && error.code !== 'PGRST202') throw new ApiError(error, status);
        periodRpc = 'no';
    }
    // the legacy document does not say whether the setter cost is the default: get_coach_settings does (in v2,
    // performance.setter_cost_estimated); asked at the same time, a failure only hides the "estimé" marks
    const [legacy, settings] = await Promise.all([
        /** @type {Promise<Dashboard>} */ (call('get_dashboard', coachArg(coachId))),
        fetchSettings(coachId).catch(() => null),
    ]);
    const { leads_today, leads_week, leads_change } = legacy.activity;
    return { ...fromLegacy(legacy, settings?.setter_cost_estimated ?? null), legacy: true, extras: { leads_today, leads_week, leads_change } };
}

/** Every lead to follow up (get_dashboard carries the most urgent 100 only). @param {string | undefined} coachId @returns {Promise<FollowUpLead[]>} */
export const fetchFollowUps = (coachId) => call('get_leads_to_followup', coachArg(coachId));

/** @param {string | undefined} coachId @returns {Promise<CoachSettings>} */
export const fetchSettings = (coachId) => call('get_coach_settings', coachArg(coachId));

/** @param {Partial<Omit<CoachSettings, 'coach_id' | 'updated_at' | 'setter_cost_estimated'>>} settings @returns {Promise<CoachSettings>} */
export const saveSettings = (settings) => call('update_coach_settings', { settings });

/** @returns {Promise<CoachRow[]>} */
export const fetchCoaches = () => call('list_coaches');

/**
 * One page of the leads behind a count (get_kpi_leads, the KPI engine v2), keyset-paginated by `after`.
 * @param {{ kpi: string, coachId?: string, period: import('./dashboard-types').Period, after?: string | null, pageSize?: number }} q
 * @returns {Promise<KpiLeadsPage>}
 */
export const fetchKpiLeads = ({ kpi, coachId, period, after = null, pageSize = 50 }) =>
    call('get_kpi_leads', {
        kpi, ...coachArg(coachId), period: period.key,
        ...(period.key === 'range' ? { period_start: period.start, period_end: period.end } : {}),
        after, page_size: pageSize,
    });
