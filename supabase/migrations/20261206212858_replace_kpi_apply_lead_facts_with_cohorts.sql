-- Purpose: private.kpi_apply_lead_facts adds the cohort contributions of the leads it recomputes (private.kpi_cohort_facts).

set lock_timeout = '500ms';

create or replace function private.kpi_apply_lead_facts(lead_ids uuid[])
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
set jit = off
as $$
declare
    new_rows private.lead_facts[];
    old_rows private.lead_facts[];
begin
    if lead_ids is null or cardinality(lead_ids) = 0 then
        return 0;
    end if;
    new_rows := array(select f from private.kpi_compute_lead_facts(lead_ids) as f);
    old_rows := array(select f from private.lead_facts as f where f.lead_id = any (lead_ids));
    perform private.kpi_add_contributions(new_rows, old_rows);
    perform private.kpi_add_variant_contributions(new_rows, old_rows);
    perform private.kpi_add_cohort_contributions(new_rows, old_rows);
    perform private.kpi_add_pipeline(new_rows, old_rows);
    delete from private.lead_facts as f where f.lead_id = any (lead_ids);
    insert into private.lead_facts select * from unnest(new_rows);
    -- the follow-up list and the stored documents of the coaches whose facts changed (not those only re-checked)
    perform private.kpi_refresh_follow_up(x.coach_id), private.kpi_refresh_documents(x.coach_id)
    from (
        select distinct coalesce(n.coach_id, o.coach_id) as coach_id
        from unnest(new_rows) as n
        full join unnest(old_rows) as o on o.lead_id = n.lead_id
        where (to_jsonb(n) - 'computed_at') is distinct from (to_jsonb(o) - 'computed_at')
    ) as x;
    return cardinality(lead_ids);
end;
$$;

comment on function private.kpi_apply_lead_facts(uuid[]) is
    'Recomputes private.lead_facts for the given leads (deleted leads lose their row), adds the difference of their contributions to private.kpi_facts, private.kpi_variant_facts, private.kpi_cohort_facts and private.kpi_coach_now, and recomputes the follow-up list and the stored documents of the coaches whose facts changed. The caller holds the upkeep lock. Returns the number of leads.';

revoke execute on function private.kpi_apply_lead_facts(uuid[]) from public;
