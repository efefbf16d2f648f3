-- Purpose: the glossary of period documents gets one entry per reply rate (reply_rates.1 to reply_rates.4: the title of each DM's card, the definition of the DM 1 tile) and the trend's entry names its DM 1 reply rate series.

set local lock_timeout = '3s';
set local statement_timeout = '30s';

insert into private.kpi_period_definitions (key, number, label, formula, denominator, period, snapshot, better, source)
select 'reply_rates.' || n, 8 + n,
    'Réponse au ' || dm,
    format('Leads ayant répondu au %s ÷ leads ayant reçu le %s. Excellent ≥ 60 %%, bon 40–59 %%, à améliorer < 40 %%', dm, dm),
    format('Leads dont le %s a été envoyé pendant la période', dm),
    format('Leads dont le %s a été envoyé pendant la période, qu''ils aient répondu pendant ou après', dm),
    false, 'higher', format('private.kpi_facts.dm%s_replied / dm%s_sent', n, n)
from (values (1, '1er DM'), (2, '2e DM'), (3, '3e DM'), (4, '4e DM')) as x (n, dm);

update private.kpi_period_definitions
set formula = 'Par jour (par semaine du lundi au dimanche au-delà de 90 jours) : nouveaux leads, messages envoyés, '
        || 'premiers messages envoyés, réponses à ces premiers messages et leur taux de réponse (vide sans premier message), '
        || 'qualifications, calls réservés, deals gagnés, chiffre d''affaires ; 0 les jours sans activité'
where key = 'trend';
