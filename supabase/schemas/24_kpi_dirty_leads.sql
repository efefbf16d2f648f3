-- KPI engine: the queue of leads whose facts must be recomputed.

create table private.kpi_dirty_leads (
    id bigint not null,
    lead_id uuid not null,
    queued_at timestamptz not null default now(),
    constraint kpi_dirty_leads_pkey primary key (id)
);

alter table private.kpi_dirty_leads alter column id add generated always as identity (
    sequence name private.kpi_dirty_leads_id_seq
    start with 1
    increment by 1
    no minvalue
    no maxvalue
    cache 1
);

comment on table private.kpi_dirty_leads is
    'Queue of leads whose KPI facts must be recomputed, filled by statement triggers on leads, messages, lead_status_events and coachs (time zone changes) in the writer''s transaction, drained by private.kpi_upkeep(). A lead may be queued many times; it is recomputed once per pass.';
comment on column private.kpi_dirty_leads.id is 'Primary key, in queueing order.';
comment on column private.kpi_dirty_leads.lead_id is 'The lead that changed (it may have been deleted since).';
comment on column private.kpi_dirty_leads.queued_at is 'When the change was made (its transaction''s start).';
