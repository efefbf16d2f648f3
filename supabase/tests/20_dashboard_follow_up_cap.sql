-- get_dashboard carries the 100 most urgent follow-up leads; the count covers all of them and
-- get_leads_to_followup lists them all.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(5);
\ir helpers/auth.psql

select tests.create_coach('cap@example.com') as coach \gset
-- 103 new leads, silent for 10 days (low priority): lead i was created i minutes earlier than lead i - 1.
insert into public.leads (coach_id, user_id_instagram, instagram_username, created_at)
select :'coach', 'cap_ig_' || i, 'cap_' || i, now() - interval '10 days' - make_interval(mins => i)
from generate_series(1, 103) as i;
-- the list reads the lead facts, as of the last upkeep pass
select private.kpi_upkeep() is not null as upkeep;

select tests.authenticate_as(:'coach');
select is(jsonb_array_length(public.get_dashboard() -> 'pipeline' -> 'follow_up'), 100,
    'the document carries 100 follow-up leads');
select is((public.get_dashboard() -> 'pipeline' ->> 'leads_to_follow_up')::int, 103,
    'leads_to_follow_up counts all 103');
select is((public.get_dashboard() -> 'pipeline' -> 'follow_up_rate' ->> 'num')::int, 103,
    'the follow-up rate counts all 103');
select is((select count(*)::int from public.get_leads_to_followup()), 103,
    'get_leads_to_followup lists all 103');
-- same days without contact for all: ordering is then stable by the list function; the document keeps its first 100
select is(
    (select array_agg(e ->> 'instagram_username') from jsonb_array_elements(public.get_dashboard() -> 'pipeline' -> 'follow_up') as e),
    (select array_agg(instagram_username) from (select instagram_username from public.get_leads_to_followup() limit 100) as f),
    'the document keeps the head of the full list, in its order'
);

select * from finish();
rollback;
