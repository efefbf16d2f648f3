-- KPI engine: per-coach values of 'now' (windows, follow-up list).

create table private.kpi_coach_now (
    coach_id uuid not null,
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
    updated_at timestamptz not null default now(),
    follow_up_counts jsonb not null default '{"high": 0, "medium": 0, "low": 0}'::jsonb,
    won_revenue numeric default 0 not null,
    won_valued integer default 0 not null,
    won_revenue_by_source jsonb default '{}'::jsonb not null,
    lost_reasons jsonb default '{}'::jsonb not null,
    call_outcomes integer default 0 not null,
    no_shows integer default 0 not null,
    constraint kpi_coach_now_pkey primary key (coach_id),
    constraint kpi_coach_now_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
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
comment on column private.kpi_coach_now.follow_up_counts is 'Leads of the whole follow-up list by priority, {"high": n, "medium": n, "low": n} (their sum is follow_up_count).';
comment on column private.kpi_coach_now.won_revenue is 'Deal values of the leads currently won (the legacy document''s revenue).';
comment on column private.kpi_coach_now.won_valued is 'Leads currently won that have a deal value (the legacy document''s average deal value).';
comment on column private.kpi_coach_now.won_revenue_by_source is 'Deal values of the leads currently won by source, {"<source>": amount} (the legacy document''s lead quality by source).';
comment on column private.kpi_coach_now.lost_reasons is 'Leads currently lost by lost reason, {"<reason>": n} (the legacy document''s lost reasons).';
comment on column private.kpi_coach_now.call_outcomes is 'Leads whose call outcome is known (call_showed not null), whatever their status.';
comment on column private.kpi_coach_now.no_shows is 'Leads who did not show up to their call (call_showed false).';
