-- Purpose: deleting coaches waits for the KPI facts' writer lock first, so it cannot deadlock with the upkeep or the reconciling walk.

set lock_timeout = '500ms';

-- Every writer of the KPI facts (private.kpi_upkeep, private.kpi_walk, private.kpi_rebuild) takes the transaction-level
-- advisory lock private.kpi_upkeep_lock() first, then writes lead_facts/kpi_facts rows, whose foreign keys take a KEY
-- SHARE lock on their coach. A DELETE of a coach locks the coach row first, then its cascade deletes those facts rows:
-- with a pass writing the same coach's facts at that moment, each waited for the other (40P01, one side cancelled).
-- Taking the advisory lock before any row is locked gives both the same order: the delete waits for the pass in
-- progress (one pass, well under a second), then the pass after it finds the coach gone.
create or replace function private.kpi_lock_before_coach_delete()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
    perform pg_catalog.pg_advisory_xact_lock(private.kpi_upkeep_lock());
    return null;
end;
$$;

comment on function private.kpi_lock_before_coach_delete() is
    'Statement trigger function before DELETE on coachs: takes the KPI facts writers'' advisory lock (private.kpi_upkeep_lock()) before any row is locked, so a coach deletion and an upkeep pass cannot deadlock.';

revoke all on function private.kpi_lock_before_coach_delete() from public, anon, authenticated, service_role;

-- A BEFORE statement trigger on coachs: the SHARE ROW EXCLUSIVE lock of CREATE TRIGGER on this one table, at most
-- 500 ms of waiting (scripts/upgrade/push.sh pushes again when it gives up).
create trigger coachs_kpi_lock_before_delete
    before delete on public.coachs
    for each statement execute function private.kpi_lock_before_coach_delete();

comment on trigger coachs_kpi_lock_before_delete on public.coachs is
    'Before a DELETE on coachs, waits for the KPI facts writers'' advisory lock: same lock order as the upkeep, no deadlock.';
