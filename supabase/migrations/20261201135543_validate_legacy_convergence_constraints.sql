-- Purpose: step 3 of 4 of the convergence: the constraints of step 1 validated, one scan each, with no lock that blocks readers or writers.

-- VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE on the table (and ROW SHARE on the referenced table for a foreign
-- key): reads and writes go on while it scans. In its own migration, so the scan never runs under the ACCESS
-- EXCLUSIVE lock of step 1 or 4.
set lock_timeout = '500ms';

alter table public.coachs validate constraint coachs_name_not_null;
alter table public.coachs validate constraint coachs_email_not_null;
alter table public.coachs validate constraint coachs_created_at_not_null;
alter table public.leads validate constraint leads_created_at_not_null;
alter table public.leads validate constraint leads_updated_at_not_null;
alter table public.messages validate constraint messages_created_at_not_null;
alter table public.leads validate constraint leads_coach_id_cascade_fkey;
alter table public.kpi_daily validate constraint kpi_daily_coach_id_cascade_fkey;
