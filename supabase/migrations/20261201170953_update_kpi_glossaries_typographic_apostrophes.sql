-- Purpose: the French texts of both KPI glossaries use the typographic apostrophe (’), as the page does.

set lock_timeout = '500ms';

-- The glossaries were written with straight apostrophes (d''affaires), the page with ’ (Aujourd’hui): a card title
-- from SQL sat next to a page text in the other style. Every apostrophe of these French columns is an elision
-- (d’, l’, n’, qu’, s’, jusqu’, aujourd’hui), none a quotation mark. Only the texts a coach reads change: source
-- names SQL objects. Both tables are private, small (about 50 rows each) and written only by migrations.
update private.kpi_period_definitions
set label = pg_catalog.replace(label, '''', '’'),
    formula = pg_catalog.replace(formula, '''', '’'),
    denominator = pg_catalog.replace(denominator, '''', '’'),
    period = pg_catalog.replace(period, '''', '’')
where pg_catalog.concat(label, formula, denominator, period) like '%''%';

update private.kpi_definitions
set label = pg_catalog.replace(label, '''', '’'),
    formula = pg_catalog.replace(formula, '''', '’'),
    denominator = pg_catalog.replace(denominator, '''', '’')
where pg_catalog.concat(label, formula, denominator) like '%''%';
