-- Purpose: the glossary of period documents says the base of every number the dashboard shows beside a look-alike on another base (issue #18, "one base per screen"), in the page's own words.

set lock_timeout = '500ms';

-- On one screen, "Calls réservés 23" (the tiles: calls booked during the period) sat next to the funnel's 22 (the
-- leads first contacted during the period who booked a call to this day), qualified 55 vs 54, calls proposed 32 vs
-- 31, deals 9 vs the call conversion's "8". Both sides are right, on different bases. The page now writes the base
-- under each ("pendant la période", "parmi les leads contactés pendant la période, à ce jour", "parmi les nouveaux
-- leads de la période, à ce jour", "aujourd’hui, quelle que soit la période": web/src/labels.js, BASES), and the
-- definitions behind the "i" say the same: the period text (what a count counts, `period`) and the base of a rate
-- (`denominator`). Only texts change; private.kpi_period_definitions is private, about 60 rows, written only by
-- migrations.
update private.kpi_period_definitions as d
set period = v.period, denominator = coalesce(v.denominator, d.denominator)
from (values
    ('qualification.qualified_leads',
        'Pendant la période : leads dont la première qualification est datée dans la période, quel que soit le jour de leur premier message', null),
    ('qualification.calls_proposed',
        'Pendant la période : leads dont le premier « call proposé » est daté dans la période, quel que soit le jour de leur premier message', null),
    ('qualification.calls_booked',
        'Pendant la période : leads dont le premier « call réservé » est daté dans la période, quel que soit le jour de leur premier message', null),
    ('performance.deals_closed',
        'Pendant la période : leads dont la première victoire est datée dans la période, quel que soit le jour de leur premier message', null),
    ('qualification.funnel',
        'Parmi les leads contactés pendant la période (premier message envoyé dans la période), à ce jour : l’étape que chacun a atteinte, même après la période',
        'L’étape précédente, parmi les leads contactés pendant la période'),
    ('qualification.qualification_rate',
        'Parmi les leads contactés pendant la période, à ce jour',
        'Leads contactés pendant la période (premier message envoyé dans la période)'),
    ('qualification.call_booking_rate',
        'Parmi les leads contactés pendant la période, à ce jour : calls réservés ÷ calls proposés',
        'Leads contactés pendant la période à qui un call a été proposé (à ce jour)'),
    ('qualification.call_conversion_rate',
        'Parmi les leads contactés pendant la période, à ce jour : gagnés ÷ calls réservés',
        'Leads contactés pendant la période qui ont réservé un call (à ce jour)'),
    ('performance.lead_quality_by_source',
        'Parmi les nouveaux leads de la période (créés pendant la période), par source, à ce jour : qualifiés, calls réservés, gagnés et leur chiffre d’affaires',
        null)
) as v (key, period, denominator)
where d.key = v.key;
