-- Purpose: the glossary of period documents defines performance.revenue_sources and performance.payments_connected (where the revenue comes from; whether Stripe payments are connected).

set lock_timeout = '500ms';

insert into private.kpi_period_definitions (key, number, label, formula, denominator, period, snapshot, better, source)
values
    ('performance.revenue_sources', null, 'Origine du chiffre d’affaires',
     'Le chiffre d’affaires réparti selon qui a donné la valeur de chaque deal : Stripe (paiements moins remboursements), vous (le coach), ou le setter (n8n)',
     null, 'Deals gagnés pendant la période (jour de la première victoire)', false, null,
     'private.kpi_facts.counts: revenue_stripe, revenue_coach, revenue_setter'),
    ('performance.payments_connected', null, 'Paiements Stripe connectés',
     'Vrai dès que des paiements Stripe ont été reçus pour vous : le chiffre d’affaires et le ROI ne sont alors plus des estimations',
     null, null, true, null, 'public.lead_payments');
