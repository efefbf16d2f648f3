-- search_leads reads a coach's newest matching leads and ranks only the 100 newest: the search row keeps the lead's
-- created_at (also when n8n moves it back), a word starting with the query wins among those 100, and an older match
-- beyond them is not shown (a search costs what a page costs, not what its matches do).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(8);
\ir helpers/auth.psql
\ir helpers/outcomes.psql

select tests.create_coach('newest-a@example.com') as a \gset

-- Xelia: the oldest; 99 Axel newer than her, one day apart (Axel Test1 the newest)
select tests.outcome_lead(:'a', 'xelia.old', 'Xelia', 'Ancienne', null, now() - interval '200 days') as xelia \gset
select count(*) as made from (
    select tests.outcome_lead(:'a', 'axel.' || i, 'Axel', 'Test' || i, null, now() - i * interval '1 day')
    from generate_series(1, 99) as i
) as made \gset

select is((select s.created_at from private.lead_search as s where s.lead_id = :'xelia'),
    now() - interval '200 days', 'the search row keeps the lead''s created_at');

select tests.authenticate_as(:'a');
select is((select lead_id from public.search_leads('xel') limit 1), :'xelia'::uuid,
    'among the 100 newest matches, a word starting with the query comes first, however old');
select is((select array_agg(last_name order by n) from (
        select last_name, row_number() over () as n from public.search_leads('xel', max_rows => 4)) as r),
    array['Ancienne', 'Test1', 'Test2', 'Test3'], 'then the newest first');

-- one more Axel: Xelia is now the 101st newest match
select tests.clear_authentication();
select tests.outcome_lead(:'a', 'axel.new', 'Axel', 'Nouveau', null, now() - interval '1 hour') as axel_new \gset
select tests.authenticate_as(:'a');
select is((select count(*)::int from public.search_leads('xel', max_rows => 100)), 100, 'a page of 100');
select is((select count(*)::int from public.search_leads('xel', max_rows => 100) where lead_id = :'xelia'), 0,
    'a match older than the 100 newest is not ranked');
select is((select lead_id from public.search_leads('xelia')), :'xelia'::uuid, 'typing more finds it');

-- n8n delivers an older event of Axel Nouveau: its created_at moves back, and its search row with it
select tests.clear_authentication();
update public.leads set created_at = now() - interval '300 days' where id = :'axel_new';
select is((select s.created_at from private.lead_search as s where s.lead_id = :'axel_new'),
    now() - interval '300 days', 'the search row follows a created_at moved back');
select tests.authenticate_as(:'a');
select is((select lead_id from public.search_leads('xel') limit 1), :'xelia'::uuid,
    'Xelia is among the 100 newest matches again');

select * from finish();
rollback;
