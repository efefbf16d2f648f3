-- Bad input to the outcome and note RPCs: exact SQLSTATE and message, and nothing written (the lead, its history and
-- its notes are as before every refused call).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(26);
\ir helpers/auth.psql
\ir helpers/outcomes.psql

select tests.create_coach('bad-outcome@example.com') as coach \gset
select tests.outcome_lead(:'coach', 'bad.input') as lead \gset
select tests.n8n_status(:'lead', 'call_booked', now() - interval '1 day');
select tests.outcome_lead(:'coach', 'deleted.lead') as gone \gset
delete from public.leads where id = :'gone';
create temporary table before_state on commit drop as
    select (select to_jsonb(l) from public.leads as l where l.id = :'lead') as lead, tests.history(:'lead') as history;
grant select on before_state to authenticated;

select tests.authenticate_as(:'coach');
select throws_ok(format('select public.mark_lead_won(%L, %s)', :'lead', v), '22023',
    'invalid field "deal_value": must be above 0 and at most 1000000 (in the coach''s currency)', 'deal value ' || v || ' is refused')
from (values ('-1'), ('0'), ('1000000.01'), ('99999999'), ('null')) as x (v);
select throws_ok(format('select public.mark_lead_won(%L, 12.345)', :'lead'), '22023',
    'invalid field "deal_value": must have at most 2 decimals', 'a deal value with 3 decimals is refused');
select throws_ok(format('select public.mark_lead_won(%L, 1200, %L)', :'lead', 'monthly'), '22023',
    'invalid field "payment_plan": must be paid_now or instalments', 'an unknown payment plan is refused');
select throws_ok(format('select public.mark_lead_won(%L, 1200, %L, 3)', :'lead', 'paid_now'), '22023',
    'invalid field "instalment_count": must be 2 to 60, with payment_plan instalments', 'instalments without the plan are refused');
select throws_ok(format('select public.mark_lead_won(%L, 1200, %L, 1)', :'lead', 'instalments'), '22023',
    'invalid field "instalment_count": must be 2 to 60, with payment_plan instalments', 'one instalment is refused');
select throws_ok(format('select public.mark_lead_lost(%L, %L)', :'lead', r), '22023',
    'invalid field "reason": must be one of price, time, already_tried, hesitation, other', 'lost reason ' || r || ' is refused')
from (values ('expensive'), ('Price'), ('')) as x (r);
select throws_ok(format('select public.mark_lead_lost(%L, null)', :'lead'), '22023',
    'invalid field "reason": must be one of price, time, already_tried, hesitation, other', 'a lost without reason is refused');
select throws_ok(format('select public.mark_lead_lost(%L, %L, %L)', :'lead', 'price', repeat('x', 2001)), '22023',
    'invalid field "note": must have at most 2000 characters', 'a lost note over 2000 characters is refused');
select throws_ok(format('select public.add_lead_note(%L, %L)', :'lead', '   '), '22023',
    'invalid field "body": must not be empty', 'a blank note is refused');
select throws_ok(format('select public.add_lead_note(%L, %L)', :'lead', repeat('x', 5001)), '22023',
    'invalid field "body": must have at most 5000 characters', 'a note over 5000 characters is refused');
select throws_ok(format('select public.mark_lead_won(%L, 1200)', :'gone'), 'PT404', 'lead not found',
    'a deleted lead: 404');
select throws_ok(format('select public.mark_call_showed(%L)', gen_random_uuid()), 'PT404', 'lead not found',
    'a lead that never existed: 404');
select throws_ok('select public.mark_call_no_show(null)', '22004', 'lead_id is required', 'no lead id');
select throws_ok(format('select public.edit_lead_note(%L, %L)', gen_random_uuid(), 'x'), 'PT404', 'note not found',
    'an unknown note: 404');
select throws_ok(format('select public.get_lead(%L)', :'gone'), 'PT404', 'lead not found', 'reading a deleted lead: 404');
select throws_ok(format('select public.get_lead_messages(%L, page_size => 0)', :'lead'), '22023',
    'invalid field "page_size": must be 1 to 500', 'a page of 0 messages is refused');
select throws_ok(format('select public.get_lead_messages(%L, %L)', :'lead', gen_random_uuid()), '22023',
    'invalid field "before": not a message of this lead', 'a cursor of another conversation is refused');

select is((select to_jsonb(l) from public.leads as l where l.id = :'lead'), (select lead from before_state),
    'the lead is as before every refused call');
select is(tests.history(:'lead'), (select history from before_state), 'its history too');
select is((select count(*)::int from public.lead_notes where lead_id = :'lead'), 0, 'and it has no note');

select * from finish();
rollback;
