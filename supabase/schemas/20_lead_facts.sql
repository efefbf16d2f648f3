-- KPI engine: one row of facts per lead, kept by the upkeep.

create table private.lead_facts (
    lead_id uuid not null,
    coach_id uuid not null,
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
    deal_value numeric(12,2),
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
    computed_at timestamptz not null default now(),
    dm1_variant text,
    dm2_variant text,
    dm3_variant text,
    dm4_variant text,
    deal_value_source text,
    constraint lead_facts_pkey primary key (lead_id),
    constraint lead_facts_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
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
comment on column private.lead_facts.last_contact_day is 'Local day of the last contact: the last message either way or the coach''s own follow-up (leads.followed_up_at, "Relancé"), whichever is later (created_at without either): the follow-up rule counts days from it.';
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
comment on column private.lead_facts.dm1_variant is 'messages.variant of DM 1 (null: sans variante): the lead''s variant.';
comment on column private.lead_facts.dm2_variant is 'messages.variant of DM 2 (null: sans variante).';
comment on column private.lead_facts.dm3_variant is 'messages.variant of DM 3 (null: sans variante).';
comment on column private.lead_facts.dm4_variant is 'messages.variant of DM 4 (null: sans variante).';
comment on column private.lead_facts.deal_value_source is 'leads.deal_value_source: who gave the deal value, stripe, coach or setter (null: setter).';

create index lead_facts_coach_id_created_day_idx on private.lead_facts (coach_id, created_day);
create index lead_facts_follow_up_idx on private.lead_facts (coach_id, status, last_contact_day, instagram_username, lead_id);
create index lead_facts_coach_id_lead_magnet_day_idx on private.lead_facts (coach_id, lead_magnet_day) where lead_magnet_day is not null;
create index lead_facts_coach_id_booked_day_idx on private.lead_facts (coach_id, booked_day) where booked_day is not null;
