-- Who wins when sources disagree (docs/kpis.md, "Outcomes: who wins"), checked on the history and on the lead's KPI
-- facts (private.kpi_compute_lead_facts, what every period KPI sums): the same change twice counts once; a later
-- status of n8n (or Calendly) does not undo a won or lost of the coach or Stripe, whatever order it arrives in; a
-- decision replaces the contradicting outcomes before it; entries are ordered by the time they happened.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(29);
\ir helpers/auth.psql
\ir helpers/outcomes.psql

select tests.create_coach('precedence@example.com') as coach \gset
create temporary table t (at timestamptz) on commit drop;

-- 1. n8n says won, then the coach says won with the deal: one win, at n8n's time, with the coach's value
select tests.outcome_lead(:'coach', 'same.twice') as l1 \gset
select tests.n8n_status(:'l1', 'call_booked', now() - interval '2 days');
select tests.n8n_status(:'l1', 'won', now() - interval '1 hour');
select tests.authenticate_as(:'coach');
select public.mark_lead_won(:'l1', 900) is not null as won;
select tests.clear_authentication();
select is(tests.history(:'l1'), array['n8n new', 'n8n call_booked', 'n8n won', 'coach won'],
    'the coach''s won of a lead n8n said won is recorded (its deal)...');
select is((select array[won_at::text, deal_value::text] from private.kpi_compute_lead_facts(array[:'l1'::uuid])),
    array[(now() - interval '1 hour')::text, '900.00'], '...and counts once: won at n8n''s time, the coach''s value');
select is(tests.n8n_status(:'l1', 'won', now() - interval '1 hour'), 'duplicate', 'n8n''s won again is a duplicate');

-- 2. After the coach's won, n8n's later statuses are set aside, whatever order they arrive in
select is(tests.n8n_status(:'l1', 'relance', now() + interval '2 minutes'), 'set_aside', 'n8n''s relance after the won is set aside');
select is(tests.n8n_status(:'l1', 'lost', now() + interval '1 minute'), 'set_aside', 'so is a lost arriving after it but dated before');
select is(tests.n8n_status(:'l1', 'relance', now() + interval '2 minutes'), 'duplicate', 'and the relance again is recognised');
select is((select status from public.leads where id = :'l1'), 'won', 'the lead stays won');
select is(tests.set_aside(:'l1'), array['n8n lost after_outcome', 'n8n relance after_outcome'],
    'the set-aside statuses are kept, in time order');
select is((select lost_at from private.kpi_compute_lead_facts(array[:'l1'::uuid])), null, 'no KPI counts the lost');
select is(tests.n8n_status(:'l1', 'qualified', now() - interval '3 hours'), 'recorded_late',
    'a status of n8n dated before the won still enters the history at its time');
select is(tests.history(:'l1'), array['n8n new', 'n8n call_booked', 'n8n qualified', 'n8n won', 'coach won'],
    'ordered by when it happened, not by arrival');

-- 3. n8n's deal value, call showed and lost reason do not overwrite the coach's
update public.leads set deal_value = 50, call_showed = false, lost_reason = 'price' where id = :'l1';
select is((select array[deal_value::text, deal_value_source, lost_reason, lost_reason_source] from public.leads where id = :'l1'),
    array['900.00', 'coach', 'price', 'setter'], 'n8n''s deal value is not taken over the coach''s; its lost reason is (the coach gave none)');

-- 4. Back to follow-up reopens the lead: the wins are set aside, n8n applies again
select tests.authenticate_as(:'coach');
select public.move_lead_back_to_follow_up(:'l1') is not null as reopened;
select tests.clear_authentication();
select is(tests.set_aside(:'l1'), array['n8n won replaced_by_outcome', 'coach won replaced_by_outcome',
    'n8n lost after_outcome', 'n8n relance after_outcome'], 'both wins are set aside by the back to follow-up');
select is((select array[won_at::text, deal_value::text, status] from private.kpi_compute_lead_facts(array[:'l1'::uuid])),
    array[null, null, 'relance'], 'the lead no longer counts as won, its value is cleared');
select is(tests.n8n_status(:'l1', 'engaged', now() + interval '5 minutes'), 'applied', 'n8n''s statuses apply again');

-- 5. The coach's lost replaces n8n's won; Stripe's won stays
select tests.outcome_lead(:'coach', 'lost.after.won') as l2 \gset
select tests.n8n_status(:'l2', 'won', now() - interval '1 day');
select tests.authenticate_as(:'coach');
select public.mark_lead_lost(:'l2', 'price') is not null as lost;
select tests.clear_authentication();
select is(tests.history(:'l2'), array['n8n new', 'coach lost'], 'the coach''s lost...');
select is(tests.set_aside(:'l2'), array['n8n won replaced_by_outcome'], '...sets n8n''s won aside');
select is((select array[won_at::text, lost_at::text] from private.kpi_compute_lead_facts(array[:'l2'::uuid])),
    array[null, now()::text], 'the lead counts as lost now, never won');
select is(tests.n8n_status(:'l2', 'won', now() + interval '1 minute'), 'set_aside', 'a later won of n8n does not undo the lost');

select tests.outcome_lead(:'coach', 'paid.then.lost') as l3 \gset
select private.place_lead_status_event(:'l3', 'won', now() - interval '1 day', 'stripe') as stripe_won;
select tests.authenticate_as(:'coach');
select public.mark_lead_lost(:'l3', 'other') is not null as lost;
select tests.clear_authentication();
select is(tests.history(:'l3'), array['n8n new', 'stripe won', 'coach lost'], 'a payment''s won is never set aside');

-- 6. A decision arriving late (a Stripe payment dated before n8n's statuses): n8n's later statuses are set aside
select tests.outcome_lead(:'coach', 'late.payment') as l4 \gset
select tests.n8n_status(:'l4', 'call_booked', now() - interval '3 hours');
select tests.n8n_status(:'l4', 'relance', now() - interval '1 hour');
select is(private.place_lead_status_event(:'l4', 'won', now() - interval '2 hours', 'stripe'), 'applied',
    'Stripe''s won two hours ago, after n8n''s relance of one hour ago, applies');
select is(tests.history(:'l4'), array['n8n new', 'n8n call_booked', 'stripe won'], 'its history ends with the won');
select is(tests.set_aside(:'l4'), array['n8n relance after_outcome'], 'n8n''s relance after it is set aside');
select is((select array[status, from_status] from public.leads as l
    join public.lead_status_events as e on e.lead_id = l.id and e.source = 'stripe' where l.id = :'l4'),
    array['won', 'call_booked'], 'the lead is won, the won comes from call_booked');

-- delivered the other way round, the same lead
select tests.outcome_lead(:'coach', 'late.payment.2') as l5 \gset
select private.place_lead_status_event(:'l5', 'won', now() - interval '2 hours', 'stripe') as stripe_won;
select tests.n8n_status(:'l5', 'relance', now() - interval '1 hour');
select tests.n8n_status(:'l5', 'call_booked', now() - interval '3 hours');
select is(tests.history(:'l5'), tests.history(:'l4'), 'the other delivery order gives the same history');
select is(tests.set_aside(:'l5'), tests.set_aside(:'l4'), 'and the same set-aside entries');

-- 7. The same decision twice changes nothing
select tests.authenticate_as(:'coach');
select public.mark_lead_won(:'l2', 300, 'paid_now') is not null as won;
select public.mark_lead_won(:'l2', 300, 'paid_now') is not null as won_again;
select tests.clear_authentication();
select is(tests.history(:'l2'), array['n8n new', 'coach won'], 'the won replaces the coach''s own lost (a correction)...');
select is(tests.set_aside(:'l2'), array['n8n won replaced_by_outcome', 'coach lost replaced_by_outcome',
    'n8n won after_outcome'], '...kept aside with the rest, and a second identical won wrote nothing');
select is((select array[won_at::text, lost_at::text, deal_value::text] from private.kpi_compute_lead_facts(array[:'l2'::uuid])),
    array[now()::text, null, '300.00'], 'the lead counts as won now, no longer as lost');

select * from finish();
rollback;
