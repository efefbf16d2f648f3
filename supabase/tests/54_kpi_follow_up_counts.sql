-- pipeline.follow_up_counts {high, medium, low}: the follow-up list's leads by priority, from the same rule as the
-- list (private.kpi_follow_up_rules), summing to leads_to_follow_up. Fixture of helpers/kpi_fixture.psql plus two:
--   l4 qualified, silent 9 days -> high; l7 relance, silent 3 days -> high; l5 engaged, silent 8 days -> medium;
--   x1 new, created 5 days ago -> low; x2 qualified, silent 20 days -> medium;
--   not listed: l6 new (today), l9 new (1 day), l3 call_booked, l1 won, l2 l8 lost.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(4);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

select tests.create_coach('kpi-follow-up-counts@example.com') as coach \gset
select tests.kpi_fixture(:'coach');
insert into public.leads (coach_id, user_id_instagram, instagram_username, status, created_at)
values (:'coach', :'coach' || 'x1', 'x1', 'new', tests.paris(5, '10:00')),
       (:'coach', :'coach' || 'x2', 'x2', 'new', tests.paris(20, '09:00'));
select tests.kpi_move(:'coach', 'x2', 'qualified', tests.paris(20, '09:30'));
select private.kpi_upkeep() is not null as upkeep;
select tests.authenticate_as(:'coach');
select public.get_dashboard(period => '30d') as doc \gset
create temporary table listed as select * from public.get_leads_to_followup(period => '30d');
select tests.clear_authentication();

select is(:'doc'::jsonb #> '{pipeline,follow_up_counts}', '{"high": 2, "medium": 2, "low": 1}', 'high l4 l7, medium l5 x2, low x1');
select is(:'doc'::jsonb #> '{pipeline,leads_to_follow_up}', '5', 'leads_to_follow_up is their sum');
select is((select jsonb_object_agg(priority, n) from (select priority, count(*) as n from listed group by 1) as x),
    :'doc'::jsonb #> '{pipeline,follow_up_counts}', 'the whole list has the same leads per priority');
select is((select array_agg(instagram_username order by instagram_username) from listed where priority = 'high'),
    array['l4', 'l7'], 'the high-priority leads of the list');

select * from finish();
rollback;
