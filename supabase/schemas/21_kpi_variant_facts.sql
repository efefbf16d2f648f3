-- KPI engine: the sums of lead facts per coach, day, DM step and variant (issue 22, opening-message variants).

create table private.kpi_variant_facts (
    coach_id uuid not null,
    grain text not null,
    day date not null,
    step smallint not null,
    variant text not null,
    sent integer not null default 0,
    replied integer not null default 0,
    qualified integer not null default 0,
    booked integer not null default 0,
    won integer not null default 0,
    updated_at timestamptz not null default now(),
    constraint kpi_variant_facts_grain_valid check (grain = 'day' or (grain = 'month' and extract(day from day) = 1)),
    constraint kpi_variant_facts_step_valid check (step between 1 and 4),
    constraint kpi_variant_facts_pkey primary key (coach_id, grain, day, step, variant),
    constraint kpi_variant_facts_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

alter table private.kpi_variant_facts enable row level security;

comment on table private.kpi_variant_facts is
    'Additive KPI facts of a coach''s DM variants over one local day (grain day) or one local month (grain month): the leads whose DM N (step) was sent that day with that variant, and how many of them replied to it and reached qualified, call_booked and won since. The upkeep adds the differences of the contributions of changed leads (private.kpi_add_variant_contributions, from private.lead_facts.dmN_variant); a period sums its whole months and remaining days (private.kpi_variant_sums). Rebuilt by private.kpi_rebuild(). No policy: read only through private.kpi_variant_report.';
comment on column private.kpi_variant_facts.coach_id is 'The coach.';
comment on column private.kpi_variant_facts.grain is 'day or month.';
comment on column private.kpi_variant_facts.day is 'The local day, or the first day of the local month.';
comment on column private.kpi_variant_facts.step is 'The DM step, 1 to 4 (the outbound message numbered so).';
comment on column private.kpi_variant_facts.variant is 'messages.variant of that DM; the empty string for the DMs without one ("sans variante").';
comment on column private.kpi_variant_facts.sent is 'Leads whose DM of that step was sent in the range with that variant.';
comment on column private.kpi_variant_facts.replied is 'Of those, leads who answered that DM.';
comment on column private.kpi_variant_facts.qualified is 'Of those, leads who reached qualified (or a later stage) since, whenever.';
comment on column private.kpi_variant_facts.booked is 'Of those, leads who reached call_booked (or a later stage) since, whenever.';
comment on column private.kpi_variant_facts.won is 'Of those, leads who were won since, whenever.';
comment on column private.kpi_variant_facts.updated_at is 'When the upkeep last changed the row.';
