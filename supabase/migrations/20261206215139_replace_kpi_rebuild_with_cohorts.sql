-- Purpose: private.kpi_rebuild empties the coach's cohort facts before it adds every lead again.

set lock_timeout = '500ms';

create or replace function private.kpi_rebuild(target_coach uuid, chunk integer default 5000)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
set jit = off
as $$
declare
    ids uuid[];
    done integer := 0;
begin
    perform pg_advisory_xact_lock(private.kpi_upkeep_lock());
    delete from private.kpi_facts as k where k.coach_id = target_coach;
    delete from private.kpi_variant_facts as k where k.coach_id = target_coach;
    delete from private.kpi_cohort_facts as k where k.coach_id = target_coach;
    delete from private.kpi_coach_now as k where k.coach_id = target_coach;
    delete from private.lead_facts as f where f.coach_id = target_coach;
    ids := array(select l.id from public.leads as l where l.coach_id = target_coach order by l.id);
    for position in 1..coalesce(cardinality(ids), 0) by chunk loop
        done := done + private.kpi_apply_lead_facts(ids[position:position + chunk - 1]);
    end loop;
    perform private.kpi_refresh_windows(target_coach), private.kpi_refresh_follow_up(target_coach),
        private.kpi_refresh_documents(target_coach);
    return done;
end;
$$;

comment on function private.kpi_rebuild(uuid, integer) is
    'Rebuilds a coach''s KPI facts from scratch (lead facts, day and month sums, variant sums, cohort sums, current pipeline) from the source tables, chunk leads at a time, in one transaction. Equal to the incremental state (pgTAP 23). Returns the leads rebuilt.';

revoke execute on function private.kpi_rebuild(uuid, integer) from public;
