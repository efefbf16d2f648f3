-- Purpose: one definition per KPI (French label, formula in words, denominator, SQL source), served with get_dashboard.

create table private.kpi_definitions (
    key text primary key,
    number integer,
    label text not null,
    formula text not null,
    denominator text,
    source text not null
);

comment on table private.kpi_definitions is
    'Glossary of the dashboard: one row per key of the get_dashboard document (section.field). get_dashboard returns it as "definitions"; docs/kpis.md is generated from it.';
comment on column private.kpi_definitions.key is 'Path of the KPI in the get_dashboard document, e.g. activity.messages_sent.';
comment on column private.kpi_definitions.number is 'Number of the KPI in the catalog (issue 3 / docs/kpis.md); null for supporting values.';
comment on column private.kpi_definitions.label is 'French label shown on the card.';
comment on column private.kpi_definitions.formula is 'French, the formula in words.';
comment on column private.kpi_definitions.denominator is 'French, what a rate is "of"; null for counts and amounts.';
comment on column private.kpi_definitions.source is 'SQL object that computes it.';

revoke all on private.kpi_definitions from public, anon, authenticated;

insert into private.kpi_definitions (key, number, label, formula, denominator, source) values
    ('activity.messages_sent', 1, 'Messages envoyés', 'Nombre de messages sortants (envoyés par le setter)', null, 'private.coach_dashboard_kpis.messages_sent'),
    ('activity.messages_received', 2, 'Messages reçus', 'Nombre de messages entrants (envoyés par les leads)', null, 'private.coach_dashboard_kpis.messages_received'),
    ('activity.total_leads', 3, 'Leads au total', 'Nombre de leads du coach', null, 'private.coach_dashboard_kpis.total_leads'),
    ('activity.leads_today', 4, 'Leads aujourd''hui', 'Leads créés aujourd''hui (fuseau horaire du coach)', null, 'public.get_dashboard (calculé à l''appel)'),
    ('activity.leads_week', 5, 'Leads sur 7 jours', 'Leads créés aujourd''hui et les 6 jours précédents (fuseau du coach)', null, 'public.get_dashboard (calculé à l''appel)'),
    ('activity.leads_change', 5, 'Évolution des nouveaux leads', '(leads des 7 derniers jours − leads des 7 jours d''avant) ÷ leads des 7 jours d''avant', 'Leads des 7 jours précédents', 'public.get_dashboard + public.kpi_daily.new_leads'),
    ('activity.messages_sent_change', 1, 'Évolution des messages envoyés', '(messages envoyés sur 7 jours − messages des 7 jours d''avant) ÷ messages des 7 jours d''avant', 'Messages envoyés des 7 jours précédents', 'public.get_dashboard + public.kpi_daily.total_dms'),
    ('activity.avg_messages_per_lead', 6, 'Messages par lead', '(messages envoyés + messages reçus) ÷ nombre de leads, à 1 décimale', 'Leads au total', 'private.coach_dashboard_kpis'),
    ('activity.top_sources', 7, 'Top 3 des sources', 'Les 3 sources qui amènent le plus de leads, avec leur part', 'Leads au total', 'public.get_top_sources'),
    ('activity.avg_time_to_action_minutes', 8, 'Temps moyen avant action', 'Moyenne, arrondie à la minute, du temps avant action des leads qui en ont un', 'Leads avec un temps avant action', 'private.coach_dashboard_kpis.avg_time_to_action_minutes'),
    ('reply_rates', 9, 'Taux de réponse des messages 1 à 4', 'Pour chaque message N de la séquence : leads ayant répondu au message N ÷ leads ayant reçu le message N. Excellent ≥ 60 %, bon 40–59 %, à améliorer < 40 %', 'Leads ayant reçu le message N', 'public.get_response_rates (message_sequences)'),
    ('qualification.qualified_leads', 13, 'Leads qualifiés', 'Leads ayant atteint au moins une fois le statut qualifié ou un statut plus avancé', null, 'private.coach_dashboard_kpis.qualified_leads (lead_status_events)'),
    ('qualification.qualification_rate', 14, 'Taux de qualification', 'Leads qualifiés ÷ leads au total', 'Leads au total', 'private.coach_dashboard_kpis'),
    ('qualification.lead_magnets_sent', 15, 'Lead magnets envoyés', 'Leads à qui un lead magnet a été envoyé', null, 'private.coach_dashboard_kpis.lead_magnets_sent'),
    ('qualification.emails_captured', 16, 'Emails récupérés', 'Leads dont l''email est connu', null, 'private.coach_dashboard_kpis.emails_captured'),
    ('qualification.calls_proposed', 17, 'Calls proposés', 'Leads ayant atteint au moins une fois « call proposé » ou plus', null, 'private.coach_dashboard_kpis.calls_proposed (lead_status_events)'),
    ('qualification.calls_booked', 18, 'Calls réservés', 'Leads ayant atteint au moins une fois « call réservé » ou plus', null, 'private.coach_dashboard_kpis.calls_booked (lead_status_events)'),
    ('qualification.funnel', 19, 'Entonnoir de conversion', 'Leads contactés (au moins un message envoyé) → qualifiés → calls proposés → calls réservés ; chaque étape en % de la précédente', 'L''étape précédente', 'public.get_dashboard (private.coach_dashboard_kpis)'),
    ('qualification.call_booking_rate', 20, 'Taux de réservation de call', 'Calls réservés ÷ calls proposés', 'Calls proposés', 'private.coach_dashboard_kpis'),
    ('qualification.call_conversion_rate', 21, 'Taux de conversion des calls', 'Leads gagnés (au moins une fois) ÷ calls réservés', 'Calls réservés', 'private.coach_dashboard_kpis'),
    ('qualification.no_show_rate', 22, 'Taux de no-show', 'Calls où le lead ne s''est pas présenté ÷ calls dont l''issue est connue ; sans issue connue, le taux par défaut du coach (estimé)', 'Calls dont l''issue est connue', 'private.coach_dashboard_kpis + public.coach_settings.default_no_show_rate'),
    ('demographics.men', 23, 'Hommes', 'Leads hommes ÷ leads dont le genre est connu', 'Leads dont le genre est connu', 'private.coach_dashboard_kpis'),
    ('demographics.women', 24, 'Femmes', 'Leads femmes ÷ leads dont le genre est connu', 'Leads dont le genre est connu', 'private.coach_dashboard_kpis'),
    ('demographics.other', 25, 'Autre', 'Leads d''un autre genre ÷ leads dont le genre est connu', 'Leads dont le genre est connu', 'private.coach_dashboard_kpis'),
    ('demographics.unknown_gender', 25, 'Genre inconnu', 'Leads dont le genre n''est pas connu', null, 'private.coach_dashboard_kpis'),
    ('demographics.average_age', 26, 'Âge moyen', 'Moyenne d''âge des leads dont l''âge est connu, à 1 décimale', 'Leads dont l''âge est connu', 'private.coach_dashboard_kpis.average_age'),
    ('demographics.top_professions', 27, 'Top 5 des métiers', 'Les 5 métiers les plus fréquents (sans espaces superflus, en minuscules), avec leur part', 'Leads dont le métier est connu', 'public.get_top_professions'),
    ('pipeline.new_leads', 28, 'Nouveaux leads', 'Leads actuellement au statut nouveau', null, 'private.coach_dashboard_kpis'),
    ('pipeline.engaged_leads', 29, 'Leads engagés', 'Leads actuellement au statut engagé', null, 'private.coach_dashboard_kpis'),
    ('pipeline.won_leads', 30, 'Leads gagnés', 'Leads actuellement au statut gagné', null, 'private.coach_dashboard_kpis'),
    ('pipeline.lost_leads', 31, 'Leads perdus', 'Leads actuellement au statut perdu', null, 'private.coach_dashboard_kpis'),
    ('pipeline.lost_rate', 31, 'Taux de perte', 'Leads perdus ÷ leads au total', 'Leads au total', 'private.coach_dashboard_kpis'),
    ('pipeline.relance_leads', null, 'Leads en relance', 'Leads actuellement au statut relance', null, 'private.coach_dashboard_kpis'),
    ('pipeline.leads_to_follow_up', 32, 'Leads à relancer', 'Nombre de leads de la liste de relance', null, 'public.get_leads_to_followup (calculé à l''appel)'),
    ('pipeline.follow_up_rate', 32, 'Taux de leads à relancer', 'Leads à relancer ÷ leads ouverts (ni gagnés ni perdus)', 'Leads ouverts', 'public.get_leads_to_followup (calculé à l''appel)'),
    ('pipeline.follow_up', 33, 'Liste de relance', 'Leads ouverts sans contact depuis trop longtemps, par priorité (haute, moyenne, basse) puis du plus ancien contact au plus récent', null, 'public.get_leads_to_followup (calculé à l''appel)'),
    ('pipeline.lost_reasons', 34, 'Top 5 des raisons de perte', 'Les 5 raisons de perte les plus fréquentes, avec leur part', 'Leads perdus dont la raison est connue', 'private.coach_dashboard_kpis.lost_reasons'),
    ('performance.revenue', 35, 'Chiffre d''affaires', 'Somme des valeurs des deals des leads gagnés', null, 'private.coach_dashboard_kpis.revenue'),
    ('performance.deals_closed', 36, 'Deals conclus', 'Leads actuellement gagnés', null, 'private.coach_dashboard_kpis.deals_closed'),
    ('performance.average_deal_value', 37, 'Panier moyen', 'Moyenne des valeurs des deals gagnés qui en ont une', 'Deals gagnés avec une valeur', 'private.coach_dashboard_kpis.average_deal_value'),
    ('performance.setter_cost', null, 'Coût du setter', 'Coût mensuel du setter (réglage du coach) × périodes de 30 jours commencées depuis le premier lead (au moins 1)', null, 'public.get_dashboard + public.coach_settings.setter_monthly_cost'),
    ('performance.acquisition_cost', 38, 'Coût d''acquisition', 'Coût du setter ÷ deals conclus', 'Deals conclus', 'public.get_dashboard'),
    ('performance.roi', 39, 'ROI', '(chiffre d''affaires − coût du setter) ÷ coût du setter', 'Coût du setter', 'public.get_dashboard'),
    ('performance.ai_efficiency', 40, 'Efficacité de l''IA', 'Messages reçus suivis d''une réponse du setter ÷ messages reçus', 'Messages reçus', 'private.coach_dashboard_kpis.inbound_answered'),
    ('performance.time_saved', 41, 'Temps gagné', 'Messages envoyés sur les 30 derniers jours × minutes par message manuel (réglage du coach), en heures', null, 'private.coach_dashboard_kpis.messages_sent_30d + public.coach_settings.minutes_per_manual_message'),
    ('performance.best_conversion_moment', 42, 'Meilleur moment de conversion', 'Jour de la semaine et heure (fuseau du coach) où le plus de calls ont été réservés ou de deals gagnés', null, 'private.coach_dashboard_kpis.best_conversion_moment'),
    ('performance.lead_quality_by_source', 43, 'Qualité des leads par source', 'Pour chaque source : leads → qualifiés → calls réservés → gagnés → chiffre d''affaires, avec le taux de chaque étape', 'L''étape précédente', 'private.coach_dashboard_kpis.lead_quality_by_source'),
    ('performance.speed_to_lead', 44, 'Délai de réponse', 'Médiane et 90e centile des minutes entre le premier message d''un lead et la réponse suivante du setter, sur 30 jours', 'Messages de lead ayant reçu une réponse', 'private.coach_dashboard_kpis.speed_median_minutes');
