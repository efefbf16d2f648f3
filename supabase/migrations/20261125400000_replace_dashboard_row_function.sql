-- Purpose: private.dashboard_row reads the live view only when the materialized view lacks the coach, so a dashboard call no longer plans the live query.

-- Same result as before (the materialized view's row, else the row computed now for a coach newer than the last
-- refresh), but in PL/pgSQL: the SQL version's `union all ... not exists` made every call plan the whole live
-- view (npm run bench, 50 coaches x 10,000 leads: 8-14 ms per call, against 0.2-0.5 ms for this version).
create or replace function private.dashboard_row(target_coach_id uuid)
returns setof private.coach_dashboard_kpis
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return query
    select k.* from private.coach_dashboard_kpis as k where k.coach_id = target_coach_id;
    if not found then
        return query
        select v.* from private.coach_dashboard_kpis_live as v where v.coach_id = target_coach_id;
    end if;
end;
$$;

comment on function private.dashboard_row(uuid) is
    'The KPI row of one coach from the materialized view, or from the live view when the coach is newer than the last refresh (the live query is planned only then).';

revoke all on function private.dashboard_row(uuid) from public;
