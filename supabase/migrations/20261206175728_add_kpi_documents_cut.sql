-- Purpose: private.kpi_documents keeps the cut each stored document was computed with and the first event after it (cut_at, cut_event_at), so a document is computed again only when the clock passes an event.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

alter table private.kpi_documents add column cut_at timestamptz, add column cut_event_at timestamptz;

comment on column private.kpi_documents.cut_at is
    'The cut of the previous period''s last day the document was computed with (period.previous.until as stored); null when the period has no previous one (all).';

comment on column private.kpi_documents.cut_event_at is
    'The first event of the cut''s local day at or after cut_at (private.kpi_cut_next_event; infinity when none): the document''s numbers are those of any cut from cut_at up to that instant, so get_dashboard serves it with the cut now (period.previous.until) until then, and the upkeep computes it again only after the clock passes it (private.kpi_documents_current). Null when cut_at is.';

