// @ts-check
// The RPCs of the lead page, the search box and the outcome actions (contract: lead-types.ts), each returning the
// RPC's own JSON or throwing an ApiError (errors.js turns it into French).
import { supabase } from './supabase.js';
import { ApiError } from './errors.js';

export { leadHref } from './format.js';

/** @typedef {import('./lead-types').LeadDocument} LeadDocument */
/** @typedef {import('./lead-types').LeadOutcome} LeadOutcome */
/** @typedef {import('./lead-types').LeadNote} LeadNote */
/** @typedef {import('./lead-types').LeadSearchRow} LeadSearchRow */
/** @typedef {import('./lead-types').MessagesPage} MessagesPage */
/** @typedef {import('./lead-types').UnmatchedEvent} UnmatchedEvent */

/** @template T @param {string} fn @param {Record<string, unknown>} [args] @param {{ signal?: AbortSignal }} [opts] @returns {Promise<T>} */
async function call(fn, args, opts = {}) {
    const { data, error, status } = await supabase.rpc(fn, args, { signal: opts.signal });
    if (error) throw new ApiError(error, status);
    return /** @type {T} */ (data);
}

/**
 * A coach's leads by name, @handle or email (search_leads: accents and case ignored, partial words).
 * @param {string} query @param {{ coachId?: string, signal?: AbortSignal, max?: number }} [o] @returns {Promise<LeadSearchRow[]>}
 */
export const searchLeads = (query, { coachId, signal, max = 8 } = {}) =>
    call('search_leads', { query, max_rows: max, ...(coachId ? { coach_id: coachId } : {}) }, { signal });

/** @param {string} leadId @returns {Promise<LeadDocument>} */
export const fetchLead = (leadId) => call('get_lead', { lead_id: leadId });

/** The page of messages before a message (get_lead_messages). @param {string} leadId @param {string} before @returns {Promise<MessagesPage>} */
export const fetchOlderMessages = (leadId, before) => call('get_lead_messages', { lead_id: leadId, before, page_size: 100 });

/** @param {string} leadId @returns {Promise<LeadOutcome>} */
export const markShowed = (leadId) => call('mark_call_showed', { lead_id: leadId });
/** @param {string} leadId @returns {Promise<LeadOutcome>} */
export const markNoShow = (leadId) => call('mark_call_no_show', { lead_id: leadId });
/**
 * @param {string} leadId @param {{ value: number, plan: 'paid_now' | 'instalments', instalments: number | null }} deal
 * @returns {Promise<LeadOutcome>}
 */
export const markWon = (leadId, { value, plan, instalments }) =>
    call('mark_lead_won', { lead_id: leadId, deal_value: value, payment_plan: plan, instalment_count: instalments });
/** @param {string} leadId @param {string} reason @param {string} note @returns {Promise<LeadOutcome>} */
export const markLost = (leadId, reason, note) => call('mark_lead_lost', { lead_id: leadId, reason, note: note || null });
/** @param {string} leadId @returns {Promise<LeadOutcome>} */
export const backToFollowUp = (leadId) => call('move_lead_back_to_follow_up', { lead_id: leadId });
/** @param {string} leadId @returns {Promise<LeadOutcome>} */
export const markFollowedUp = (leadId) => call('mark_lead_followed_up', { lead_id: leadId });
/** @param {string} leadId @param {string} body @returns {Promise<LeadNote>} */
export const addNote = (leadId, body) => call('add_lead_note', { lead_id: leadId, body });
/** @param {string} noteId @param {string} body @returns {Promise<LeadNote>} */
export const editNote = (noteId, body) => call('edit_lead_note', { note_id: noteId, body });
/** @param {string} [coachId] @returns {Promise<UnmatchedEvent[]>} */
export const fetchUnmatched = (coachId) => call('get_unmatched_provider_events', coachId ? { coach_id: coachId } : {});
/** @param {number} eventId @param {string} leadId @returns {Promise<LeadOutcome>} */
export const attachEvent = (eventId, leadId) => call('attach_provider_event', { event_id: eventId, lead_id: leadId });

