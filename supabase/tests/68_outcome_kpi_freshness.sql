-- Every outcome write reaches the KPIs through the engine: the write queues the lead (the engine's triggers), one
-- upkeep pass later the period document and the drill-down count it; a correction is counted as corrected. The coach
-- lives where it is about noon (tests.midday_timezone()), so "now" is today for them at any time of the run.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(20);
\ir helpers/auth.psql
\ir helpers/outcomes.psql

select tests.midday_timezone() as tz \gset
select tests.create_coach('outcome-kpis@example.com', :'tz') as coach \gset
select tests.outcome_lead(:'coach', 'kpi.deal', 'Dana', null, 'dana@mail.fr', now() - interval '1 hour') as lead \gset
select tests.n8n_status(:'lead', 'call_booked', now() - interval '30 minutes');
select private.kpi_upkeep() is not null as settled;
select is(public.get_dashboard(:'coach', 'today') #> '{performance,revenue,value}', '0', 'no revenue before the outcome');

select tests.authenticate_as(:'coach');
select public.mark_call_showed(:'lead') is not null as showed;
select public.mark_lead_won(:'lead', 1200, 'instalments', 3) is not null as won;
select tests.clear_authentication();
select ok(exists (select 1 from private.kpi_dirty_leads where lead_id = :'lead'), 'the outcome queued the lead for the upkeep');
select is((private.kpi_upkeep() ->> 'leads')::int, 1, 'one pass recomputes it');
select is(public.get_dashboard(:'coach', 'today') #> '{performance,revenue,value}', '1200.00', 'revenue today: 1 200');
select is(public.get_dashboard(:'coach', 'today') #> '{performance,deals_closed,value}', '1', 'one deal closed');
select is(public.get_dashboard(:'coach', 'today') #> '{performance,revenue_sources}', '{"stripe": 0, "coach": 1200.00, "setter": 0}',
    'the revenue says where it comes from: the coach');
select is(public.get_dashboard(:'coach', 'today') #> '{performance,payments_connected}', 'false', 'no Stripe payment yet: not connected');
select is(public.get_dashboard(:'coach', 'today') #> '{qualification,no_show_rate,num}', '0', 'no no-show...');
select is(public.get_dashboard(:'coach', 'today') #> '{qualification,no_show_rate,den}', '1', '...out of one call with an outcome');
select is((public.get_kpi_leads('performance.deals_closed', :'coach', 'today') -> 'rows' -> 0) ->> 'deal_value', '1200.00',
    'the drill-down lists the lead with its value');

-- the coach corrects: the call was a no-show and the lead is lost
select tests.authenticate_as(:'coach');
select public.mark_call_no_show(:'lead') is not null as no_show;
select public.mark_lead_lost(:'lead', 'price') is not null as lost;
select tests.clear_authentication();
select private.kpi_upkeep() is not null as upkeep;
select is(public.get_dashboard(:'coach', 'today') #> '{performance,revenue,value}', '0', 'the revenue is gone');
select is(public.get_dashboard(:'coach', 'today') #> '{performance,deals_closed,value}', '0', 'so is the deal');
select is(public.get_dashboard(:'coach', 'today') #> '{qualification,no_show_rate,num}', '1', 'the call is a no-show');
select is(public.get_dashboard(:'coach', 'today') #> '{pipeline,lost_in_period,value}', '1', 'the lead is lost today');

-- a Stripe payment: the revenue is the payment
select private.receive_stripe_event(:'coach', tests.stripe_event('evt_kpi', 'checkout.session.completed', now() + interval '1 minute',
    jsonb_build_object('id', 'cs_kpi', 'object', 'checkout.session', 'payment_status', 'paid', 'amount_total', 49900,
        'currency', 'eur', 'payment_intent', 'pi_kpi', 'client_reference_id', :'lead'))) ->> 'status' as paid;
select private.kpi_upkeep() is not null as upkeep;
select is(public.get_dashboard(:'coach', 'today') #> '{performance,revenue,value}', '499.00',
    'a payment of 49 900 cents after the lost: 499 € of revenue, the lead won again by Stripe');
select is((select status from public.leads where id = :'lead'), 'won', 'Stripe''s won is the latest outcome');
select is(public.get_dashboard(:'coach', 'today') #> '{performance,revenue_sources}', '{"stripe": 499.00, "coach": 0, "setter": 0}',
    'the revenue comes from Stripe now');
select is(public.get_dashboard(:'coach', 'today') #> '{performance,payments_connected}', 'true', 'payments are connected');

-- "Relancé": the coach's own follow-up counts as a contact for the follow-up rule
select tests.outcome_lead(:'coach', 'kpi.silent', 'Sam', null, null, now() - interval '10 days') as silent \gset
select tests.n8n_status(:'silent', 'engaged', now() - interval '9 days');
select private.kpi_upkeep() is not null as upkeep;
select is((select f.priority from public.get_leads_to_followup(:'coach') as f where f.lead_id = :'silent'), 'medium',
    'an engaged lead silent for 9 days is to follow up');
select tests.authenticate_as(:'coach');
select public.mark_lead_followed_up(:'silent') is not null as followed_up;
select tests.clear_authentication();
select private.kpi_upkeep() is not null as upkeep;
select is((select count(*)::int from public.get_leads_to_followup(:'coach') as f where f.lead_id = :'silent'), 0,
    'a lead the coach followed up today is no longer to follow up (engaged: 2 days of silence first)');

select * from finish();
rollback;
