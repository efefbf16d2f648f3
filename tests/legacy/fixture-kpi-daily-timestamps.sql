-- A legacy kpi_daily that already had created_at and updated_at, nullable (the brief lists its columns as "total_dms,
-- qualified_leads, calls_proposed, calls_booked, etc."): 20261125000900 adds the two NOT NULL only where they are
-- missing, so these stayed nullable until the convergence of 20261206144839-842. Loaded after fixture.sql (its three
-- kpi_daily rows of coaches One and Two) into both upgraded legacy databases; 03_kpi_daily_timestamps_test.sql checks
-- that they end NOT NULL and that every null filled is recorded in private.legacy_values.

alter table public.kpi_daily
    add column created_at timestamptz default now(),
    add column updated_at timestamptz default now();

-- no created_at; updated_at known
update public.kpi_daily set created_at = null, updated_at = '2026-03-03 01:00+00'
where coach_id = '11111111-1111-4111-8111-111111111111' and date = '2026-03-02';
-- no time at all
update public.kpi_daily set created_at = null, updated_at = null
where coach_id = '11111111-1111-4111-8111-111111111111' and date = '2026-03-03';
-- created_at known; no updated_at
update public.kpi_daily set created_at = '2026-03-05 01:00+00', updated_at = null
where coach_id = '22222222-2222-4222-8222-222222222222' and date = '2026-03-04';
