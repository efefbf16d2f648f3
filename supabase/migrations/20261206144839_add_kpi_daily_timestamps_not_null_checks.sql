-- Purpose: step 1 of 4 of the convergence of a legacy kpi_daily's nullable created_at/updated_at to the fresh NOT NULL: checks added NOT VALID.

-- A legacy kpi_daily that already had created_at and updated_at, nullable, kept them so: 20261125000900 adds them
-- (NOT NULL) only where they are missing. The same four online steps as the convergence of 20261201135526-544
-- (docs/upgrade.md, "Convergence"): 1. this file adds a check per column, NOT VALID (a short lock, no scan; rows
-- written from now on are checked); 2. the nulls are filled, originals kept in private.legacy_values; 3. the checks
-- are validated (no lock that blocks readers or writers); 4. NOT NULL is set through them and they are dropped. On a
-- fresh database (the columns are NOT NULL) every step is a no-op in effect. scripts/upgrade/prepare.js fills the
-- nulls (step 2) ahead of the push, so no write between steps 1 and 2 (the kpi_daily rebuild's upsert) meets one.
set lock_timeout = '500ms';

alter table public.kpi_daily
    add constraint kpi_daily_created_at_not_null check (created_at is not null) not valid,
    add constraint kpi_daily_updated_at_not_null check (updated_at is not null) not valid;
