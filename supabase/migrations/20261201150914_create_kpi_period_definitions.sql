-- Purpose: the glossary of period documents (private.kpi_period_definitions): each KPI's meaning for a period, written once, served by get_kpi_definitions() (cached by the page, not carried in every document).

set local lock_timeout = '3s';
set local statement_timeout = '30s';

create table private.kpi_period_definitions (
    key text primary key,
    number integer,
    label text not null,
    formula text not null,
    denominator text,
    period text,
    snapshot boolean not null default false,
    better text,
    source text not null,
    constraint kpi_period_definitions_better_valid check (better is null or better in ('higher', 'lower')),
    constraint kpi_period_definitions_snapshot_period check (snapshot = (period is null))
);

comment on table private.kpi_period_definitions is
    'Glossary of the period document (PeriodDashboard): one row per KPI path. get_kpi_definitions() returns it; docs/kpis.md is generated from it. The legacy document keeps its own glossary (private.kpi_definitions).';
comment on column private.kpi_period_definitions.key is 'Path of the KPI in the period document, e.g. activity.new_leads.';
comment on column private.kpi_period_definitions.number is 'Number of the KPI in the catalog (docs/kpis.md); null for supporting values.';
comment on column private.kpi_period_definitions.label is 'French label shown on the card.';
comment on column private.kpi_period_definitions.formula is 'French, the formula in words.';
comment on column private.kpi_period_definitions.denominator is 'French, what a rate is "of"; null for counts and amounts.';
comment on column private.kpi_period_definitions.period is 'French, what the KPI counts for a period; null for a snapshot.';
comment on column private.kpi_period_definitions.snapshot is 'True: the value is "now", whatever the period (current pipeline, follow-up list).';
comment on column private.kpi_period_definitions.better is 'Which direction of change is good: higher, lower, or null for neither.';
comment on column private.kpi_period_definitions.source is 'What computes it (facts column or SQL object).';

revoke all on private.kpi_period_definitions from public, anon, authenticated;

insert into private.kpi_period_definitions (key, number, label, formula, denominator, period, snapshot, better, source) values
    ('activity.new_leads', 3, 'Nouveaux leads', 'Nombre de leads créés', null, 'Leads créés pendant la période (jour de création dans le fuseau du coach)', false, 'higher', 'private.kpi_facts.new_leads'),
    ('activity.messages_sent', 1, 'Messages envoyés', 'Nombre de messages sortants (envoyés par le setter)', null, 'Messages envoyés pendant la période', false, 'higher', 'private.kpi_facts.messages_sent'),
    ('activity.messages_received', 2, 'Messages reçus', 'Nombre de messages entrants (envoyés par les leads)', null, 'Messages reçus pendant la période', false, null, 'private.kpi_facts.messages_received'),
    ('activity.avg_messages_per_lead', 6, 'Messages par lead', 'Messages échangés à ce jour (envoyés et reçus) avec les nouveaux leads ÷ nouveaux leads, à 1 décimale', 'Nouveaux leads de la période', 'Conversations des leads créés pendant la période', false, null, 'private.kpi_facts.cohort_messages / new_leads'),
    ('activity.top_sources', 7, 'Top 3 des sources', 'Les 3 sources qui amènent le plus de nouveaux leads, avec leur part', 'Nouveaux leads de la période', 'Leads créés pendant la période, par source', false, null, 'private.kpi_facts.sources'),
    ('activity.avg_time_to_action_minutes', 8, 'Temps moyen avant action', 'Moyenne, arrondie à la minute, du temps avant action des nouveaux leads qui en ont un', 'Nouveaux leads avec un temps avant action', 'Leads créés pendant la période', false, 'lower', 'private.kpi_facts.tta_sum / tta_count'),
    ('reply_rates', 9, 'Taux de réponse des messages 1 à 4', 'Pour chaque message N de la séquence : leads ayant répondu au message N ÷ leads ayant reçu le message N. Excellent ≥ 60 %, bon 40–59 %, à améliorer < 40 %', 'Leads dont le message N a été envoyé pendant la période', 'Leads dont le message N a été envoyé pendant la période, qu''ils aient répondu pendant ou après', false, 'higher', 'private.kpi_facts.dmN_replied / dmN_sent'),
    ('qualification.qualified_leads', 13, 'Leads qualifiés', 'Leads ayant atteint pour la première fois le statut qualifié ou un statut plus avancé', null, 'Premières qualifications datées dans la période', false, 'higher', 'private.kpi_facts.qualified'),
    ('qualification.qualification_rate', 14, 'Taux de qualification', 'Leads contactés devenus qualifiés (à ce jour) ÷ leads contactés', 'Leads dont le premier message a été envoyé pendant la période', 'Leads dont le premier message a été envoyé pendant la période', false, 'higher', 'private.kpi_facts.cohort_qualified / dm1_sent'),
    ('qualification.lead_magnets_sent', 15, 'Lead magnets envoyés', 'Lead magnets envoyés', null, 'Lead magnets envoyés pendant la période', false, 'higher', 'private.kpi_facts.lead_magnets'),
    ('qualification.emails_captured', 16, 'Emails récupérés', 'Nouveaux leads dont l''email est connu (à ce jour)', null, 'Leads créés pendant la période', false, 'higher', 'private.kpi_facts.emails'),
    ('qualification.calls_proposed', 17, 'Calls proposés', 'Leads ayant atteint pour la première fois « call proposé » ou plus', null, 'Premiers « call proposé » datés dans la période', false, 'higher', 'private.kpi_facts.calls_proposed'),
    ('qualification.calls_booked', 18, 'Calls réservés', 'Leads ayant atteint pour la première fois « call réservé » ou plus', null, 'Premiers « call réservé » datés dans la période', false, 'higher', 'private.kpi_facts.calls_booked'),
    ('qualification.funnel', 19, 'Entonnoir de conversion', 'Leads contactés → qualifiés → calls proposés → calls réservés (étapes atteintes à ce jour) ; chaque étape en % de la précédente', 'L''étape précédente', 'Leads dont le premier message a été envoyé pendant la période', false, 'higher', 'private.kpi_facts.dm1_sent, cohort_qualified, cohort_proposed, cohort_booked'),
    ('qualification.call_booking_rate', 20, 'Taux de réservation de call', 'Calls réservés ÷ calls proposés, parmi les leads contactés pendant la période (à ce jour)', 'Leads contactés pendant la période ayant eu un call proposé', 'Leads dont le premier message a été envoyé pendant la période', false, 'higher', 'private.kpi_facts.cohort_booked / cohort_proposed'),
    ('qualification.call_conversion_rate', 21, 'Taux de conversion des calls', 'Leads gagnés ÷ calls réservés, parmi les leads contactés pendant la période (à ce jour)', 'Leads contactés pendant la période ayant réservé un call', 'Leads dont le premier message a été envoyé pendant la période', false, 'higher', 'private.kpi_facts.cohort_won / cohort_booked'),
    ('qualification.no_show_rate', 22, 'Taux de no-show', 'Calls où le lead ne s''est pas présenté ÷ calls dont l''issue est connue ; sans issue connue, le taux par défaut du coach (estimé)', 'Calls réservés pendant la période dont l''issue est connue', 'Calls réservés (première fois) pendant la période', false, 'lower', 'private.kpi_facts.no_shows / call_outcomes + public.coach_settings.default_no_show_rate'),
    ('demographics.men', 23, 'Hommes', 'Nouveaux leads hommes ÷ nouveaux leads dont le genre est connu', 'Nouveaux leads dont le genre est connu', 'Leads créés pendant la période', false, null, 'private.kpi_facts.men'),
    ('demographics.women', 24, 'Femmes', 'Nouveaux leads femmes ÷ nouveaux leads dont le genre est connu', 'Nouveaux leads dont le genre est connu', 'Leads créés pendant la période', false, null, 'private.kpi_facts.women'),
    ('demographics.other', 25, 'Autre', 'Nouveaux leads d''un autre genre ÷ nouveaux leads dont le genre est connu', 'Nouveaux leads dont le genre est connu', 'Leads créés pendant la période', false, null, 'private.kpi_facts.other_gender'),
    ('demographics.unknown_gender', 25, 'Genre inconnu', 'Nouveaux leads dont le genre n''est pas connu', null, 'Leads créés pendant la période', false, null, 'private.kpi_facts.unknown_gender'),
    ('demographics.average_age', 26, 'Âge moyen', 'Moyenne d''âge des nouveaux leads dont l''âge est connu, à 1 décimale', 'Nouveaux leads dont l''âge est connu', 'Leads créés pendant la période', false, null, 'private.kpi_facts.age_sum / age_count'),
    ('demographics.top_professions', 27, 'Top 5 des métiers', 'Les 5 métiers les plus fréquents des nouveaux leads (sans espaces superflus, en minuscules), avec leur part', 'Nouveaux leads dont le métier est connu', 'Leads créés pendant la période', false, null, 'private.kpi_facts.professions'),
    ('pipeline.new_leads', 28, 'Leads au statut nouveau', 'Leads actuellement au statut nouveau', null, null, true, null, 'private.kpi_coach_now.new_leads'),
    ('pipeline.engaged_leads', 29, 'Leads engagés', 'Leads actuellement au statut engagé', null, null, true, null, 'private.kpi_coach_now.engaged_leads'),
    ('pipeline.won_leads', 30, 'Leads gagnés', 'Leads actuellement au statut gagné', null, null, true, null, 'private.kpi_coach_now.won_leads'),
    ('pipeline.lost_leads', 31, 'Leads perdus', 'Leads actuellement au statut perdu', null, null, true, null, 'private.kpi_coach_now.lost_leads'),
    ('pipeline.relance_leads', null, 'Leads en relance', 'Leads actuellement au statut relance', null, null, true, null, 'private.kpi_coach_now.relance_leads'),
    ('pipeline.leads_to_follow_up', 32, 'Leads à relancer', 'Nombre de leads de la liste de relance', null, null, true, 'lower', 'private.kpi_follow_up_count'),
    ('pipeline.follow_up_rate', 32, 'Taux de leads à relancer', 'Leads à relancer ÷ leads ouverts (ni gagnés ni perdus)', 'Leads ouverts', null, true, 'lower', 'private.kpi_follow_up_count + private.kpi_coach_now'),
    ('pipeline.follow_up', 33, 'Liste de relance', 'Leads ouverts sans contact depuis trop longtemps, par priorité (haute, moyenne, basse) puis du plus ancien contact au plus récent ; les 100 plus urgents', null, null, true, null, 'private.kpi_follow_up_top (private.lead_facts)'),
    ('pipeline.follow_up_as_of', null, 'Liste de relance à jour au', 'Heure de la dernière mise à jour des faits dont la liste de relance est tirée (quelques secondes de retard, 5 minutes au plus)', null, null, true, null, 'private.kpi_upkeep_state.last_pass_at'),
    ('pipeline.lost_in_period', 31, 'Leads perdus sur la période', 'Leads devenus perdus pour la première fois', null, 'Pertes datées dans la période', false, 'lower', 'private.kpi_facts.lost'),
    ('pipeline.lost_rate', 31, 'Taux de perte', 'Leads contactés devenus perdus (à ce jour) ÷ leads contactés', 'Leads dont le premier message a été envoyé pendant la période', 'Leads dont le premier message a été envoyé pendant la période', false, 'lower', 'private.kpi_facts.cohort_lost / dm1_sent'),
    ('pipeline.lost_reasons', 34, 'Top 5 des raisons de perte', 'Les 5 raisons de perte les plus fréquentes, avec leur part', 'Leads perdus pendant la période dont la raison est connue', 'Leads devenus perdus pendant la période', false, null, 'private.kpi_facts.lost_reasons'),
    ('performance.revenue', 35, 'Chiffre d''affaires', 'Somme des valeurs des deals gagnés', null, 'Deals gagnés pendant la période (jour de la première victoire)', false, 'higher', 'private.kpi_facts.revenue'),
    ('performance.deals_closed', 36, 'Deals conclus', 'Leads gagnés pour la première fois', null, 'Victoires datées dans la période', false, 'higher', 'private.kpi_facts.deals_won'),
    ('performance.average_deal_value', 37, 'Panier moyen', 'Chiffre d''affaires ÷ deals gagnés qui ont une valeur', 'Deals gagnés pendant la période avec une valeur', 'Deals gagnés pendant la période', false, 'higher', 'private.kpi_facts.revenue / won_valued'),
    ('performance.setter_cost', null, 'Coût du setter', 'Coût mensuel du setter (réglage du coach) × jours de la période ÷ 30 ; sur tout l''historique, × périodes de 30 jours commencées depuis le premier lead (au moins 1)', null, 'Coût du setter sur la période', false, null, 'public.coach_settings.setter_monthly_cost'),
    ('performance.setter_cost_estimated', null, 'Coût du setter estimé', 'Vrai tant que le coach n''a pas donné lui-même le coût mensuel de son setter (réglage par défaut)', null, null, true, null, 'public.coach_settings.setter_cost_confirmed_at'),
    ('performance.acquisition_cost', 38, 'Coût d''acquisition', 'Coût du setter de la période ÷ deals conclus pendant la période', 'Deals conclus pendant la période', 'Deals conclus pendant la période', false, 'lower', 'performance.setter_cost / private.kpi_facts.deals_won'),
    ('performance.roi', 39, 'ROI', '(chiffre d''affaires − coût du setter) ÷ coût du setter ; échantillon faible sous 5 deals conclus', 'Coût du setter de la période', 'Deals gagnés et coût du setter de la période', false, 'higher', 'private.kpi_facts.revenue + public.coach_settings.setter_monthly_cost'),
    ('performance.ai_efficiency', 40, 'Efficacité de l''IA', 'Messages reçus suivis d''une réponse du setter ÷ messages reçus', 'Messages reçus pendant la période', 'Messages reçus pendant la période (réponse du setter pendant ou après)', false, 'higher', 'private.kpi_facts.inbound_answered / messages_received'),
    ('performance.time_saved', 41, 'Temps gagné', 'Messages envoyés × minutes par message manuel (réglage du coach), en heures', null, 'Messages envoyés pendant la période', false, 'higher', 'private.kpi_facts.messages_sent + public.coach_settings.minutes_per_manual_message'),
    ('performance.best_conversion_moment', 42, 'Meilleur moment de conversion', 'Jour de la semaine et heure (fuseau du coach) où le plus de calls ont été réservés ou de deals gagnés ; échantillon faible sous 5', null, 'Premières réservations de call et premières victoires datées dans la période', false, null, 'private.kpi_facts.conversions'),
    ('performance.lead_quality_by_source', 43, 'Qualité des leads par source', 'Pour chaque source : nouveaux leads → qualifiés → calls réservés → gagnés (à ce jour) → chiffre d''affaires de ceux gagnés, avec le taux de chaque étape', 'L''étape précédente', 'Leads créés pendant la période', false, 'higher', 'private.kpi_facts.sources'),
    ('performance.speed_to_lead', 44, 'Délai de réponse', 'Médiane et 90e centile des minutes entre le premier message d''un lead et la réponse suivante du setter, lus dans des tranches (à la minute jusqu''à 10 min, puis 12, 15, 20, 25, 30, 40, 50, 60 min… ; la valeur est la borne haute de la tranche)', 'Messages de lead ayant reçu une réponse', 'Messages de lead envoyés pendant la période (réponse du setter pendant ou après)', false, 'lower', 'private.kpi_facts.speed'),
    ('trend', null, 'Tendance', 'Par jour (par semaine du lundi au dimanche au-delà de 90 jours) : nouveaux leads, messages envoyés, premiers messages envoyés et réponses à ces premiers messages, qualifications, calls réservés, deals gagnés, chiffre d''affaires ; 0 les jours sans activité', null, 'Chaque jour (ou semaine) de la période, comme les KPI du même nom', false, null, 'private.kpi_facts (grain day)');

-- The glossary as one JSON object (get_kpi_definitions).
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

revoke all on function private.kpi_period_definitions_json() from public, anon;
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
