-- The period documents' KPI glossary (rows: data migrations).

create table private.kpi_period_definitions (
    key text not null,
    number integer,
    label text not null,
    formula text not null,
    denominator text,
    period text,
    snapshot boolean not null default false,
    better text,
    source text not null,
    constraint kpi_period_definitions_better_valid check (better is null or better in ('higher', 'lower')),
    constraint kpi_period_definitions_snapshot_period check (snapshot = (period is null)),
    constraint kpi_period_definitions_pkey primary key (key)
);

comment on table private.kpi_period_definitions is
    'Glossary of the period document (PeriodDashboard): one row per KPI path. get_kpi_definitions() returns it; docs/kpis.md is generated from it. The legacy document keeps its own glossary (private.kpi_definitions).';
comment on column private.kpi_period_definitions.key is 'Path of the KPI in the period document, e.g. activity.new_leads.';
comment on column private.kpi_period_definitions.number is 'Number of the KPI in the catalog (docs/kpis.md); null for supporting values.';
comment on column private.kpi_period_definitions.label is 'French label shown on the card.';
comment on column private.kpi_period_definitions.formula is 'French, the formula in words.';
comment on column private.kpi_period_definitions.denominator is 'French, what a rate is "of"; null for counts and amounts.';
comment on column private.kpi_period_definitions.period is 'French, what the KPI counts for a period; null for a snapshot.';
comment on column private.kpi_period_definitions.snapshot is 'True: the value is "now", whatever the period (current pipeline, follow-up list).';
comment on column private.kpi_period_definitions.better is 'Which direction of change is good: higher, lower, or null for neither.';
comment on column private.kpi_period_definitions.source is 'What computes it (facts column or SQL object).';
