-- KPI engine: the upkeep's single state row (the row: a data migration).

create table private.kpi_upkeep_state (
    id boolean not null default true,
    last_pass_at timestamptz,
    last_pass_leads integer not null default 0,
    last_pass_ms numeric not null default 0,
    walk_cursor uuid,
    walk_started_at timestamptz,
    backfill_done_at timestamptz,
    constraint kpi_upkeep_state_one_row check (id),
    constraint kpi_upkeep_state_pkey primary key (id)
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
