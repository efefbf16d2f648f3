-- get_lead's document: its parts, the conversation's latest page in order with DM numbers and what is unanswered,
-- older pages through get_lead_messages, the history with sources, notes, the coach's time zone and currency.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(18);
\ir helpers/auth.psql
\ir helpers/outcomes.psql

select tests.create_coach('document@example.com', 'America/Montreal') as coach \gset
select tests.outcome_lead(:'coach', 'long.talk', 'Inès', 'Long', 'ines@mail.fr', now() - interval '3 days') as lead \gset
-- 250 messages, one a minute: out, in, out, in, … (125 of each), then the lead's last message stays unanswered
insert into public.messages (lead_id, coach_id, direction, text, created_at)
select :'lead', :'coach', case when i % 2 = 1 then 'out' else 'in' end, 'm' || i, now() - interval '2 days' + i * interval '1 minute'
from generate_series(1, 250) as i;
select tests.n8n_status(:'lead', 'qualified', now() - interval '1 day');

select tests.authenticate_as(:'coach');
select public.add_lead_note(:'lead', 'À rappeler') is not null as noted;
select public.get_lead(:'lead') as doc \gset

select is((select array_agg(k order by k) from jsonb_object_keys(:'doc'::jsonb) as k),
    array['coach', 'lead', 'messages', 'notes', 'payments', 'provider_events', 'set_aside', 'status_events'],
    'the document''s parts');
select is((:'doc'::jsonb -> 'coach') - 'id', '{"name": "Test document", "timezone": "America/Montreal", "currency": "EUR"}',
    'the coach: its time zone (times are shown in it) and currency');
select is(:'doc'::jsonb #>> '{lead,first_name}', 'Inès', 'the lead''s profile');
select is((:'doc'::jsonb #>> '{lead,total_messages_sent}')::int, 125, 'its counters');
select is(jsonb_array_length(:'doc'::jsonb #> '{messages,items}'), 100, 'the latest 100 messages');
select is(:'doc'::jsonb #> '{messages,has_more}', 'true', 'and there are older ones');
select is(array[:'doc'::jsonb #>> '{messages,items,0,text}', :'doc'::jsonb #>> '{messages,items,1,text}',
    :'doc'::jsonb #>> '{messages,items,99,text}'], array['m151', 'm152', 'm250'], 'oldest first, the latest last');
select is((select array[m ->> 'direction', m ->> 'message_number', m ->> 'unanswered']
    from jsonb_array_elements(:'doc'::jsonb #> '{messages,items}') as m where m ->> 'text' = 'm249'),
    array['out', '125', 'false'], 'an outbound message has its DM number and was answered');
select is((select array[m ->> 'direction', m ->> 'message_number', m ->> 'unanswered']
    from jsonb_array_elements(:'doc'::jsonb #> '{messages,items}') as m where m ->> 'text' = 'm250'),
    array['in', null, 'true'], 'the lead''s last message has no answer yet');
select is((select count(*)::int from jsonb_array_elements(:'doc'::jsonb #> '{messages,items}') as m
    where (m ->> 'unanswered')::boolean), 1, 'and it is the only unanswered one');

select public.get_lead_messages(:'lead', (:'doc'::jsonb #>> '{messages,items,0,id}')::uuid) as page2 \gset
select is(array[jsonb_array_length(:'page2'::jsonb -> 'items')::text, :'page2'::jsonb ->> 'has_more',
    :'page2'::jsonb #>> '{items,0,text}', :'page2'::jsonb #>> '{items,99,text}'],
    array['100', 'true', 'm51', 'm150'], 'the page before: the 100 messages before the first shown');
select public.get_lead_messages(:'lead', (:'page2'::jsonb #>> '{items,0,id}')::uuid, 80) as page3 \gset
select is(array[jsonb_array_length(:'page3'::jsonb -> 'items')::text, :'page3'::jsonb ->> 'has_more',
    :'page3'::jsonb #>> '{items,0,text}'], array['50', 'false', 'm1'], 'the first page: the 50 first, no more');

select is((select array_agg(e ->> 'source' || ' ' || (e ->> 'to_status') order by n)
    from jsonb_array_elements(:'doc'::jsonb -> 'status_events') with ordinality as x (e, n)),
    array['n8n new', 'n8n qualified'], 'the status timeline with each entry''s source');
select is((:'doc'::jsonb #> '{notes,0}') - 'id' - 'created_at' - 'updated_at' - 'lead_id' - 'author_id',
    '{"body": "À rappeler", "event_id": null, "editable": true}', 'the notes, editable by their author');
select is(:'doc'::jsonb -> 'set_aside', '[]', 'nothing set aside');
select is(:'doc'::jsonb -> 'payments', '[]', 'no payment');

-- a lead without any message
select tests.clear_authentication();
select tests.outcome_lead(:'coach', 'silent.one') as silent \gset
select tests.authenticate_as(:'coach');
select is(public.get_lead(:'silent') -> 'messages', '{"items": [], "has_more": false}', 'a lead without messages');
select is(public.get_lead(:'silent') #>> '{lead,deal_value}', null, 'and without outcome');

select * from finish();
rollback;
