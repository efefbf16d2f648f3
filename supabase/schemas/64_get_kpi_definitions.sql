-- get_kpi_definitions: the glossary of period documents.

create or replace function private.kpi_period_definitions_json()
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
    select coalesce(jsonb_object_agg(d.key, jsonb_build_object(
        'label', d.label, 'formula', d.formula, 'denominator', d.denominator, 'period', d.period,
        'snapshot', d.snapshot, 'better', d.better)), '{}'::jsonb)
    from private.kpi_period_definitions as d;
$$;

comment on function private.kpi_period_definitions_json() is
    'The glossary of period documents as {key: KpiDefinitionV2}. Security definer: the table has no grants; nothing in it is per coach, so there is no caller to check beyond the grants (authenticated, service_role).';

revoke execute on function private.kpi_period_definitions_json() from public;
grant execute on function private.kpi_period_definitions_json() to authenticated, service_role;

create or replace function public.get_kpi_definitions()
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select private.kpi_period_definitions_json();
end;

comment on function public.get_kpi_definitions() is
    'The glossary of the period documents of get_dashboard: {"<path of the KPI>": {label, formula, denominator, period, snapshot, better}} (KpiDefinitionV2 of web/src/dashboard-types.ts), French texts. The page fetches it once and caches it.';

revoke execute on function public.get_kpi_definitions() from public, anon;
grant execute on function public.get_kpi_definitions() to authenticated, service_role;
