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
