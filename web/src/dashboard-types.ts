// The JSON document returned by the `get_dashboard(coach_id)` RPC: the contract between the SQL (the product) and
// the page (which only formats it). Every number here is computed in the database; a pgTAP test checks that the
// document's keys are exactly these (supabase/tests/*dashboard_shape*), so this file and the SQL cannot drift.
//
// Conventions:
// - percentages are numbers from 0 to 100 rounded to one decimal (12.5 means 12,5 %); money is in the coach's currency;
// - a ratio whose denominator is 0 has value null (shown as "—"), never a division error;
// - a rate whose denominator is below the documented minimum sample (5) has low_sample = true
//   (the page shows "pas assez de données");
// - estimated = true marks a value that comes from a coach setting rather than from data.

/** A ratio with its parts, so every rate has one definition everywhere. */
export interface Rate {
  value: number | null; // percentage 0..100, one decimal; null when den = 0
  num: number;
  den: number;
  low_sample: boolean; // den < minimum sample
}

export interface EstimatedRate extends Rate {
  estimated: boolean; // true when value is the coach setting's default, not data
}

/** A volume KPI with its period-over-period change (this week vs the week before, from kpi_daily). */
export interface Change {
  current: number; // last 7 days, coach time zone
  previous: number; // the 7 days before
  change_pct: number | null; // (current - previous) / previous * 100, null when previous = 0
}

export type Rating = 'excellent' | 'good' | 'to_improve';
export type LeadStatus = 'new' | 'engaged' | 'qualified' | 'call_proposed' | 'call_booked' | 'won' | 'lost' | 'relance';
export type LostReason = 'price' | 'time' | 'already_tried' | 'hesitation' | 'other';
export type Priority = 'high' | 'medium' | 'low';

export interface RankedItem {
  label: string; // source name, normalized profession, lost reason key
  lead_count: number;
  percentage: number | null; // share of the relevant total, 0..100
}

export interface FollowUpLead {
  lead_id: string;
  instagram_username: string | null;
  first_name: string | null;
  status: LeadStatus;
  days_without_contact: number;
  priority: Priority;
}

export interface SourceQuality {
  source: string;
  leads: number;
  qualified: number;
  calls_booked: number;
  won: number;
  revenue: number;
  qualification_rate: Rate; // qualified / leads
  booking_rate: Rate; // calls_booked / qualified
  win_rate: Rate; // won / calls_booked
}

export interface KpiDefinition {
  label: string; // French label shown on the card
  formula: string; // French, in words
  denominator: string | null; // French, what the rate is "of"
}

export interface Dashboard {
  coach: { id: string; name: string; timezone: string; currency: string };
  last_updated: string; // ISO timestamp: when the materialized view was last refreshed
  min_sample: number; // the documented minimum denominator below which low_sample is true
  has_leads: boolean; // false for a coach with no lead yet (the page shows its empty state)

  // 1. Activité & volume
  activity: {
    messages_sent: number; // #1 outbound messages
    messages_received: number; // #2 inbound messages
    total_leads: number; // #3
    leads_today: number; // #4 coach time zone
    leads_week: number; // #5 last 7 days
    leads_change: Change; // new leads, this week vs last week
    messages_sent_change: Change; // outbound messages, this week vs last week
    avg_messages_per_lead: number | null; // #6 (sent + received) / leads, 1 decimal
    top_sources: RankedItem[]; // #7 top 3, percentage of total leads
    avg_time_to_action_minutes: number | null; // #8 over leads with a value, rounded
  };

  // 2. Taux de réponse (#9-#12)
  reply_rates: Array<{
    message_number: 1 | 2 | 3 | 4;
    rate: Rate; // replied / sent from message_sequences
    rating: Rating | null; // null when den = 0
  }>;

  // 3. Qualification & conversion
  qualification: {
    qualified_leads: number; // #13 ever reached qualified or later
    qualification_rate: Rate; // #14 qualified / total leads
    lead_magnets_sent: number; // #15
    emails_captured: number; // #16
    calls_proposed: number; // #17 ever
    calls_booked: number; // #18 ever
    funnel: Array<{ // #19 in this order: messages_sent, qualified, calls_proposed, calls_booked
      step: 'messages_sent' | 'qualified' | 'calls_proposed' | 'calls_booked';
      count: number;
      rate_from_previous: Rate | null; // null for the first step
    }>;
    call_booking_rate: Rate; // #20 booked / proposed
    call_conversion_rate: Rate; // #21 won / booked
    no_show_rate: EstimatedRate; // #22 from call_showed, else the coach setting (estimated)
  };

  // 4. Démographie
  demographics: {
    men: Rate; // #23 of leads with a known gender
    women: Rate; // #24
    other: Rate; // #25
    unknown_gender: number;
    average_age: number | null; // #26 one decimal
    top_professions: RankedItem[]; // #27 top 5, normalized (trimmed, case-folded)
  };

  // 5. Pipeline & relances
  pipeline: {
    new_leads: number; // #28 currently new
    engaged_leads: number; // #29 currently engaged
    won_leads: number; // #30
    lost_leads: number; // #31
    lost_rate: Rate; // #31 lost / total leads
    relance_leads: number;
    leads_to_follow_up: number; // #32 size of the follow-up list
    follow_up_rate: Rate; // #32 to follow up / open leads
    follow_up: FollowUpLead[]; // #33 the 100 most urgent, sorted by priority then days without contact (longest first); get_leads_to_followup() lists all
    lost_reasons: RankedItem[]; // #34 top 5, percentage of lost leads with a reason
  };

  // 6. Performance & ROI
  performance: {
    revenue: number; // #35 sum of won deal values
    deals_closed: number; // #36
    average_deal_value: number | null; // #37
    setter_cost: number; // cost of the setter over the period (coach setting x months)
    acquisition_cost: number | null; // #38 setter_cost / deals_closed
    roi: Rate; // #39 value = (revenue - cost) / cost * 100; num = revenue - cost, den = cost
    ai_efficiency: Rate; // #40 inbound messages that got an outbound answer / inbound messages
    time_saved: { hours: number; messages: number; minutes_per_message: number; estimated: true }; // #41 last 30 days
    best_conversion_moment: { weekday: number; hour: number; count: number } | null; // #42 ISO weekday 1 = Monday, hour 0-23, coach time zone
    lead_quality_by_source: SourceQuality[]; // #43
    speed_to_lead: { median_minutes: number | null; p90_minutes: number | null; sample: number }; // #44 last 30 days
  };

  /** Glossary from SQL: one entry per KPI key used above (e.g. "activity.messages_sent", "reply_rates"). */
  definitions: Record<string, KpiDefinition>;
}

// ---------------------------------------------------------------------------------------------------------------------
// v2: the dashboard for a period (issue "KPI engine v2"; the page of issue "The dashboard a coach acts on" reads it).
//
//   get_dashboard(coach_id uuid default auth.uid(), period text default null,
//                 period_start date default null, period_end date default null) returns jsonb
//
// - No period and no dates: exactly the Dashboard above (legacy document, unchanged, still carries `definitions`).
// - period = 'today' | '7d' | '30d' | '90d' | 'all': a PeriodDashboard. Days are whole local days in the coach's time
//   zone (coachs.timezone, DST-safe); 'today' = [today, today], '7d' = [today - 6, today], '30d' = [today - 29, today],
//   '90d' = [today - 89, today], 'all' = [day of the coach's first lead or message (today when none), today].
// - period = 'range' (or period null) with period_start and period_end: [period_start, period_end], both inclusive.
// - Errors (PostgREST 400): 22023 with a message naming the parameter for an unknown period, a range without both
//   dates, start after end or an end after today; 42501 another coach's id (admins may ask for any); PT404 unknown coach
//   (HTTP 404: PostgREST answers a PTxyz SQLSTATE with status xyz).
// - Range bounds (22023, message names the bound, always `invalid parameter "period_start": ...`): a range may start at
//   most 90 days before the coach's first data (first lead or message; today when none) — "... is before the earliest
//   allowed start YYYY-MM-DD (the coach's first data YYYY-MM-DD minus 90 days)" — and last at most 1096 days —
//   "... the range has N days, more than the maximum length of 1096 days". Presets are not bounded.
// - The previous period has the same number of days and ends the day before `start`; 'all' has none (null). When the
//   period ends today, the previous period's last day is counted only up to the same local time of day
//   (`previous.until`; 'today' = yesterday up to now's local time), so both sides cover the same share of a day.
// - Every count and amount is of events dated in the period (leads created, DMs sent, calls booked, deals won,
//   revenue on the day of the win); reply and conversion rates are over the cohort of leads whose first DM was sent in
//   the period. The exact meaning of each KPI for a period is its `period` text in get_kpi_definitions() and in
//   docs/kpis.md. Snapshot KPIs (current pipeline, the follow-up list) are "now" whatever the period and are marked
//   snapshot = true there.
//
//   get_kpi_definitions() returns jsonb: Record<string, KpiDefinitionV2>, keyed by the path of the KPI in the
//   PeriodDashboard ("activity.new_leads", "reply_rates", "performance.roi", ...), and "reply_rates.1" .. "reply_rates.4"
//   for each reply rate (the message_number of reply_rates[]). It is not part of the document:
//   the page fetches it once and caches it.

export type PeriodKey = 'today' | '7d' | '30d' | '90d' | 'all' | 'range';

export interface Period {
  key: PeriodKey;
  start: string; // first day, YYYY-MM-DD in the coach's time zone, inclusive
  end: string; // last day, inclusive (today for the presets)
  days: number; // end - start + 1
  previous: {
    start: string;
    end: string;
    // ISO timestamp (UTC, 'YYYY-MM-DDTHH:MM:SSZ') where the previous period is cut: `end` at the local time of day the
    // document was computed, for a period that ends today; null when whole days are compared (a period ending before today)
    until: string | null;
  } | null; // the same number of days just before; null for 'all'
  bucket: 'day' | 'week' | 'month'; // granularity of `trend`: 'week' when days > 90, 'month' when days > 366
  timezone: string; // the coach's time zone the days are in
}

/** A count, an amount or an average over the period, with the previous period's value. */
export interface Metric {
  value: number | null; // null only for an average without any sample
  previous: number | null; // the same over the previous period; null for 'all' (no previous period) or no sample
  change_pct: number | null; // (value - previous) / previous * 100, 1 decimal; null when previous is 0 or null
  // false when there is no previous period or either side is under the low-sample rule (min_sample): for a count the
  // count itself, for an average or an amount the number of items behind it (docs/kpis.md); the page greys the change
  comparable: boolean;
}

/** A rate over the period, with the same rate over the previous period. */
export interface PeriodRate extends Rate {
  previous: Rate | null; // null for 'all'
  change_points: number | null; // value - previous.value in percentage points, 1 decimal; null when either is null
  comparable: boolean; // false when there is no previous period or either side is low_sample (ROI: fewer than min_sample deals)
}

export interface PeriodRankedItem extends RankedItem {
  previous_count: number | null; // lead_count over the previous period; null for 'all'
}

export interface KpiDefinitionV2 extends KpiDefinition {
  period: string | null; // French: what the KPI counts for a period ("Leads créés pendant la période"); null for a snapshot
  snapshot: boolean; // true: the value is "now", whatever the period (current pipeline, follow-up list)
  better: 'higher' | 'lower' | null; // which direction of change is good (lost rate: 'lower'); null: neither
}

export type FunnelStep = 'leads_contacted' | 'qualified' | 'calls_proposed' | 'calls_booked';

export interface PeriodDashboard {
  version: 2;
  coach: { id: string; name: string; timezone: string; currency: string };
  last_updated: string; // ISO timestamp: when the incremental facts the document reads were last brought up to date
  min_sample: number;
  has_leads: boolean; // the coach has at least one lead at all (not only in the period)
  period: Period;

  activity: {
    new_leads: Metric; // leads created in the period
    messages_sent: Metric;
    messages_received: Metric;
    avg_messages_per_lead: Metric;
    top_sources: PeriodRankedItem[]; // top 3 of the leads created in the period
    avg_time_to_action_minutes: Metric;
  };

  reply_rates: Array<{
    message_number: 1 | 2 | 3 | 4;
    rate: PeriodRate; // of the leads whose DM N was sent in the period, those who replied to it
    rating: Rating | null;
  }>;

  qualification: {
    qualified_leads: Metric;
    qualification_rate: PeriodRate;
    lead_magnets_sent: Metric;
    emails_captured: Metric;
    calls_proposed: Metric;
    calls_booked: Metric;
    funnel: Array<{ step: FunnelStep; count: Metric; rate_from_previous: PeriodRate | null }>; // in FunnelStep order
    call_booking_rate: PeriodRate;
    call_conversion_rate: PeriodRate;
    no_show_rate: PeriodRate & { estimated: boolean };
  };

  demographics: { // of the leads created in the period
    men: PeriodRate;
    women: PeriodRate;
    other: PeriodRate;
    unknown_gender: Metric;
    average_age: Metric;
    top_professions: PeriodRankedItem[];
  };

  pipeline: {
    // snapshot ("now", whatever the period)
    new_leads: number;
    engaged_leads: number;
    won_leads: number;
    lost_leads: number;
    relance_leads: number;
    leads_to_follow_up: number; // = high + medium + low of follow_up_counts
    follow_up_counts: { high: number; medium: number; low: number }; // the whole list by priority (same rule as the list)
    follow_up_rate: Rate;
    follow_up: FollowUpLead[]; // the 100 most urgent, as in Dashboard
    follow_up_as_of: string; // ISO timestamp the follow-up list was computed at (may lag by up to 5 minutes)
    // over the period
    lost_in_period: Metric;
    lost_rate: PeriodRate;
    lost_reasons: PeriodRankedItem[]; // top 5
  };

  performance: {
    revenue: Metric; // deal values of the wins dated in the period
    revenue_sources: { stripe: number; coach: number; setter: number }; // the revenue by who gave each deal's value
    payments_connected: boolean; // the coach has Stripe payments: revenue and ROI are no longer estimates
    deals_closed: Metric; // wins dated in the period
    average_deal_value: Metric;
    setter_cost: number; // the setter's cost over the period (monthly cost x days / 30; 'all': as in Dashboard)
    setter_cost_estimated: boolean; // true while the monthly cost is the default setting, not the coach's own
    acquisition_cost: Metric;
    roi: PeriodRate; // low_sample when deals_closed.value < min_sample
    ai_efficiency: PeriodRate;
    time_saved: { hours: number; messages: number; minutes_per_message: number; estimated: true }; // over the period
    best_conversion_moment: { weekday: number; hour: number; count: number; low_sample: boolean } | null;
    lead_quality_by_source: SourceQuality[]; // leads created in the period, by source
    // median and p90 are read from stored wait buckets: the bucket's upper bound in minutes (exact to the minute up
    // to 10 minutes, then 12, 15, 20, 25, 30, 40, 50, 60, 75, 90, 120 ... ; docs/kpis.md), an integer
    speed_to_lead: { median_minutes: number | null; p90_minutes: number | null; sample: number; low_sample: boolean };
  };

  /** Series over the period, one value per bucket (missing buckets are 0), columnar: dates[i] goes with every series[i]. */
  trend: {
    // week buckets start on Monday, month buckets on the 1st; the first and last may be partial (clipped to the period).
    // At most 90 buckets: past 90 months the first bucket also holds every month before the last 89.
    bucket: 'day' | 'week' | 'month';
    dates: string[]; // YYYY-MM-DD, first day of each bucket
    new_leads: number[];
    messages_sent: number[];
    dm1_sent: number[]; // leads whose DM 1 was sent in the bucket (denominator of the DM 1 reply rate)
    dm1_replied: number[]; // of those, leads who replied to DM 1 (numerator)
    dm1_reply_rate: Array<number | null>; // dm1_replied / dm1_sent in %, 1 decimal; null when no DM 1 was sent in the bucket
    qualified: number[];
    calls_booked: number[];
    deals_won: number[];
    revenue: number[];
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// The leads behind a count (drill-down), KPI engine v2:
//
//   get_kpi_leads(kpi text, coach_id uuid default auth.uid(), period text default '30d', period_start date default null,
//                 period_end date default null, after text default null, page_size integer default 50) returns jsonb
//
// kpi: the path of a count of PeriodDashboard, or a path and a label for a ranked list or a funnel step:
//   activity.new_leads, qualification.emails_captured, demographics.unknown_gender, qualification.qualified_leads,
//   qualification.calls_proposed, qualification.calls_booked, qualification.lead_magnets_sent, performance.deals_closed,
//   pipeline.lost_in_period, reply_rates.1 .. reply_rates.4 (the leads whose DM N was sent in the period: the rate's den),
//   activity.top_sources:<label>, performance.lead_quality_by_source:<source>, demographics.top_professions:<label>,
//   pipeline.lost_reasons:<label>, qualification.funnel:<step>.
// total equals the document's count for the same period; rows come most recent event first; `next` is an opaque cursor
// for `after` (null on the last page); page_size 1..500. Errors: 22023 (kpi, page_size, after, period), 42501, 22004,
// PT404 as get_dashboard.

export interface KpiLead {
  lead_id: string;
  instagram_username: string | null;
  first_name: string | null;
  status: LeadStatus;
  source: string | null;
  event_at: string; // ISO timestamp of the event that puts the lead in the count (created, DM sent, call booked, won...)
  deal_value: number | null;
}

export interface KpiLeadsPage {
  rows: KpiLead[];
  next: string | null;
  total: number;
}

// Opening-message variants (issue 22):
//
//   get_variant_report(coach_id uuid default auth.uid(), period text default '30d', period_start date default null,
//                      period_end date default null) returns jsonb: VariantStep[], one entry per DM step 1..4
//
// Counts the leads whose DM N was sent in the period, under DM N's own variant (a lead's variant is its DM 1's);
// rates and intervals in % with 1 decimal. Errors as get_dashboard. Rule: docs/kpis.md "Opening-message variants".

export interface VariantEntry {
  variant: string | null; // null: the DMs sent without a variant ("sans variante")
  sent: number;
  replied: number;
  rate: number; // replied / sent, %
  ci_low: number; // 95 % Wilson interval, %
  ci_high: number;
  low_sample: boolean; // sent < min_sample: the page shows "pas assez de données"
  qualified: number;
  booked: number;
  won: number;
}

export type VariantStatus = 'not_enough_data' | 'too_close' | 'better';

export interface VariantVerdict {
  status: VariantStatus;
  best: string | null; // when better: the winner's `variant` (null: sans variante); else null
  probability: number | null; // when better: the probability that `best` beats every other one, %, at most 99.9
  min_sent: number; // sends every compared variant needs (100)
  threshold: number; // probability needed for "better" (95)
}

export interface VariantStep {
  step: 1 | 2 | 3 | 4;
  variants: VariantEntry[]; // most sent first
  verdict: VariantVerdict;
}

// Timeline notes (issue 22):
//   get_timeline_notes(coach_id uuid default auth.uid(), period text default '30d', period_start date, period_end date,
//                      window_days integer default 14) returns jsonb: TimelineNote[] (dated in the period, oldest first)
//   add_timeline_note(day date, note text) returns jsonb {id, day, note, created_at}; delete_timeline_note(note_id uuid)
// compare: "after" (from the note's day) is each KPI's value, "before" its previous; null when there is no day before.

export interface TimelineCompare {
  days: number; // days on each side (window_days, fewer when the data does not reach)
  before: { start: string; end: string };
  after: { start: string; end: string };
  new_leads: Metric;
  dm1_reply_rate: PeriodRate;
  calls_booked: Metric;
  deals_won: Metric;
  revenue: Metric;
}

export interface TimelineNote {
  id: string;
  day: string; // YYYY-MM-DD, the coach's local day
  note: string;
  created_at: string;
  compare: TimelineCompare | null;
}

// Cohorts (issue 22): get_cohorts(coach_id uuid default auth.uid()) returns jsonb Cohorts. Leads by the ISO week of
// their first contact (local days), the current week and the 11 before, newest first.

export interface CohortWindow {
  complete: boolean; // every lead of the week has had these days: false → the page says "en cours", no rate
  qualified: Rate; // within the window, over the week's leads
  booked: Rate;
  won: Rate;
}

export interface CohortWeek {
  week_start: string; // Monday, YYYY-MM-DD
  week_end: string;
  leads: number;
  open: number; // neither won nor lost now
  windows: Record<string, CohortWindow>; // "7", "14", "30"
}

export interface Cohorts {
  today: string;
  timezone: string;
  windows: number[]; // [7, 14, 30]
  weeks: CohortWeek[];
}

// Coaches side by side (issue 22): get_coach_comparison(period text default '30d', period_start date, period_end date)
// returns jsonb CoachComparisonRow[] (admins and the service role), every coach with leads, by name.

export interface CoachComparisonRow {
  coach_id: string;
  name: string;
  email: string;
  currency: string;
  period: { start: string; end: string }; // the coach's own days for a preset
  new_leads: number;
  dm1_reply_rate: Rate;
  qualification_rate: Rate;
  calls_booked: number;
  deals_won: number;
  revenue: number;
  last_data_at: string | null;
  seconds_since_last_data: number | null;
}
