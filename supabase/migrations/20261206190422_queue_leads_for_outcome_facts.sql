-- Purpose: every lead is queued once for the KPI upkeep, so its facts are recomputed with the coach's follow-up as a contact and the revenue by source (the upkeep drains the queue in passes of at most 20,000 rows).

set lock_timeout = '500ms';

-- Reads leads with a plain SELECT's lock (writers go on) and appends to the queue (append-only: no one waits there).
insert into private.kpi_dirty_leads (lead_id)
select l.id from public.leads as l;
