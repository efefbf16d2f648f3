-- Purpose: the current pipeline of a coach (private.kpi_coach_now) also keeps the sums the legacy document reads by current status: revenue and deals with a value of the leads now won (in total and by source), the lost reasons of the leads now lost, the known call outcomes and no-shows.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

alter table private.kpi_coach_now
    add column won_revenue numeric not null default 0,
    add column won_valued integer not null default 0,
    add column won_revenue_by_source jsonb not null default '{}'::jsonb,
    add column lost_reasons jsonb not null default '{}'::jsonb,
    add column call_outcomes integer not null default 0,
    add column no_shows integer not null default 0;

comment on column private.kpi_coach_now.won_revenue is 'Deal values of the leads currently won (the legacy document''s revenue).';
comment on column private.kpi_coach_now.won_valued is 'Leads currently won that have a deal value (the legacy document''s average deal value).';
comment on column private.kpi_coach_now.won_revenue_by_source is 'Deal values of the leads currently won by source, {"<source>": amount} (the legacy document''s lead quality by source).';
comment on column private.kpi_coach_now.lost_reasons is 'Leads currently lost by lost reason, {"<reason>": n} (the legacy document''s lost reasons).';
comment on column private.kpi_coach_now.call_outcomes is 'Leads whose call outcome is known (call_showed not null), whatever their status.';
comment on column private.kpi_coach_now.no_shows is 'Leads who did not show up to their call (call_showed false).';
