-- Purpose: the incremental KPI facts: one row per lead (private.lead_facts), additive sums per coach and local day, week, month or preset period (private.kpi_facts), the current pipeline per coach, the documents of the preset periods, the queue of changed leads and the upkeep state.

-- The new tables reference public.coachs: each foreign key takes a SHARE ROW EXCLUSIVE lock on it. Wait at most 3 s.
set local lock_timeout = '3s';
set local statement_timeout = '30s';

-- KPI engine v2 (issue 14). The ingest path only records which leads changed (private.kpi_dirty_leads, written by
-- statement triggers); the upkeep (private.kpi_upkeep(), pg_cron) recomputes those leads' facts from the source
-- tables and adds the difference of their contributions to the per-day and per-month sums. A period's KPI is then a
-- sum over at most a few dozen rows of private.kpi_facts, whatever the size of the history, and a preset period
-- (today, 7d, 30d, 90d, all) one row, kept with the others.

create table private.lead_facts (
    lead_id uuid primary key,
    coach_id uuid not null references public.coachs (id) on delete cascade,
    status text not null,
    instagram_username text,
    first_name text,
    created_at timestamptz not null,
    created_day date not null,
    source text,
    gender text,
    age integer,
    profession text,
    has_email boolean not null,
    time_to_action_minutes integer,
    deal_value numeric(12, 2),
    call_showed boolean,
    lost_reason text,
    lead_magnet_at timestamptz,
    lead_magnet_day date,
    last_contact_day date not null,
    total_messages integer not null,
    dm1_at timestamptz,
    dm1_day date,
    dm1_replied boolean not null,
    dm2_at timestamptz,
    dm2_day date,
    dm2_replied boolean not null,
    dm3_at timestamptz,
    dm3_day date,
    dm3_replied boolean not null,
    dm4_at timestamptz,
    dm4_day date,
    dm4_replied boolean not null,
    qualified_at timestamptz,
    qualified_day date,
    proposed_at timestamptz,
    proposed_day date,
    booked_at timestamptz,
    booked_day date,
    won_at timestamptz,
    won_day date,
    lost_at timestamptz,
    lost_day date,
    conversion_booked_day date,
    conversion_booked_slot smallint,
    conversion_won_slot smallint,
    activity jsonb not null,
    turns jsonb not null,
    computed_at timestamptz not null default now()
);

comment on table private.lead_facts is
    'KPI facts of one lead, recomputed from leads, messages, message_sequences and lead_status_events by the upkeep whenever the lead changes. Days are local days in the coach''s time zone. "The leads behind a count of a period" is a filter on one of its day columns (see docs/kpis.md). Read only by the KPI functions.';
comment on column private.lead_facts.lead_id is 'The lead (no foreign key: the upkeep removes the facts of a deleted lead after subtracting its contributions).';
comment on column private.lead_facts.coach_id is 'The lead''s coach.';
comment on column private.lead_facts.status is 'Current status of the lead.';
comment on column private.lead_facts.instagram_username is 'Instagram @username (follow-up list, drill-down).';
comment on column private.lead_facts.first_name is 'First name (follow-up list, drill-down).';
comment on column private.lead_facts.created_at is 'When the lead first appeared.';
comment on column private.lead_facts.created_day is 'Local day of created_at: the day the lead counts as a new lead.';
comment on column private.lead_facts.source is 'Source of the lead.';
comment on column private.lead_facts.gender is 'male, female, other or null (unknown).';
comment on column private.lead_facts.age is 'Age, when known.';
comment on column private.lead_facts.profession is 'Job title trimmed and lower-cased; null when unknown or blank.';
comment on column private.lead_facts.has_email is 'Whether the lead''s email is known.';
comment on column private.lead_facts.time_to_action_minutes is 'leads.time_to_action_minutes.';
comment on column private.lead_facts.deal_value is 'leads.deal_value.';
comment on column private.lead_facts.call_showed is 'leads.call_showed (null while unknown).';
comment on column private.lead_facts.lost_reason is 'leads.lost_reason.';
comment on column private.lead_facts.lead_magnet_at is 'When the lead magnet was sent.';
comment on column private.lead_facts.lead_magnet_day is 'Local day the lead magnet was sent.';
comment on column private.lead_facts.last_contact_day is 'Local day of the last message either way (of created_at without any): the follow-up rule counts days from it.';
comment on column private.lead_facts.total_messages is 'Messages sent and received with this lead.';
comment on column private.lead_facts.dm1_at is 'When outbound DM 1 was sent (the lead''s first DM).';
comment on column private.lead_facts.dm1_day is 'Local day of DM 1: the lead''s cohort for reply and conversion rates.';
comment on column private.lead_facts.dm1_replied is 'Whether the lead answered DM 1 (message_sequences).';
comment on column private.lead_facts.dm2_at is 'When outbound DM 2 was sent.';
comment on column private.lead_facts.dm2_day is 'Local day of DM 2.';
comment on column private.lead_facts.dm2_replied is 'Whether the lead answered DM 2.';
comment on column private.lead_facts.dm3_at is 'When outbound DM 3 was sent.';
comment on column private.lead_facts.dm3_day is 'Local day of DM 3.';
comment on column private.lead_facts.dm3_replied is 'Whether the lead answered DM 3.';
comment on column private.lead_facts.dm4_at is 'When outbound DM 4 was sent.';
comment on column private.lead_facts.dm4_day is 'Local day of DM 4.';
comment on column private.lead_facts.dm4_replied is 'Whether the lead answered DM 4.';
comment on column private.lead_facts.qualified_at is 'First time the lead reached qualified or a later funnel stage.';
comment on column private.lead_facts.qualified_day is 'Local day of qualified_at.';
comment on column private.lead_facts.proposed_at is 'First time the lead reached call_proposed or later.';
comment on column private.lead_facts.proposed_day is 'Local day of proposed_at.';
comment on column private.lead_facts.booked_at is 'First time the lead reached call_booked or later.';
comment on column private.lead_facts.booked_day is 'Local day of booked_at.';
comment on column private.lead_facts.won_at is 'First time the lead was won.';
comment on column private.lead_facts.won_day is 'Local day of won_at.';
comment on column private.lead_facts.lost_at is 'First time the lead became lost.';
comment on column private.lead_facts.lost_day is 'Local day of lost_at.';
comment on column private.lead_facts.conversion_booked_day is 'Local day of the lead''s first call_booked event (best conversion moment).';
comment on column private.lead_facts.conversion_booked_slot is 'Local weekday and hour of that event: (ISO weekday - 1) * 24 + hour, 0 to 167.';
comment on column private.lead_facts.conversion_won_slot is 'Local weekday and hour of won_at, as conversion_booked_slot.';
comment on column private.lead_facts.activity is 'Messages of the lead by local day: {"YYYY-MM-DD": [sent, received, received then answered by a later outbound message]}.';
comment on column private.lead_facts.turns is 'Speed to lead by local day: {"YYYY-MM-DD": {"<bucket>": turns}}, a turn being the lead''s first message after an outbound one (or its first message) that got a setter reply; bucket of the wait: private.kpi_speed_bucket().';
comment on column private.lead_facts.computed_at is 'When the upkeep last wrote the row.';

-- The follow-up list reads open leads by status and last contact day, in the list's order.
create index lead_facts_follow_up_idx
    on private.lead_facts (coach_id, status, last_contact_day, instagram_username, lead_id);
create index lead_facts_coach_id_created_day_idx on private.lead_facts (coach_id, created_day);

create table private.kpi_facts (
    coach_id uuid not null references public.coachs (id) on delete cascade,
    grain text not null,
    day date not null,
    end_day date not null,
    counts jsonb not null default '{}'::jsonb,
    sources jsonb not null default '{}'::jsonb,
    professions jsonb not null default '{}'::jsonb,
    lost_reasons jsonb not null default '{}'::jsonb,
    conversions jsonb not null default '{}'::jsonb,
    speed jsonb not null default '{}'::jsonb,
    updated_at timestamptz not null default now(),
    new_leads integer generated always as (coalesce((counts ->> 'new_leads')::numeric, 0)::integer) stored,
    cohort_messages integer generated always as (coalesce((counts ->> 'cohort_messages')::numeric, 0)::integer) stored,
    tta_sum bigint generated always as (coalesce((counts ->> 'tta_sum')::numeric, 0)::bigint) stored,
    tta_count integer generated always as (coalesce((counts ->> 'tta_count')::numeric, 0)::integer) stored,
    emails integer generated always as (coalesce((counts ->> 'emails')::numeric, 0)::integer) stored,
    men integer generated always as (coalesce((counts ->> 'men')::numeric, 0)::integer) stored,
    women integer generated always as (coalesce((counts ->> 'women')::numeric, 0)::integer) stored,
    other_gender integer generated always as (coalesce((counts ->> 'other_gender')::numeric, 0)::integer) stored,
    unknown_gender integer generated always as (coalesce((counts ->> 'unknown_gender')::numeric, 0)::integer) stored,
    age_sum integer generated always as (coalesce((counts ->> 'age_sum')::numeric, 0)::integer) stored,
    age_count integer generated always as (coalesce((counts ->> 'age_count')::numeric, 0)::integer) stored,
    messages_sent integer generated always as (coalesce((counts ->> 'messages_sent')::numeric, 0)::integer) stored,
    messages_received integer generated always as (coalesce((counts ->> 'messages_received')::numeric, 0)::integer) stored,
    inbound_answered integer generated always as (coalesce((counts ->> 'inbound_answered')::numeric, 0)::integer) stored,
    dm1_sent integer generated always as (coalesce((counts ->> 'dm1_sent')::numeric, 0)::integer) stored,
    dm1_replied integer generated always as (coalesce((counts ->> 'dm1_replied')::numeric, 0)::integer) stored,
    dm2_sent integer generated always as (coalesce((counts ->> 'dm2_sent')::numeric, 0)::integer) stored,
    dm2_replied integer generated always as (coalesce((counts ->> 'dm2_replied')::numeric, 0)::integer) stored,
    dm3_sent integer generated always as (coalesce((counts ->> 'dm3_sent')::numeric, 0)::integer) stored,
    dm3_replied integer generated always as (coalesce((counts ->> 'dm3_replied')::numeric, 0)::integer) stored,
    dm4_sent integer generated always as (coalesce((counts ->> 'dm4_sent')::numeric, 0)::integer) stored,
    dm4_replied integer generated always as (coalesce((counts ->> 'dm4_replied')::numeric, 0)::integer) stored,
    cohort_qualified integer generated always as (coalesce((counts ->> 'cohort_qualified')::numeric, 0)::integer) stored,
    cohort_proposed integer generated always as (coalesce((counts ->> 'cohort_proposed')::numeric, 0)::integer) stored,
    cohort_booked integer generated always as (coalesce((counts ->> 'cohort_booked')::numeric, 0)::integer) stored,
    cohort_won integer generated always as (coalesce((counts ->> 'cohort_won')::numeric, 0)::integer) stored,
    cohort_lost integer generated always as (coalesce((counts ->> 'cohort_lost')::numeric, 0)::integer) stored,
    qualified integer generated always as (coalesce((counts ->> 'qualified')::numeric, 0)::integer) stored,
    calls_proposed integer generated always as (coalesce((counts ->> 'calls_proposed')::numeric, 0)::integer) stored,
    calls_booked integer generated always as (coalesce((counts ->> 'calls_booked')::numeric, 0)::integer) stored,
    deals_won integer generated always as (coalesce((counts ->> 'deals_won')::numeric, 0)::integer) stored,
    revenue numeric generated always as (coalesce((counts ->> 'revenue')::numeric, 0)) stored,
    won_valued integer generated always as (coalesce((counts ->> 'won_valued')::numeric, 0)::integer) stored,
    lost integer generated always as (coalesce((counts ->> 'lost')::numeric, 0)::integer) stored,
    lead_magnets integer generated always as (coalesce((counts ->> 'lead_magnets')::numeric, 0)::integer) stored,
    call_outcomes integer generated always as (coalesce((counts ->> 'call_outcomes')::numeric, 0)::integer) stored,
    no_shows integer generated always as (coalesce((counts ->> 'no_shows')::numeric, 0)::integer) stored,
    constraint kpi_facts_pkey primary key (coach_id, grain, day),
    constraint kpi_facts_grain_valid check (grain in ('day', 'week', 'month', 'today', '7d', '30d', '90d', 'all',
        'previous_today', 'previous_7d', 'previous_30d', 'previous_90d')),
    constraint kpi_facts_days_valid check (
        (grain = 'day' and end_day = day)
        or (grain = 'week' and extract(isodow from day) = 1 and end_day = day + 6)
        or (grain = 'month' and extract(day from day) = 1 and end_day = (day + interval '1 month - 1 day')::date)
        or (grain not in ('day', 'week', 'month') and end_day >= day))
);

comment on table private.kpi_facts is
    'Additive KPI facts of a coach over a range of local days [day, end_day]: one local day (grain day), one ISO week (grain week, Monday to Sunday, counts only: the weekly trend), one local month (grain month), or the current preset periods and their previous periods (grains today, 7d, 30d, 90d, all and previous_*: the windows, recomputed when the coach''s day changes). The upkeep adds the differences of the contributions of changed leads to every row whose range holds the day (private.kpi_add_contributions); the typed columns are generated from counts. A preset period reads its window row; any other period sums its whole months and remaining days. Rebuilt from scratch by private.kpi_rebuild().';
comment on column private.kpi_facts.coach_id is 'The coach.';
comment on column private.kpi_facts.grain is 'day, week (counts only), month, or the window of a preset period: today, 7d, 30d, 90d, all, previous_today, previous_7d, previous_30d, previous_90d.';
comment on column private.kpi_facts.day is 'First local day of the range (a day, a Monday, the first of a month, the start of a window; all starts at 0001-01-01).';
comment on column private.kpi_facts.end_day is 'Last local day of the range (inclusive). For a window, the coach''s today when it was computed (previous windows end the day before their period).';
comment on column private.kpi_facts.counts is 'The counts and sums, {"<column>": n}, zero entries removed; each typed column below is generated from it.';
comment on column private.kpi_facts.sources is 'Leads created in the range by source, {"<what>:<source>": n} with what = leads, qualified, booked, won (reached since) or revenue (deal values of those won).';
comment on column private.kpi_facts.professions is 'Leads created in the range by profession (trimmed, lower-cased), {"<profession>": n}.';
comment on column private.kpi_facts.lost_reasons is 'Leads that first became lost in the range, by lost reason, {"<reason>": n}.';
comment on column private.kpi_facts.conversions is 'First call_booked events and first wins in the range by local weekday-hour slot, {"<(ISO weekday - 1) * 24 + hour>": n}.';
comment on column private.kpi_facts.speed is 'Speed-to-lead turns started in the range by wait bucket (private.kpi_speed_bucket), {"<bucket>": n}.';
comment on column private.kpi_facts.updated_at is 'When the upkeep last changed the row.';
comment on column private.kpi_facts.new_leads is 'Leads created (created_day).';
comment on column private.kpi_facts.cohort_messages is 'Messages so far of the leads created that day (average conversation length).';
comment on column private.kpi_facts.tta_sum is 'Sum of time_to_action_minutes of the leads created that day.';
comment on column private.kpi_facts.tta_count is 'Leads created that day with a time to action.';
comment on column private.kpi_facts.emails is 'Leads created that day whose email is known.';
comment on column private.kpi_facts.men is 'Leads created that day: male.';
comment on column private.kpi_facts.women is 'Leads created that day: female.';
comment on column private.kpi_facts.other_gender is 'Leads created that day: other gender.';
comment on column private.kpi_facts.unknown_gender is 'Leads created that day: gender unknown.';
comment on column private.kpi_facts.age_sum is 'Sum of the ages of the leads created that day (when known).';
comment on column private.kpi_facts.age_count is 'Leads created that day with a known age.';
comment on column private.kpi_facts.messages_sent is 'Outbound messages dated that day.';
comment on column private.kpi_facts.messages_received is 'Inbound messages dated that day.';
comment on column private.kpi_facts.inbound_answered is 'Inbound messages dated that day followed by an outbound message of the setter.';
comment on column private.kpi_facts.dm1_sent is 'Leads whose DM 1 was sent that day (leads contacted).';
comment on column private.kpi_facts.dm1_replied is 'Of those, leads who answered DM 1.';
comment on column private.kpi_facts.dm2_sent is 'Leads whose DM 2 was sent that day.';
comment on column private.kpi_facts.dm2_replied is 'Of those, leads who answered DM 2.';
comment on column private.kpi_facts.dm3_sent is 'Leads whose DM 3 was sent that day.';
comment on column private.kpi_facts.dm3_replied is 'Of those, leads who answered DM 3.';
comment on column private.kpi_facts.dm4_sent is 'Leads whose DM 4 was sent that day.';
comment on column private.kpi_facts.dm4_replied is 'Of those, leads who answered DM 4.';
comment on column private.kpi_facts.cohort_qualified is 'Leads whose DM 1 was sent that day and who reached qualified (or later) since.';
comment on column private.kpi_facts.cohort_proposed is 'Leads whose DM 1 was sent that day and who reached call_proposed (or later) since.';
comment on column private.kpi_facts.cohort_booked is 'Leads whose DM 1 was sent that day and who reached call_booked (or later) since.';
comment on column private.kpi_facts.cohort_won is 'Leads whose DM 1 was sent that day and who were won since.';
comment on column private.kpi_facts.cohort_lost is 'Leads whose DM 1 was sent that day and who became lost since.';
comment on column private.kpi_facts.qualified is 'Leads that first reached qualified (or later) that day.';
comment on column private.kpi_facts.calls_proposed is 'Leads that first reached call_proposed (or later) that day.';
comment on column private.kpi_facts.calls_booked is 'Leads that first reached call_booked (or later) that day.';
comment on column private.kpi_facts.deals_won is 'Leads won for the first time that day.';
comment on column private.kpi_facts.revenue is 'Deal values of the leads won for the first time that day.';
comment on column private.kpi_facts.won_valued is 'Leads won for the first time that day that have a deal value.';
comment on column private.kpi_facts.lost is 'Leads that became lost for the first time that day.';
comment on column private.kpi_facts.lead_magnets is 'Lead magnets sent that day.';
comment on column private.kpi_facts.call_outcomes is 'Leads whose call was booked that day and whose call outcome is known.';
comment on column private.kpi_facts.no_shows is 'Of those, leads who did not show up.';

-- Rows whose counts all went back to zero, deleted after each upkeep pass (the index holds only those).
create index kpi_facts_empty_idx on private.kpi_facts (coach_id)
    where grain in ('day', 'week', 'month') and counts = '{}'::jsonb and sources = '{}'::jsonb and professions = '{}'::jsonb
        and lost_reasons = '{}'::jsonb and conversions = '{}'::jsonb and speed = '{}'::jsonb;

create table private.kpi_coach_now (
    coach_id uuid primary key references public.coachs (id) on delete cascade,
    leads integer not null default 0,
    new_leads integer not null default 0,
    engaged_leads integer not null default 0,
    qualified_leads integer not null default 0,
    call_proposed_leads integer not null default 0,
    call_booked_leads integer not null default 0,
    won_leads integer not null default 0,
    lost_leads integer not null default 0,
    relance_leads integer not null default 0,
    follow_up jsonb not null default '[]'::jsonb,
    follow_up_count integer not null default 0,
    follow_up_day date,
    follow_up_at timestamptz,
    updated_at timestamptz not null default now()
);

comment on table private.kpi_coach_now is
    'The current pipeline of a coach (leads by current status) and its follow-up list, kept by the upkeep with the lead facts: the snapshot KPIs of a period document.';
comment on column private.kpi_coach_now.coach_id is 'The coach.';
comment on column private.kpi_coach_now.leads is 'All the coach''s leads.';
comment on column private.kpi_coach_now.new_leads is 'Leads currently new.';
comment on column private.kpi_coach_now.engaged_leads is 'Leads currently engaged.';
comment on column private.kpi_coach_now.qualified_leads is 'Leads currently qualified.';
comment on column private.kpi_coach_now.call_proposed_leads is 'Leads currently call_proposed.';
comment on column private.kpi_coach_now.call_booked_leads is 'Leads currently call_booked.';
comment on column private.kpi_coach_now.won_leads is 'Leads currently won.';
comment on column private.kpi_coach_now.lost_leads is 'Leads currently lost.';
comment on column private.kpi_coach_now.relance_leads is 'Leads currently relance.';
comment on column private.kpi_coach_now.follow_up is 'The most urgent leads of the follow-up list (private.kpi_follow_up_preview() of them), as FollowUpLead[], computed by the upkeep.';
comment on column private.kpi_coach_now.follow_up_count is 'Number of leads of the whole follow-up list.';
comment on column private.kpi_coach_now.follow_up_day is 'The coach''s local day the list''s days without contact were counted for.';
comment on column private.kpi_coach_now.follow_up_at is 'When the list was computed (follow_up_as_of of period documents).';
comment on column private.kpi_coach_now.updated_at is 'When the upkeep last changed the row.';

create table private.kpi_documents (
    coach_id uuid not null references public.coachs (id) on delete cascade,
    period text not null,
    day date not null,
    document jsonb not null,
    computed_at timestamptz not null default now(),
    constraint kpi_documents_pkey primary key (coach_id, period),
    constraint kpi_documents_period_valid check (period in ('today', '7d', '30d', '90d', 'all'))
);

comment on table private.kpi_documents is
    'The period documents of the preset periods of a coach, as the upkeep computed them after the coach''s facts last changed (and when its local day changes): get_dashboard returns the one of the caller''s period when it is for today, else computes the document. Deleted when the coach''s name or settings change.';
comment on column private.kpi_documents.coach_id is 'The coach.';
comment on column private.kpi_documents.period is 'today, 7d, 30d, 90d or all.';
comment on column private.kpi_documents.day is 'The coach''s local day the document was computed for (its periods end that day).';
comment on column private.kpi_documents.document is 'The PeriodDashboard document (last_updated is set when it is read).';
comment on column private.kpi_documents.computed_at is 'When the upkeep computed it.';

-- Append-only: writers only insert (no unique index, no row they could wait on); the upkeep deletes what it drained.
create table private.kpi_dirty_leads (
    id bigint generated always as identity primary key,
    lead_id uuid not null,
    queued_at timestamptz not null default now()
);

comment on table private.kpi_dirty_leads is
    'Queue of leads whose KPI facts must be recomputed, filled by statement triggers on leads, messages, lead_status_events and coachs (time zone changes) in the writer''s transaction, drained by private.kpi_upkeep(). A lead may be queued many times; it is recomputed once per pass.';
comment on column private.kpi_dirty_leads.id is 'Primary key, in queueing order.';
comment on column private.kpi_dirty_leads.lead_id is 'The lead that changed (it may have been deleted since).';
comment on column private.kpi_dirty_leads.queued_at is 'When the change was made (its transaction''s start).';

create table private.kpi_upkeep_state (
    id boolean primary key default true,
    last_pass_at timestamptz,
    last_pass_leads integer not null default 0,
    last_pass_ms numeric not null default 0,
    walk_cursor uuid,
    walk_started_at timestamptz,
    backfill_done_at timestamptz,
    constraint kpi_upkeep_state_one_row check (id)
);

comment on table private.kpi_upkeep_state is
    'One row: where the KPI upkeep stands. last_pass_at is the last_updated of period documents.';
comment on column private.kpi_upkeep_state.id is 'Always true: the table has one row.';
comment on column private.kpi_upkeep_state.last_pass_at is 'When the last upkeep pass finished draining the queue (the facts include every change committed before the pass started).';
comment on column private.kpi_upkeep_state.last_pass_leads is 'Leads recomputed by that pass.';
comment on column private.kpi_upkeep_state.last_pass_ms is 'Duration of that pass in milliseconds.';
comment on column private.kpi_upkeep_state.walk_cursor is 'The last lead id the reconciling walk recomputed (the walk goes through every lead in id order, then starts again).';
comment on column private.kpi_upkeep_state.walk_started_at is 'When the current round of the walk started.';
comment on column private.kpi_upkeep_state.backfill_done_at is 'When the first round of the walk ended: every lead that existed before the facts tables has facts since then. Null while that backfill is running.';

insert into private.kpi_upkeep_state (id, walk_started_at) values (true, now());

revoke all on private.lead_facts, private.kpi_facts, private.kpi_coach_now, private.kpi_documents,
    private.kpi_dirty_leads, private.kpi_upkeep_state from public, anon, authenticated;
