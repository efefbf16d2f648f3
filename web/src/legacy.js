// @ts-check
// Until the KPI engine v2 (get_dashboard with a period) is in the database, the page reads the legacy document and
// shows it through the same components, as the period "since the start": every value is the RPC's, reshaped only
// (a count becomes a Metric without a previous value, a Rate a PeriodRate without a change, no trend). Delete this
// file once every database runs v2.
//
// Two display rules of v2 that the legacy document does not carry are applied here with the document's own
// min_sample: ROI, best moment and speed to lead say "pas assez de données" below that sample, like every rate.
/** @typedef {import('./dashboard-types').Dashboard} Dashboard */
/** @typedef {import('./dashboard-types').PeriodDashboard} PeriodDashboard */
/** @typedef {import('./dashboard-types').KpiDefinitionV2} KpiDefinitionV2 */
/** @typedef {import('./dashboard-types').Rate} Rate */
/** @typedef {import('./dashboard-types').RankedItem} RankedItem */

/** @param {number | null} value @returns {import('./dashboard-types').Metric} */
const metric = (value) => ({ value, previous: null, change_pct: null });
/** @template {Rate} R @param {R} rate @returns {R & { previous: null, change_points: null }} */
const rate = (rate) => ({ ...rate, previous: null, change_points: null });
/** @param {RankedItem[]} items */
const ranked = (items) => items.map((i) => ({ ...i, previous_count: null }));

/** Legacy glossary keys whose KPI has another path in the period document. */
const RENAMED = /** @type {Record<string, string>} */ ({
    'activity.total_leads': 'activity.new_leads',
    'pipeline.lost_leads': 'pipeline.lost_in_period',
});

/**
 * @param {Dashboard} d the legacy get_dashboard() document
 * @param {boolean | null} costEstimated get_coach_settings().setter_cost_estimated (null: unknown)
 * @returns {{ doc: PeriodDashboard, defs: Record<string, KpiDefinitionV2> }}
 */
export function fromLegacy(d, costEstimated) {
    const low = (/** @type {number} */ n) => n < d.min_sample;
    const a = d.activity;
    const q = d.qualification;
    const g = d.demographics;
    const p = d.pipeline;
    const f = d.performance;
    /** @type {PeriodDashboard} */
    const doc = {
        version: 2,
        coach: d.coach,
        last_updated: d.last_updated,
        min_sample: d.min_sample,
        has_leads: d.has_leads,
        period: { key: 'all', start: '', end: '', days: 0, previous: null, bucket: 'day', timezone: d.coach.timezone },
        activity: {
            new_leads: metric(a.total_leads),
            messages_sent: metric(a.messages_sent),
            messages_received: metric(a.messages_received),
            avg_messages_per_lead: metric(a.avg_messages_per_lead),
            top_sources: ranked(a.top_sources),
            avg_time_to_action_minutes: metric(a.avg_time_to_action_minutes),
        },
        reply_rates: d.reply_rates.map((r) => ({ ...r, rate: rate(r.rate) })),
        qualification: {
            qualified_leads: metric(q.qualified_leads),
            qualification_rate: rate(q.qualification_rate),
            lead_magnets_sent: metric(q.lead_magnets_sent),
            emails_captured: metric(q.emails_captured),
            calls_proposed: metric(q.calls_proposed),
            calls_booked: metric(q.calls_booked),
            funnel: q.funnel.map((s) => ({
                step: s.step === 'messages_sent' ? 'leads_contacted' : s.step,
                count: metric(s.count),
                rate_from_previous: s.rate_from_previous && rate(s.rate_from_previous),
            })),
            call_booking_rate: rate(q.call_booking_rate),
            call_conversion_rate: rate(q.call_conversion_rate),
            no_show_rate: rate(q.no_show_rate),
        },
        demographics: {
            men: rate(g.men), women: rate(g.women), other: rate(g.other),
            unknown_gender: metric(g.unknown_gender), average_age: metric(g.average_age), top_professions: ranked(g.top_professions),
        },
        pipeline: {
            new_leads: p.new_leads, engaged_leads: p.engaged_leads, won_leads: p.won_leads, lost_leads: p.lost_leads,
            relance_leads: p.relance_leads, leads_to_follow_up: p.leads_to_follow_up, follow_up_rate: p.follow_up_rate,
            follow_up: p.follow_up, follow_up_as_of: '',
            lost_in_period: metric(p.lost_leads), lost_rate: rate(p.lost_rate), lost_reasons: ranked(p.lost_reasons),
        },
        performance: {
            revenue: metric(f.revenue),
            deals_closed: metric(f.deals_closed),
            average_deal_value: metric(f.average_deal_value),
            setter_cost: f.setter_cost,
            setter_cost_estimated: costEstimated ?? false,
            acquisition_cost: metric(f.acquisition_cost),
            roi: { ...rate(f.roi), low_sample: f.roi.low_sample || low(f.deals_closed) },
            ai_efficiency: rate(f.ai_efficiency),
            time_saved: f.time_saved,
            best_conversion_moment: f.best_conversion_moment && { ...f.best_conversion_moment, low_sample: low(f.best_conversion_moment.count) },
            lead_quality_by_source: f.lead_quality_by_source,
            speed_to_lead: { ...f.speed_to_lead, low_sample: low(f.speed_to_lead.sample) },
        },
        trend: { bucket: 'day', dates: [], new_leads: [], messages_sent: [], dm1_sent: [], dm1_replied: [], qualified: [], calls_booked: [], deals_won: [], revenue: [] },
    };
    /** @type {Record<string, KpiDefinitionV2>} */
    const defs = {};
    for (const [key, def] of Object.entries(d.definitions)) {
        const v2 = { ...def, period: null, snapshot: key.startsWith('pipeline.') && key !== 'pipeline.lost_reasons', better: null };
        defs[key] = v2;
        if (RENAMED[key]) defs[RENAMED[key]] = v2;
    }
    return { doc, defs };
}
