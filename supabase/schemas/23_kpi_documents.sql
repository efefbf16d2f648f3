-- KPI engine: the stored period documents of the preset periods.

create table private.kpi_documents (
    coach_id uuid not null,
    period text not null,
    day date not null,
    document jsonb not null,
    computed_at timestamptz not null default now(),
    settings_version text,
    cut_at timestamptz,
    cut_event_at timestamptz,
    constraint kpi_documents_period_valid check (period in ('today', '7d', '30d', '90d', 'all')),
    constraint kpi_documents_pkey primary key (coach_id, period),
    constraint kpi_documents_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

comment on table private.kpi_documents is
    'The period documents of the preset periods of a coach, as the upkeep computed them after the coach''s facts last changed (and when its local day or its settings change): get_dashboard returns the one of the caller''s period when it is for today and from the current settings (settings_version), else computes the document.';
comment on column private.kpi_documents.coach_id is 'The coach.';
comment on column private.kpi_documents.period is 'today, 7d, 30d, 90d or all.';
comment on column private.kpi_documents.day is 'The coach''s local day the document was computed for (its periods end that day).';
comment on column private.kpi_documents.document is 'The PeriodDashboard document (last_updated is set when it is read).';
comment on column private.kpi_documents.computed_at is 'When the upkeep computed it.';
comment on column private.kpi_documents.settings_version is 'private.kpi_settings_version() of the coach as the document read it (same snapshot): the document is served and kept only while it equals the current one; null (documents stored before the column) never does.';
comment on column private.kpi_documents.cut_at is 'The cut of the previous period''s last day the document was computed with (period.previous.until as stored); null when the period has no previous one (all).';
comment on column private.kpi_documents.cut_event_at is 'The first event of the cut''s local day at or after cut_at (private.kpi_cut_next_event; infinity when none): the document''s numbers are those of any cut from cut_at up to that instant, so get_dashboard serves it with the cut now (period.previous.until) until then, and the upkeep computes it again only after the clock passes it (private.kpi_documents_current). Null when cut_at is.';
