-- The legacy document's KPI glossary (rows: data migrations).

create table private.kpi_definitions (
    key text not null,
    number integer,
    label text not null,
    formula text not null,
    denominator text,
    source text not null,
    constraint kpi_definitions_pkey primary key (key)
);

comment on table private.kpi_definitions is
    'Glossary of the dashboard: one row per key of the get_dashboard document (section.field). get_dashboard returns it as "definitions"; docs/kpis.md is generated from it.';
comment on column private.kpi_definitions.key is 'Path of the KPI in the get_dashboard document, e.g. activity.messages_sent.';
comment on column private.kpi_definitions.number is 'Number of the KPI in the catalog (issue 3 / docs/kpis.md); null for supporting values.';
comment on column private.kpi_definitions.label is 'French label shown on the card.';
comment on column private.kpi_definitions.formula is 'French, the formula in words.';
comment on column private.kpi_definitions.denominator is 'French, what a rate is "of"; null for counts and amounts.';
comment on column private.kpi_definitions.source is 'SQL object that computes it.';
