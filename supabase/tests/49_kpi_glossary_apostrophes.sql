-- The French texts of both KPI glossaries use the typographic apostrophe (’) as the page does, in what each actor
-- reads: get_kpi_definitions() (coach, admin, service_role), the legacy document's definitions (coach); anon reads none.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(9);
\ir helpers/auth.psql

select tests.create_coach('kpi-apostrophes@example.com') as coach \gset
select tests.create_user('kpi-apostrophes-admin@example.com', '{"role": "admin"}') as admin \gset

-- coach A
select tests.authenticate_as(:'coach');
select public.get_kpi_definitions() as defs \gset
select public.get_dashboard() -> 'definitions' as legacy \gset
select tests.clear_authentication();

select is((select count(*)::int from jsonb_each(:'defs'::jsonb) as d,
           jsonb_each_text(d.value - 'snapshot' - 'better') as t where t.value like '%''%'), 0,
    'coach: no straight apostrophe in any label, formula, denominator or period of get_kpi_definitions()');
select is(:'defs'::jsonb #>> '{performance.revenue,label}', 'Chiffre d’affaires', 'coach: "Chiffre d’affaires"');
select is(:'defs'::jsonb #>> '{performance.ai_efficiency,label}', 'Efficacité de l’IA', 'coach: "Efficacité de l’IA"');
select is(:'defs'::jsonb #>> '{demographics.average_age,formula}',
    'Moyenne d’âge des nouveaux leads dont l’âge est connu, à 1 décimale', 'coach: two elisions in one formula');
select is((select count(*)::int from jsonb_each(:'legacy'::jsonb) as d, jsonb_each_text(d.value) as t
           where t.value like '%''%'), 0, 'coach: none in the legacy document''s definitions either');
select is(:'legacy'::jsonb #>> '{activity.leads_today,label}', 'Leads aujourd’hui', 'coach: legacy "Leads aujourd’hui"');

-- admin
select tests.authenticate_as(:'admin');
select is(public.get_kpi_definitions() #>> '{performance.acquisition_cost,label}', 'Coût d’acquisition',
    'admin: the same glossary');
select tests.clear_authentication();

-- service_role
select tests.authenticate_as_service_role();
select is(public.get_kpi_definitions() #>> '{qualification.no_show_rate,formula}',
    'Calls où le lead ne s’est pas présenté ÷ calls dont l’issue est connue ; sans issue connue, le taux par défaut du coach (estimé)',
    'service_role: the same glossary');
select tests.clear_authentication();

-- anon
select tests.authenticate_as_anon();
select throws_ok('select public.get_kpi_definitions()', '42501', 'permission denied for function get_kpi_definitions',
    'anon reads no glossary');
select tests.clear_authentication();

select * from finish();
rollback;
