-- Purpose: step 1 of 4 of the convergence of an upgraded legacy database to the fresh schema: the constraints it lacks, added NOT VALID.

-- A database upgraded from the brief's legacy tables kept what `create table if not exists` skipped: nullable
-- coachs.name/email/created_at, leads.created_at/updated_at and messages.created_at, foreign keys from leads and
-- kpi_daily to coachs without ON DELETE CASCADE, and the legacy messages_lead_id_fkey / messages_coach_id_fkey
-- (docs/upgrade.md, "Convergence"). The four steps: 1. this file adds, NOT VALID, a check per column that must become
-- NOT NULL and the cascading foreign keys under temporary names (each statement a short lock, no scan; new rows are
-- checked from now on); 2. the legacy nulls are filled, their originals kept in private.legacy_values; 3. the
-- constraints are validated (no lock that blocks readers or writers); 4. NOT NULL is set through the validated
-- checks, which spares the scan, and the foreign keys are swapped. On a fresh database every step is a no-op in effect.
set lock_timeout = '500ms';

alter table public.coachs
    add constraint coachs_name_not_null check (name is not null) not valid,
    add constraint coachs_email_not_null check (email is not null) not valid,
    add constraint coachs_created_at_not_null check (created_at is not null) not valid;

alter table public.leads
    add constraint leads_created_at_not_null check (created_at is not null) not valid,
    add constraint leads_updated_at_not_null check (updated_at is not null) not valid;

alter table public.messages
    add constraint messages_created_at_not_null check (created_at is not null) not valid;

alter table public.leads
    add constraint leads_coach_id_cascade_fkey foreign key (coach_id)
        references public.coachs (id) on delete cascade not valid;

alter table public.kpi_daily
    add constraint kpi_daily_coach_id_cascade_fkey foreign key (coach_id)
        references public.coachs (id) on delete cascade not valid;
