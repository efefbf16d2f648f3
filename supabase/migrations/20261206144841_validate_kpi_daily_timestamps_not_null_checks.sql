-- Purpose: step 3 of 4 of the kpi_daily timestamps convergence: the checks of step 1 validated, with no lock that blocks readers or writers.

-- VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE: reads and writes go on while it scans. In its own migration, so
-- the scan never runs under the ACCESS EXCLUSIVE lock of step 1 or 4.
set lock_timeout = '500ms';

alter table public.kpi_daily validate constraint kpi_daily_created_at_not_null;

alter table public.kpi_daily validate constraint kpi_daily_updated_at_not_null;
