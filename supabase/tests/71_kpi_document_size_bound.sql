-- A period document's size is bounded (docs/kpis.md, "Size of a document"): at most 90 trend buckets, 100 follow-up
-- leads, 20 sources in lead_quality_by_source, 3 top sources, 5 professions, 5 lost reasons, and at most 300,000
-- characters (and bytes) of JSON. The fixture is the worst case: every text at its longest and made of a character
-- JSON writes with 6 (\u0001), more open leads than the follow-up list shows, 25 sources, 7 professions, every lost
-- reason, deals at the largest value, DMs every day, and a first lead 100 months ago (an all period longer than 90
-- months). Every preset document the upkeep stores, and the longest range, stay within the bound.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(9);
\ir helpers/auth.psql

select tests.create_coach('kpi-doc-size@example.com', 'America/Argentina/ComodRivadavia') as coach \gset
update public.coachs set name = repeat(chr(1), 200) where id = :'coach';
-- 120 open leads silent for 10 to 89 days (the follow-up list), texts at their longest, 25 sources, 7 professions
insert into public.leads (coach_id, user_id_instagram, instagram_username, first_name, source, job_title, email, age,
    gender, created_at, status, status_changed_at)
select :'coach', 'size_' || i, lpad(i::text, 100, chr(1)), lpad(i::text, 200, chr(1)), lpad((i % 25)::text, 100, chr(1)),
    lpad((i % 7)::text, 200, chr(1)), 'size' || i || '@example.com', 20 + i % 50, (array['male', 'female', 'other'])[1 + i % 3],
    now() - make_interval(days => 10 + i % 80), 'new', now() - make_interval(days => 10 + i % 80)
from generate_series(1, 120) as i;
-- lost for each reason; won at the largest deal value n8n accepts
insert into public.leads (coach_id, user_id_instagram, source, created_at, status, status_changed_at, lost_reason)
select :'coach', 'size_lost_' || i, lpad((i % 25)::text, 100, chr(1)), now() - interval '5 days', 'lost', now() - interval '4 days',
    (array['price', 'time', 'already_tried', 'hesitation', 'other'])[1 + i % 5]
from generate_series(1, 10) as i;
insert into public.leads (coach_id, user_id_instagram, source, created_at, status, status_changed_at, deal_value)
select :'coach', 'size_won_' || i, lpad((i % 25)::text, 100, chr(1)), now() - make_interval(days => i * 7), 'won',
    now() - make_interval(days => i * 7 - 1), 9999999999.99
from generate_series(1, 60) as i;
insert into public.leads (coach_id, user_id_instagram, created_at, status, status_changed_at)
values (:'coach', 'size_first', now() - interval '100 months', 'new', now() - interval '100 months');
insert into public.messages (lead_id, coach_id, direction, text, created_at)
select l.id, l.coach_id, 'out', 'Salut', now() - make_interval(days => d, mins => 30)
from public.leads as l cross join generate_series(0, 119) as d
where l.coach_id = :'coach' and l.user_id_instagram in ('size_won_1', 'size_won_2');
select private.kpi_upkeep() is not null as upkeep;

create temporary table docs as
select d.period, d.document from private.kpi_documents as d where d.coach_id = :'coach';
select tests.authenticate_as(:'coach');
select public.get_dashboard(period => 'range',
    period_start => (now() at time zone 'America/Argentina/ComodRivadavia')::date - 1095,
    period_end => (now() at time zone 'America/Argentina/ComodRivadavia')::date) as range_doc \gset
select tests.clear_authentication();
insert into docs values ('range', :'range_doc');

select is((select count(*)::int from docs), 6, 'the fixture: the five stored preset documents and a three-year range');
select is((select max(jsonb_array_length(d.document #> '{trend,dates}')) from docs as d), 90,
    'at most 90 trend buckets (90 days, and the all period of 101 months)');
select is((select max(jsonb_array_length(d.document #> '{pipeline,follow_up}')) from docs as d), 100,
    'at most 100 follow-up leads (120 are due)');
select is((select max(jsonb_array_length(d.document #> '{performance,lead_quality_by_source}')) from docs as d), 20,
    'at most 20 sources in lead_quality_by_source (25 sent new leads)');
select is((select max(jsonb_array_length(d.document #> '{activity,top_sources}')) from docs as d), 3, 'at most 3 top sources');
select is((select max(jsonb_array_length(d.document #> '{demographics,top_professions}')) from docs as d), 5,
    'at most 5 professions (7 are known)');
select is((select max(jsonb_array_length(d.document #> '{pipeline,lost_reasons}')) from docs as d), 5, 'at most 5 lost reasons');
select cmp_ok((select max(length(d.document::text)) from docs as d), '<=', 300000, 'at most 300,000 characters of JSON');
select cmp_ok((select max(octet_length(d.document::text)) from docs as d), '<=', 300000, 'and 300,000 bytes');

select * from finish();
rollback;
