-- Purpose: the KPI upkeep's loop runs its passes for 58 s of each minute instead of 50 (default run_seconds), so a change committed near the end of a minute no longer waits up to 15 s for the next minute's first pass (issue #18: a message shows on an open page in < 15 s).

set lock_timeout = '500ms';

create or replace procedure private.kpi_upkeep_loop(in run_seconds integer default 58, in pause_seconds numeric default 5)
language plpgsql
security invoker
as $$
declare
    until_at timestamptz := clock_timestamp() + make_interval(secs => run_seconds);
begin
    loop
        perform private.kpi_upkeep();
        commit;
        exit when clock_timestamp() + make_interval(secs => pause_seconds) > until_at;
        perform pg_catalog.pg_sleep(pause_seconds);
    end loop;
end;
$$;

comment on procedure private.kpi_upkeep_loop(integer, numeric) is
    'Run every minute by pg_cron (job kpi-upkeep): upkeep passes (private.kpi_upkeep) every pause_seconds for run_seconds, each committed on its own. run_seconds 58 by default: the last pass of a minute comes at most about pause_seconds + 2 s before the next minute''s first, so a change waits for a pass about as long at the end of a minute as within it (it was 50: up to 15 s at the end of each minute). No SET clause (transaction control).';

