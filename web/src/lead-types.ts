// The lead page's RPCs: the contract between the SQL (supabase/schemas/35–39) and the page, which only formats it.
// get_lead(lead_id) returns LeadDocument; the outcome RPCs (mark_call_showed, mark_call_no_show, mark_lead_won,
// mark_lead_lost, move_lead_back_to_follow_up, mark_lead_followed_up, attach_provider_event) return LeadOutcome;
// search_leads returns LeadSearchRow[]. pgTAP 80–88 check these shapes.

export type Source = 'n8n' | 'coach' | 'calendly' | 'stripe';
export type ValueSource = 'setter' | 'coach' | 'stripe' | 'calendly';

/** A lead's status and outcome fields, each value with who gave it. */
export interface LeadOutcome {
  lead_id: string;
  status: string;
  status_changed_at: string;
  call_at: string | null; // the booked call's start (Calendly)
  call_showed: boolean | null;
  call_showed_source: ValueSource | null;
  deal_value: number | null; // coach's currency
  deal_value_source: ValueSource | null; // stripe: payments less refunds
  payment_plan: 'paid_now' | 'instalments' | null;
  instalment_count: number | null;
  lost_reason: string | null;
  lost_reason_source: ValueSource | null;
  followed_up_at: string | null; // "Relancé"
  outcome_recorded_at: string | null;
}

export interface LeadProfile extends LeadOutcome {
  id: string;
  coach_id: string;
  user_id_instagram: string;
  contact_id: string | null;
  instagram_username: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  age: number | null;
  gender: 'male' | 'female' | 'other' | null;
  job_title: string | null;
  source: string | null;
  created_at: string;
  last_contact_at: string | null;
  total_messages_sent: number;
  total_messages_received: number;
  time_to_action_minutes: number | null;
  lead_magnet_sent_at: string | null;
}

export interface LeadMessage {
  id: string;
  direction: 'in' | 'out';
  text: string | null;
  created_at: string;
  message_number: number | null; // DM number of an outbound message
  is_replied: boolean;
  replied_at: string | null;
  unanswered: boolean; // inbound: no outbound after it; outbound: the lead never answered it
}

export interface MessagesPage {
  items: LeadMessage[]; // oldest first
  has_more: boolean; // older ones: get_lead_messages(lead_id, before = items[0].id)
}

export type EntryKind = 'status' | 'call_showed' | 'call_no_show' | 'call_no_show_undone' | 'call_scheduled'
  | 'followed_up' | 'payment' | 'refund';

export interface StatusEvent {
  id: number;
  kind: EntryKind;
  from_status: string | null;
  to_status: string;
  changed_at: string;
  recorded_at: string;
  source: Source;
  author_id: string | null;
  details: Record<string, unknown> | null;
}

export interface SetAsideEvent {
  id: number;
  event_id: number | null;
  kind: EntryKind;
  from_status: string | null;
  to_status: string;
  changed_at: string;
  source: Source;
  author_id: string | null;
  details: Record<string, unknown> | null;
  set_aside_at: string;
  reason: 'after_outcome' | 'replaced_by_outcome';
  set_aside_by: number | null;
}

export interface LeadNote {
  id: string;
  lead_id: string;
  author_id: string;
  body: string;
  event_id: number | null;
  created_at: string;
  updated_at: string;
  editable: boolean; // the caller wrote it
}

export interface LeadPayment {
  payment_ref: string;
  amount_minor: number; // the currency's smallest unit, as Stripe sends it
  refunded_minor: number;
  currency: string;
  paid_at: string;
}

export interface LeadProviderEvent {
  id: number;
  provider: 'stripe' | 'calendly';
  event_type: string;
  occurred_at: string;
  matched_by: string | null;
}

export interface LeadDocument {
  lead: LeadProfile;
  coach: { id: string; name: string; timezone: string; currency: string };
  messages: MessagesPage;
  status_events: StatusEvent[]; // oldest first
  set_aside: SetAsideEvent[];
  notes: LeadNote[];
  payments: LeadPayment[];
  provider_events: LeadProviderEvent[];
}

export interface LeadSearchRow {
  lead_id: string;
  first_name: string | null;
  last_name: string | null;
  instagram_username: string | null;
  email: string | null;
  status: string;
  last_contact_at: string | null;
  created_at: string;
}

/** get_unmatched_provider_events(): one row per payment or booking that matched no lead ("à rattacher"). */
export interface UnmatchedEvent {
  event_id: number;
  provider: 'stripe' | 'calendly';
  event_type: string;
  subject_ref: string;
  occurred_at: string;
  email: string | null;
  name: string | null;
  amount_minor: number | null;
  currency: string | null;
  start_time: string | null;
}
