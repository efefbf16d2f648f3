-- Purpose: get_dashboard_version(coach_id), the tiny RPC the page polls every 5 s for the version of a coach's numbers (reload the document only when it changed) and the upkeep's last pass; security invoker over the private security definer private.dashboard_version.

set lock_timeout = '500ms';

create or replace function private.dashboard_version(coach_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
    select pg_catalog.jsonb_build_object(
        'version', (
            select pg_catalog.concat_ws('/', (extract(epoch from pg_catalog.max(d.computed_at)) * 1000000)::bigint,
                private.kpi_settings_version(t.id))
            from private.kpi_documents as d
            where d.coach_id = t.id),
        'last_updated', (select u.last_pass_at from private.kpi_upkeep_state as u),
        'now', pg_catalog.now())
    from (select private.check_coach_access(dashboard_version.coach_id) as id) as t;
$$;

comment on function private.dashboard_version(uuid) is
    'get_dashboard_version''s body: checks the caller (private.check_coach_access), then {version, last_updated, now}: version is the time (epoch microseconds) the upkeep last computed the coach''s stored period documents (private.kpi_documents.computed_at, which moves whenever its facts, its local day or its settings change) then, after a slash, the version of its settings (private.kpi_settings_version, which moves at once when they are saved); last_updated the last upkeep pass (private.kpi_upkeep_state.last_pass_at, as in the period documents); now the server''s clock. Security definer: reads the private tables after the check.';

revoke execute on function private.dashboard_version(uuid) from public;
grant execute on function private.dashboard_version(uuid) to authenticated, service_role;

create or replace function public.get_dashboard_version(coach_id uuid default auth.uid())
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select private.dashboard_version(get_dashboard_version.coach_id);
end;

comment on function public.get_dashboard_version(uuid) is
    'The version of a coach''s dashboard numbers (default: the caller), for a page that keeps them current: {version: text (changes whenever get_dashboard would answer another document for a preset period), last_updated: the last KPI upkeep pass (null before the first), now: the server''s clock}. A few index reads, no document: poll it and call get_dashboard only when version changed; after a change made at time t, a pass with last_updated >= t has counted it. Errors as get_dashboard: 42501 another coach''s id (admins may ask for any coach), 22004 no coach id, PT404 unknown coach (404).';

revoke execute on function public.get_dashboard_version(uuid) from public, anon;
grant execute on function public.get_dashboard_version(uuid) to authenticated, service_role;
