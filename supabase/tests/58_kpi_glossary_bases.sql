-- The glossary says the base of each number the dashboard shows beside a look-alike on another base (issue #18,
-- "one base per screen"): what get_kpi_definitions() returns to a coach, the texts written by hand.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(8);
\ir helpers/auth.psql

select tests.create_coach('kpi-bases@example.com') as coach \gset
select tests.authenticate_as(:'coach');
select public.get_kpi_definitions() as defs \gset
select tests.clear_authentication();

-- counts of events dated in the period, whatever the day of the first message
select is(:'defs'::jsonb #>> '{qualification.calls_booked,period}',
    'Pendant la période : leads dont le premier « call réservé » est daté dans la période, quel que soit le jour de leur premier message',
    'calls booked: during the period');
select is(:'defs'::jsonb #>> '{qualification.qualified_leads,period}',
    'Pendant la période : leads dont la première qualification est datée dans la période, quel que soit le jour de leur premier message',
    'qualified leads: during the period');
select is(:'defs'::jsonb #>> '{performance.deals_closed,period}',
    'Pendant la période : leads dont la première victoire est datée dans la période, quel que soit le jour de leur premier message',
    'deals closed: during the period');
-- the same steps among the leads first contacted in the period, to this day
select is(:'defs'::jsonb #>> '{qualification.funnel,period}',
    'Parmi les leads contactés pendant la période (premier message envoyé dans la période), à ce jour : l’étape que chacun a atteinte, même après la période',
    'the funnel: among the leads contacted during the period, to this day');
select is(:'defs'::jsonb #>> '{qualification.call_conversion_rate,period}',
    'Parmi les leads contactés pendant la période, à ce jour : gagnés ÷ calls réservés', 'the call conversion: the same base');
select is(:'defs'::jsonb #>> '{qualification.call_booking_rate,denominator}',
    'Leads contactés pendant la période à qui un call a été proposé (à ce jour)', 'the booking rate''s base');
select is(:'defs'::jsonb #>> '{performance.lead_quality_by_source,period}',
    'Parmi les nouveaux leads de la période (créés pendant la période), par source, à ce jour : qualifiés, calls réservés, gagnés et leur chiffre d’affaires',
    'the quality by source: among the new leads of the period');
-- every pair of look-alikes has two different bases
select is((select count(*)::int from (values ('qualification.calls_booked', 'qualification.funnel'),
        ('qualification.qualified_leads', 'qualification.funnel'), ('qualification.calls_proposed', 'qualification.funnel'),
        ('performance.deals_closed', 'qualification.call_conversion_rate'),
        ('qualification.calls_booked', 'performance.lead_quality_by_source')) as p (a, b)
    where :'defs'::jsonb #>> array[p.a, 'period'] is distinct from :'defs'::jsonb #>> array[p.b, 'period']), 5,
    'each pair of look-alike numbers has two different bases');

select * from finish();
rollback;
