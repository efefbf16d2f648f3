-- The outcome and note RPCs by actor: a coach records outcomes and notes on its own leads (each in the history with
-- source coach and its author), another coach gets 42501 on them, an admin reads but never writes, the service role
-- and anon have no such RPC; the tables stay closed to direct writes.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(40);
\ir helpers/auth.psql
\ir helpers/outcomes.psql

select tests.create_coach('outcome-a@example.com') as a \gset
select tests.create_coach('outcome-b@example.com') as b \gset
select tests.create_user('outcome-admin@example.com', '{"role": "admin"}') as admin \gset
select tests.outcome_lead(:'a', 'lea.call', 'Léa', 'Call') as lead \gset
select tests.n8n_status(:'lead', 'call_booked', now() - interval '2 days');
select tests.outcome_lead(:'a', 'open.lead', 'Open') as open \gset

-- anon: none of the writes
select tests.authenticate_as_anon();
select throws_ok(format('select public.%s', f), '42501', format('permission denied for function %s', split_part(f, '(', 1)),
    'anon cannot call ' || split_part(f, '(', 1))
from (values (format('mark_call_showed(%L)', :'lead')), (format('mark_call_no_show(%L)', :'lead')),
    (format('mark_lead_won(%L, 1200)', :'lead')), (format('mark_lead_lost(%L, %L)', :'lead', 'price')),
    (format('move_lead_back_to_follow_up(%L)', :'lead')), (format('mark_lead_followed_up(%L)', :'lead')),
    (format('add_lead_note(%L, %L)', :'lead', 'x')), (format('get_lead(%L)', :'lead'))) as x (f);

-- coach A: each intent on its own lead
select tests.authenticate_as(:'a');
select is(public.mark_call_showed(:'lead') -> 'call_showed', 'true', 'coach A marks the call showed');
select is(public.mark_call_no_show(:'lead') - 'outcome_recorded_at' - 'status_changed_at' - 'lead_id',
    '{"status": "call_booked", "call_at": null, "call_showed": false, "call_showed_source": "coach", "deal_value": null,
      "deal_value_source": null, "payment_plan": null, "instalment_count": null, "lost_reason": null,
      "lost_reason_source": null, "followed_up_at": null}',
    'then corrects it to no-show: the answer is the lead''s outcome');
select is(public.mark_lead_won(:'lead', 1200, 'instalments', 3) - 'outcome_recorded_at' - 'status_changed_at' - 'lead_id',
    '{"status": "won", "call_at": null, "call_showed": false, "call_showed_source": "coach", "deal_value": 1200.00,
      "deal_value_source": "coach", "payment_plan": "instalments", "instalment_count": 3, "lost_reason": null,
      "lost_reason_source": null, "followed_up_at": null}',
    'coach A marks it won, 1 200 in 3 instalments');
select is(public.mark_lead_followed_up(:'lead') ->> 'followed_up_at', to_json(now())::jsonb #>> '{}',
    'coach A records that it contacted the lead now');
select is(public.mark_call_showed(:'open') ->> 'status', 'call_booked',
    'a call recorded on a lead that never booked one makes it call_booked first');
select is(public.mark_lead_lost(:'open', 'hesitation', '  Rappeler en janvier ') ->> 'lost_reason', 'hesitation',
    'coach A marks its other lead lost, with a note');
select is(public.move_lead_back_to_follow_up(:'open') ->> 'status', 'relance', 'then back to follow-up');
select public.add_lead_note(:'lead', 'Très motivée, paiement en 3 fois') ->> 'id' as note \gset
select is((public.edit_lead_note(:'note', 'Très motivée, paiement en 3 fois (OK banque)')) - 'id' - 'lead_id' - 'author_id'
    - 'created_at' - 'updated_at', '{"body": "Très motivée, paiement en 3 fois (OK banque)", "event_id": null, "editable": true}',
    'coach A edits its note');
select is(tests.history(:'lead'),
    array['n8n new', 'n8n call_booked', 'coach call_showed call_booked', 'coach call_no_show call_booked', 'coach won',
          'coach followed_up won'],
    'the lead''s history keeps the mistake and the fix, each entry of the coach with its source');
select is((select array_agg(distinct author_id) from public.lead_status_events where lead_id = :'lead' and source = 'coach'),
    array[:'a'::uuid], 'every entry of the coach names it as author');
select is(tests.history(:'open'),
    array['n8n new', 'coach call_booked', 'coach call_showed call_booked', 'coach relance'],
    'the other lead: booked by the coach, showed, lost then back to follow-up (the lost set aside)');
select is(tests.set_aside(:'open'), array['coach lost replaced_by_outcome'], 'the replaced lost is kept aside');
select is((select array[body, (event_id is not null)::text] from public.lead_notes where lead_id = :'open'),
    array['Rappeler en janvier', 'true'], 'the lost note is a note of the lead, trimmed, tied to its entry');
select is(tests.try_write(format('insert into public.lead_notes (lead_id, coach_id, author_id, body) values (%L, %L, %L, %L)',
    :'lead', :'a', :'a', 'direct')), 'error:42501', 'coach A cannot write a note directly');
select is(tests.try_write(format('update public.leads set deal_value = 1 where id = %L', :'lead')), 'rows:0',
    'coach A cannot write its lead directly');
select is(tests.try_write(format('delete from public.lead_status_events where lead_id = %L', :'lead')), 'rows:0',
    'coach A cannot rewrite the history');
select throws_ok(format('select private.record_lead_won(%L, 1, %L, null)', :'lead', 'paid_now'), '42501',
    'permission denied for schema private', 'the private functions are not reachable by name');

-- coach B: nothing of A's
select tests.authenticate_as(:'b');
select throws_ok(format('select public.%s', f), '42501', 'permission denied: this lead belongs to another coach',
    'coach B cannot call ' || split_part(f, '(', 1) || ' on A''s lead')
from (values (format('mark_call_showed(%L)', :'lead')), (format('mark_lead_won(%L, 1200)', :'lead')),
    (format('mark_lead_lost(%L, %L)', :'lead', 'price')), (format('move_lead_back_to_follow_up(%L)', :'lead')),
    (format('mark_lead_followed_up(%L)', :'lead')), (format('add_lead_note(%L, %L)', :'lead', 'x'))) as x (f);
select throws_ok(format('select public.edit_lead_note(%L, %L)', :'note', 'pirate'), '42501',
    'permission denied: only its author can edit a note', 'coach B cannot edit A''s note');
select throws_ok(format('select public.get_lead(%L)', :'lead'), '42501',
    'permission denied: a coach can only read its own leads', 'coach B cannot read A''s lead');

-- admin: reads A's lead, writes nothing
select tests.authenticate_as(:'admin');
select is(public.get_lead(:'lead') #>> '{lead,status}', 'won', 'an admin reads coach A''s lead');
select is((public.get_lead(:'lead') -> 'notes' -> 0 ->> 'editable')::boolean, false, 'an admin cannot edit the note');
select throws_ok(format('select public.mark_lead_lost(%L, %L)', :'lead', 'price'), '42501',
    'permission denied: only a signed-in coach can record outcomes', 'an admin cannot record an outcome');
select throws_ok(format('select public.edit_lead_note(%L, %L)', :'note', 'admin'), '42501',
    'permission denied: only its author can edit a note', 'an admin cannot edit a note');

-- service role: reads, no outcome RPC
select tests.authenticate_as_service_role();
select is(public.get_lead(:'lead') #>> '{lead,deal_value}', '1200.00', 'the service role reads any lead');
select throws_ok(format('select public.mark_lead_won(%L, 1)', :'lead'), '42501', 'permission denied for function mark_lead_won',
    'the service role records no outcome');

select tests.clear_authentication();
select is((select array[status, deal_value::text, call_showed::text] from public.leads where id = :'lead'),
    array['won', '1200.00', 'false'], 'what the refused calls left: coach A''s outcome only');

select * from finish();
rollback;
