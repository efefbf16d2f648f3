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
    -- only the leads whose facts changed (computed_at aside): an unchanged lead adds nothing and keeps its row, so a
    -- walk over leads that did not change writes nothing
    select coalesce(array_agg(c.new_row) filter (where (c.new_row).lead_id is not null), '{}'),
        coalesce(array_agg(c.old_row) filter (where (c.old_row).lead_id is not null), '{}')
    into new_rows, old_rows
    from (
        select n.f as new_row, o.f as old_row
        from (select f from private.kpi_compute_lead_facts(lead_ids) as f) as n
        full join (select f from private.lead_facts as f where f.lead_id = any (lead_ids)) as o
            on (o.f).lead_id = (n.f).lead_id
        where (to_jsonb(n.f) - 'computed_at') is distinct from (to_jsonb(o.f) - 'computed_at')
    ) as c;
    if cardinality(new_rows) + cardinality(old_rows) = 0 then
        return cardinality(lead_ids);
    end if;
    perform private.kpi_add_contributions(new_rows, old_rows);
    perform private.kpi_add_variant_contributions(new_rows, old_rows);
    perform private.kpi_add_cohort_contributions(new_rows, old_rows);
    perform private.kpi_add_pipeline(new_rows, old_rows);
    delete from private.lead_facts as f where f.lead_id = any (array(select o.lead_id from unnest(old_rows) as o));
    insert into private.lead_facts select * from unnest(new_rows);
    -- the follow-up list and the stored documents of the coaches whose facts changed
    perform private.kpi_refresh_follow_up(x.coach_id), private.kpi_refresh_documents(x.coach_id)
    from (
        select n.coach_id from unnest(new_rows) as n
        union
        select o.coach_id from unnest(old_rows) as o
    ) as x;
    return cardinality(lead_ids);
end;
$$;

comment on function private.kpi_apply_lead_facts(uuid[]) is
    'Recomputes private.lead_facts for the given leads and, for those whose facts changed (computed_at aside; deleted leads lose their row), adds the difference of their contributions to private.kpi_facts, private.kpi_variant_facts, private.kpi_cohort_facts and private.kpi_coach_now, rewrites their rows and recomputes the follow-up list and the stored documents of their coaches; an unchanged lead writes nothing (the reconcile walk costs the reads of its leads). The caller holds the upkeep lock. Returns the number of leads.';

revoke execute on function private.kpi_apply_lead_facts(uuid[]) from public;
