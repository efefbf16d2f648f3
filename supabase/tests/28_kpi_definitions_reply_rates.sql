-- get_kpi_definitions() has one entry per reply rate (reply_rates.1 .. reply_rates.4): the title of each DM's card
-- and the definition of the DM 1 headline tile, written once in French; the trend's entry names the DM 1 reply rate.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(7);
\ir helpers/auth.psql

select tests.create_coach('kpi-defs-rates@example.com') as coach \gset
select tests.authenticate_as(:'coach');
select public.get_kpi_definitions() as defs \gset
select tests.clear_authentication();

select is((select array_agg(d.value ->> 'label' order by d.key) from jsonb_each(:'defs'::jsonb) as d where d.key ~ '^reply_rates\.'),
    array['Réponse au 1er DM', 'Réponse au 2e DM', 'Réponse au 3e DM', 'Réponse au 4e DM'], 'a French title per DM');
select is(:'defs'::jsonb -> 'reply_rates.1', jsonb_build_object(
        'label', 'Réponse au 1er DM',
        'formula', 'Leads ayant répondu au 1er DM ÷ leads ayant reçu le 1er DM. Excellent ≥ 60 %, bon 40–59 %, à améliorer < 40 %',
        'denominator', 'Leads dont le 1er DM a été envoyé pendant la période',
        'period', 'Leads dont le 1er DM a été envoyé pendant la période, qu’ils aient répondu pendant ou après',
        'snapshot', false, 'better', 'higher'),
    'reply_rates.1: its formula, denominator and meaning for a period');
select is(:'defs'::jsonb #>> '{reply_rates.4,denominator}', 'Leads dont le 4e DM a été envoyé pendant la période',
    'reply_rates.4 counts the leads whose 4th DM was sent in the period');
select is((select count(*)::int from jsonb_each(:'defs'::jsonb) as d
           where d.key ~ '^reply_rates\.' and d.value ->> 'better' = 'higher' and not (d.value ->> 'snapshot')::boolean), 4,
    'a higher reply rate is good news; none is a snapshot');
select ok(:'defs'::jsonb #>> '{trend,formula}' like '%leur taux de réponse%', 'the trend names its DM 1 reply rate series');
select is((select number from private.kpi_period_definitions where key = 'reply_rates.3'), 11,
    'reply_rates.N keep the catalog numbers 9 to 12 (docs/kpis.md)');

-- anon still reads nothing
select tests.authenticate_as_anon();
select throws_ok('select public.get_kpi_definitions()', '42501', 'permission denied for function get_kpi_definitions',
    'anon cannot read the glossary');
select tests.clear_authentication();

select * from finish();
rollback;
