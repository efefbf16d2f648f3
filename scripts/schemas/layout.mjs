// Which file of supabase/schemas holds which object (used by bootstrap.mjs for the first version). The files load in
// the order of their names: helpers used by tables' checks and policies, then the tables, then the functions by
// feature (a feature's private functions before the public wrapper that calls them), then the cron jobs.
const LAYOUT = [
    ['01_helpers.sql', ['function public.is_admin', 'function private.set_updated_at', 'function private.is_valid_timezone',
        'function public.lead_status_rank', 'function private.check_coach_access', 'function private.schedule_job']],
    ['02_legacy_values.sql', ['table private.legacy_values', 'function private.quarantine_legacy_values',
        'function private.quarantine_legacy_rows']],
    ['10_coachs.sql', ['table public.coachs']],
    ['11_coach_settings.sql', ['table public.coach_settings', 'function private.create_coach_settings']],
    ['12_leads.sql', ['table public.leads']],
    ['13_lead_status_events.sql', ['table public.lead_status_events']],
    ['14_messages.sql', ['table public.messages']],
    ['15_message_sequences.sql', ['table public.message_sequences']],
    ['16_kpi_daily.sql', ['table public.kpi_daily', 'function public.rebuild_kpi_daily']],
    ['18_kpi_period_definitions.sql', ['table private.kpi_period_definitions']],
    ['20_lead_facts.sql', ['table private.lead_facts']],
    ['21_kpi_facts.sql', ['table private.kpi_facts']],
    ['22_kpi_coach_now.sql', ['table private.kpi_coach_now']],
    ['23_kpi_documents.sql', ['table private.kpi_documents']],
    ['24_kpi_dirty_leads.sql', ['table private.kpi_dirty_leads']],
    ['25_kpi_upkeep_state.sql', ['table private.kpi_upkeep_state']],
    ['26_kpi_period.sql', ['type private.kpi_period']],
    ['30_lead_derivation.sql', ['function private.stamp_lead_status_change', 'function private.record_lead_status_event',
        'function private.protect_lead_counters', 'function private.sync_lead_messages',
        'function private.sync_messages_after_write', 'function private.sync_sequence_call_milestones']],
    ['31_ingest_fields.sql', ['function private.ingest_raise_field', 'function private.ingest_number_as_text', 'function private.ingest_reraise_at',
        'function private.ingest_check_payload', 'function private.ingest_text', 'function private.ingest_choice',
        'function private.ingest_uuid', 'function private.ingest_timestamptz', 'function private.ingest_numeric',
        'function private.ingest_integer', 'function private.ingest_boolean']],
    ['32_ingest.sql', ['function private.ingest_coach', 'function private.apply_lead_status_event',
        'function private.ingest_lead_row', 'function public.ingest_lead', 'function public.ingest_message',
        'function public.ingest_messages']],
    ['33_coach_settings_api.sql', ['function private.save_coach_settings', 'function public.get_coach_settings',
        'function public.update_coach_settings']],
    ['34_list_coaches.sql', ['function public.list_coaches']],
    ['40_kpi_helpers.sql', ['function private.kpi_min_sample', 'function private.kpi_rating', 'function private.kpi_rate',
        'function private.kpi_change', 'function private.kpi_metric', 'function private.kpi_period_rate',
        'function private.kpi_no_show_rate', 'function private.kpi_reply_rate', 'function private.kpi_speed_bucket',
        'function private.kpi_jsonb_add', 'function private.kpi_jsonb_sum']],
    ['41_kpi_lead_facts.sql', ['function private.kpi_lead_stage_facts', 'function private.kpi_lead_message_facts',
        'function private.kpi_compute_lead_facts']],
    ['42_kpi_contributions.sql', ['function private.kpi_lead_contributions', 'function private.kpi_add_contributions',
        'function private.kpi_add_pipeline', 'function private.kpi_apply_lead_facts']],
    ['43_kpi_period.sql', ['function private.kpi_first_day', 'function private.kpi_resolve_period',
        'function private.kpi_period_json', 'function private.kpi_period_sums']],
    ['44_kpi_follow_up.sql', ['function private.kpi_follow_up_rules', 'function private.kpi_follow_up_preview',
        'function private.kpi_follow_up_top', 'function private.kpi_follow_up_counts',
        'function private.kpi_refresh_follow_up', 'function private.follow_up_candidates',
        'function private.leads_to_followup']],
    ['45_kpi_sections.sql', ['function private.kpi_section_activity', 'function private.kpi_section_reply_rates',
        'function private.kpi_section_qualification', 'function private.kpi_section_demographics',
        'function private.kpi_section_pipeline', 'function private.kpi_section_trend', 'function private.kpi_ranked',
        'function private.kpi_best_moment_slots', 'function private.kpi_speed_slots', 'function private.kpi_source_quality',
        'function private.kpi_section_performance']],
    ['46_kpi_documents.sql', ['function private.kpi_settings_version', 'function private.kpi_documents_current', 'function private.kpi_period_document', 'function private.kpi_period_dashboard',
        'function private.kpi_refresh_windows', 'function private.kpi_refresh_documents']],
    ['47_kpi_upkeep.sql', ['function private.kpi_upkeep_lock', 'function private.kpi_rebuild',
        'function private.kpi_rebuild_all', 'function private.kpi_walk', 'function private.kpi_upkeep',
        'function private.kpi_upkeep_loop', 'function private.kpi_reconcile', 'function private.kpi_upkeep_last_pass_at']],
    ['48_kpi_queue_triggers.sql', ['function private.kpi_queue_leads', 'function private.kpi_queue_leads_of_rows',
        'function private.kpi_queue_coach_leads', 'function private.kpi_forget_documents',
        'function private.kpi_lock_before_coach_delete']],
    ['50_dashboard_legacy.sql', ['function private.kpi_legacy_ranked', 'function private.kpi_legacy_row',
        'view private.coach_dashboard_kpis', 'function private.dashboard_row', 'function private.refresh_dashboard_kpis',
        'function private.dashboard_kpis_refreshed_at', 'function private.refresh_dashboard_kpis_if_allowed',
        'function public.refresh_dashboard_kpis', 'function private.kpi_legacy_definitions',
        'function private.kpi_legacy_document']],
    ['60_get_dashboard.sql', ['function private.dashboard', 'function public.get_dashboard']],
    ['61_get_response_rates.sql', ['function private.kpi_response_rates', 'function public.get_response_rates']],
    ['62_get_top_labels.sql', ['function private.kpi_top_labels', 'function public.get_top_sources',
        'function public.get_top_professions']],
    ['63_get_leads_to_followup.sql', ['function private.kpi_leads_to_followup', 'function public.get_leads_to_followup']],
    ['64_get_kpi_definitions.sql', ['function private.kpi_period_definitions_json', 'function public.get_kpi_definitions']],
    ['65_get_kpi_leads.sql', ['function private.kpi_lead_event', 'function private.kpi_leads', 'function public.get_kpi_leads']],
    ['66_health.sql', ['function public.health']],
    ['90_cron_jobs.sql', ['cron ']],
];

export const FILES = LAYOUT.map(([f]) => f);

/** The first line of each file. */
export const DESCRIPTIONS = {
    '01_helpers.sql': "Helpers used by the tables' checks, policies and triggers: the admin test, updated_at, time zones, the status order, the caller check, pg_cron scheduling.",
    '02_legacy_values.sql': "Values the legacy upgrade changed or removed, kept with where they came from (docs/upgrade.md).",
    '10_coachs.sql': "Coaches: one row per coach, id = its auth.users id.",
    '11_coach_settings.sql': "Per-coach parameters the data cannot give, created with the coach.",
    '12_leads.sql': "Leads: Instagram prospects of one coach, written by n8n.",
    '13_lead_status_events.sql': "The status history of leads (written by trigger).",
    '14_messages.sql': "Messages of a lead's conversation, delivered by n8n.",
    '15_message_sequences.sql': "DM 1 to 4 of each lead and the call milestones (kept by triggers).",
    '16_kpi_daily.sql': "Daily KPI rows per coach and their nightly rebuild.",
    '18_kpi_period_definitions.sql': "The period documents' KPI glossary (rows: data migrations).",
    '20_lead_facts.sql': "KPI engine: one row of facts per lead, kept by the upkeep.",
    '21_kpi_facts.sql': "KPI engine: the sums of lead facts per coach and day.",
    '22_kpi_coach_now.sql': "KPI engine: per-coach values of 'now' (windows, follow-up list).",
    '23_kpi_documents.sql': "KPI engine: the stored period documents of the preset periods.",
    '24_kpi_dirty_leads.sql': "KPI engine: the queue of leads whose facts must be recomputed.",
    '25_kpi_upkeep_state.sql': "KPI engine: the upkeep's single state row (the row: a data migration).",
    '26_kpi_period.sql': "KPI engine: a resolved period.",
    '30_lead_derivation.sql': "Triggers that derive lead and sequence fields from statuses and messages.",
    '31_ingest_fields.sql': "Ingestion: the readers of n8n payload fields (types, bounds, 22023 errors naming the field).",
    '32_ingest.sql': "Ingestion: ingest_lead, ingest_message, ingest_messages and their private steps.",
    '33_coach_settings_api.sql': "A coach's settings: read and update through the API.",
    '34_list_coaches.sql': "The coaches an admin may open.",
    '40_kpi_helpers.sql': "KPI engine: small formulas (rates, ratings, changes, buckets, jsonb sums).",
    '41_kpi_lead_facts.sql': "KPI engine: a lead's facts computed from its rows.",
    '42_kpi_contributions.sql': "KPI engine: what a lead's facts add to its coach's daily sums, applied as differences.",
    '43_kpi_period.sql': "KPI engine: resolving a period and summing its days.",
    '44_kpi_follow_up.sql': "The follow-up rule: which leads to contact again, in which order.",
    '45_kpi_sections.sql': "KPI engine: the sections of a period document.",
    '46_kpi_documents.sql': "KPI engine: period documents, stored and computed.",
    '47_kpi_upkeep.sql': "KPI engine: the upkeep pass, its loop, the backfill walk and the reconcile.",
    '48_kpi_queue_triggers.sql': "KPI engine: the triggers that queue changed leads.",
    '50_dashboard_legacy.sql': "The legacy document of get_dashboard() without a period: its view, materialized view and refresh.",
    '60_get_dashboard.sql': "get_dashboard: the dashboard document of a coach.",
    '61_get_response_rates.sql': "get_response_rates: reply rates by DM for a period.",
    '62_get_top_labels.sql': "get_top_sources and get_top_professions for a period.",
    '63_get_leads_to_followup.sql': "get_leads_to_followup: the whole follow-up list of a period.",
    '64_get_kpi_definitions.sql': "get_kpi_definitions: the glossary of period documents.",
    '65_get_kpi_leads.sql': "get_kpi_leads: the leads behind a KPI (drill-down).",
    '66_health.sql': "health: the database and KPI upkeep status for monitoring.",
    '90_cron_jobs.sql': "The pg_cron jobs (schedule, command).",
};
const exact = new Map();
for (const [f, keys] of LAYOUT) for (const k of keys) exact.set(k, f);

/** The file of an object key ('table public.coachs', 'function private.kpi_rate', 'cron kpi-upkeep', …). */
export function fileOf(key) {
    if (exact.has(key)) return exact.get(key);
    if (key.startsWith('cron ')) return '90_cron_jobs.sql';
    return undefined;
}

/** The position of an object in its file's list (objects not listed come last). */
export function positionOf(key) {
    for (const [, keys] of LAYOUT) {
        const i = keys.indexOf(key);
        if (i >= 0) return i;
    }
    return 1000;
}
