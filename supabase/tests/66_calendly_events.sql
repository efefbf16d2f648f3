-- Calendly's events as the calendly-webhook function hands them over (signature verified): a booking makes the call
-- booked with its meeting time, a cancellation puts it back to call proposed (a reschedule does not), a no-show and
-- its undo; the lead found by utm_content, email or Instagram handle; replay and reordering; unknown invitees kept.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(21);
\ir helpers/auth.psql
\ir helpers/outcomes.psql

select tests.create_coach('calendly@example.com') as coach \gset
select tests.outcome_lead(:'coach', 'booker', 'Bob', 'Booker', 'bob@mail.fr') as bob \gset
select tests.n8n_status(:'bob', 'call_proposed', now() - interval '2 days');
select tests.outcome_lead(:'coach', 'ref.lead', 'Rita', null, 'rita@mail.fr') as rita \gset
select tests.outcome_lead(:'coach', 'insta.only', 'Ivy') as ivy \gset
select (now() + interval '2 days')::timestamptz as starts \gset

-- a booking found by email
select is(private.receive_calendly_event(:'coach', tests.calendly_event('invitee.created', now() - interval '1 hour',
    tests.calendly_invitee('I1', 'Bob@Mail.fr', now() - interval '1 hour', :'starts'))) - 'event_id',
    jsonb_build_object('status', 'recorded', 'lead_id', :'bob', 'matched_by', 'email'), 'invitee.created finds Bob by email');
select is((select array[status, call_at::text] from public.leads where id = :'bob'), array['call_booked', :'starts'],
    'the call is booked, its time kept');
select is(tests.history(:'bob'), array['n8n new', 'n8n call_proposed', 'calendly call_booked'], 'an entry of Calendly');
select is(private.receive_calendly_event(:'coach', tests.calendly_event('invitee.created', now() - interval '1 hour',
    tests.calendly_invitee('I1', 'bob@mail.fr', now() - interval '1 hour', :'starts'))) ->> 'status', 'duplicate',
    'the same event again is a duplicate');

-- a reschedule: the old booking cancelled (rescheduled: true), a new one: still booked, at the new time
select private.receive_calendly_event(:'coach', tests.calendly_event('invitee.created', now() - interval '30 minutes',
    tests.calendly_invitee('I2', 'bob@mail.fr', now() - interval '30 minutes', :'starts'::timestamptz + interval '1 day')))
    ->> 'status' as rebooked;
select private.receive_calendly_event(:'coach', tests.calendly_event('invitee.canceled', now() - interval '30 minutes',
    tests.calendly_invitee('I1', 'bob@mail.fr', now() - interval '1 hour', :'starts')
    || jsonb_build_object('status', 'canceled', 'rescheduled', true, 'cancellation', jsonb_build_object(
        'canceled_by', 'Bob', 'reason', 'reschedule', 'canceler_type', 'invitee', 'created_at', now() - interval '30 minutes'))))
    ->> 'status' as old_canceled;
select is((select array[status, call_at::text] from public.leads where id = :'bob'),
    array['call_booked', (:'starts'::timestamptz + interval '1 day')::text], 'a reschedule keeps the call booked, at its new time');

-- no-show, then its undo, delivered the other way round: the undo wins (it happened last)
select private.receive_calendly_event(:'coach', tests.calendly_event('invitee_no_show.deleted', now() - interval '5 minutes',
    jsonb_build_object('uri', 'https://api.calendly.com/invitee_no_shows/NS1',
        'invitee', 'https://api.calendly.com/scheduled_events/EVI2/invitees/I2', 'created_at', now() - interval '10 minutes')))
    ->> 'matched_by' as undo_first;
select is((select call_showed from public.leads where id = :'bob'), null, 'the undo alone: no outcome known');
select is(private.receive_calendly_event(:'coach', tests.calendly_event('invitee_no_show.created', now() - interval '10 minutes',
    jsonb_build_object('uri', 'https://api.calendly.com/invitee_no_shows/NS1',
        'invitee', 'https://api.calendly.com/scheduled_events/EVI2/invitees/I2', 'created_at', now() - interval '10 minutes')))
    ->> 'lead_id', :'bob', 'the no-show (which carries no email) finds the lead through its booking');
select is((select array[call_showed::text, call_showed_source] from public.leads where id = :'bob'), array[null, 'calendly'],
    'the no-show arriving after its undo does not win: the undo happened later');
select is(tests.history(:'bob'), array['n8n new', 'n8n call_proposed', 'calendly call_booked',
    'calendly call_scheduled call_booked', 'calendly call_no_show call_booked', 'calendly call_no_show_undone call_booked'],
    'the history in the order things happened: the new booking of a booked call, the no-show, its undo');

-- a plain cancellation: back to call proposed, no meeting time
select private.receive_calendly_event(:'coach', tests.calendly_event('invitee.canceled', now() - interval '1 minute',
    tests.calendly_invitee('I2', 'bob@mail.fr', now() - interval '30 minutes', :'starts'::timestamptz + interval '1 day')
    || jsonb_build_object('status', 'canceled', 'rescheduled', false, 'cancellation', jsonb_build_object(
        'canceled_by', 'Bob', 'reason', 'empêchement', 'canceler_type', 'invitee', 'created_at', now() - interval '1 minute'))))
    ->> 'status' as canceled;
select is((select array[status, call_at::text] from public.leads where id = :'bob'), array['call_proposed', null],
    'a cancellation puts the call back to proposed, without a meeting time');

-- the lead id in utm_content wins over the email; an Instagram handle in the answers
select is(private.receive_calendly_event(:'coach', tests.calendly_event('invitee.created', now() - interval '2 minutes',
    tests.calendly_invitee('I3', 'bob@mail.fr', now() - interval '2 minutes', :'starts', :'rita'))) ->> 'lead_id', :'rita',
    'utm_content carries the lead id: Rita, whatever the email');
select is(private.receive_calendly_event(:'coach', tests.calendly_event('invitee.created', now() - interval '2 minutes',
    tests.calendly_invitee('I4', 'ivy.other@mail.fr', now() - interval '2 minutes', :'starts', null,
        '[{"question": "Ton Instagram ?", "answer": "@Insta.Only", "position": 0}]'))) ->> 'matched_by', 'instagram',
    'an answer naming the lead''s @handle finds Ivy');
select is(private.receive_calendly_event(:'coach', tests.calendly_event('invitee.created', now() - interval '2 minutes',
    tests.calendly_invitee('I5', 'someone@else.fr', now() - interval '2 minutes', :'starts', 'not-a-lead-id'))) ->> 'lead_id', null,
    'an invitee nobody knows is kept, unmatched');
select is((select count(*)::int from public.provider_events where subject_ref like '%/I5' and lead_id is null), 1,
    'and listed for the coach to attach');

-- after the coach's lost, a booking is kept aside
select tests.authenticate_as(:'coach');
select public.mark_lead_lost(:'rita', 'time') is not null as lost;
select tests.clear_authentication();
select is(private.receive_calendly_event(:'coach', tests.calendly_event('invitee.created', now() + interval '1 minute',
    tests.calendly_invitee('I6', 'rita@mail.fr', now() + interval '1 minute', :'starts'))) ->> 'lead_id', :'rita', 'Rita books again');
select is((select status from public.leads where id = :'rita'), 'lost', 'she stays lost (the coach''s outcome)');
select is(tests.set_aside(:'rita'), array['calendly call_booked after_outcome'], 'the booking is kept aside');

-- bad input, unknown coach, ignored events
select throws_ok(format('select private.receive_calendly_event(%L, %L)', gen_random_uuid(),
    tests.calendly_event('invitee.created', now(), tests.calendly_invitee('I7', 'x@y.fr', now(), :'starts'))),
    'PT404', 'coach not found', 'an unknown coach');
select throws_ok(format('select private.receive_calendly_event(%L, %L)', :'coach', '{"payload": {}}'), '22023',
    'invalid field "event": not a Calendly webhook event (event, created_at, payload)', 'not a Calendly event');
select is(private.receive_calendly_event(:'coach', jsonb_build_object('event', 'routing_form_submission.created',
    'created_at', now(), 'payload', '{}'::jsonb)), '{"status": "ignored", "type": "routing_form_submission.created"}',
    'an event this product does not use is answered, not kept');
select tests.authenticate_as_service_role();
select throws_ok(format('select private.receive_calendly_event(%L, %L)', :'coach', '{}'), '42501',
    'permission denied for function receive_calendly_event', 'the service role cannot record a Calendly event');
select tests.clear_authentication();

select * from finish();
rollback;
