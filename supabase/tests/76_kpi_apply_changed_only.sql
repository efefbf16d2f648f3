-- private.kpi_apply_lead_facts (the upkeep and the reconcile walk) writes only the leads whose facts changed: a walk over
-- unchanged leads keeps their rows as they are (same ctid), a lead changed behind the triggers' back is repaired. On the
-- hand-made fixture of helpers/kpi_fixture.psql (read it first). Before 20261206212611 every lead walked was deleted and
-- inserted again and its contributions added and taken off.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(6);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

select tests.create_coach('kpi-apply-changed@example.com') as coach \gset
select tests.kpi_fixture(:'coach');
select private.kpi_upkeep() is not null as upkeep;

create temporary table before_walk as
select f.lead_id, f.ctid::text as row_at from private.lead_facts as f where f.coach_id = :'coach';
create temporary table days_before as
select k.day, k.ctid::text as row_at from private.kpi_facts as k where k.coach_id = :'coach' and k.grain = 'day';

select is(private.kpi_apply_lead_facts(array(select l.id from public.leads as l where l.coach_id = :'coach')), 9,
    'the nine leads of the fixture are walked');
select is((select count(*) from private.lead_facts as f join before_walk as b on b.lead_id = f.lead_id
           where f.ctid::text = b.row_at), 9::bigint,
    'nothing changed: the nine lead facts rows are kept as they were (not deleted and inserted again)');
select is((select count(*) from private.kpi_facts as k join days_before as b on b.day = k.day
           where k.coach_id = :'coach' and k.grain = 'day' and k.ctid::text = b.row_at),
    (select count(*) from days_before),
    'nothing changed: no day row of the coach is written');

-- l1 (story, created d-20) becomes a post lead behind the triggers' back (as a restore or a replica write would)
set local session_replication_role = replica;
update public.leads set source = 'post' where id = tests.kpi_lead(:'coach', 'l1');
set local session_replication_role = origin;
select private.kpi_apply_lead_facts(array(select l.id from public.leads as l where l.coach_id = :'coach')) as walked;

select is((select array_agg(b.lead_id = tests.kpi_lead(:'coach', 'l1') order by b.lead_id = tests.kpi_lead(:'coach', 'l1'))
           from private.lead_facts as f join before_walk as b on b.lead_id = f.lead_id
           where f.ctid::text <> b.row_at),
    array[true],
    'the walk rewrites l1''s facts only');
select is((select f.source from private.lead_facts as f where f.lead_id = tests.kpi_lead(:'coach', 'l1')), 'post',
    'l1''s facts say post');
-- leads by source over the day rows: story l2 l8 l9 = 3 (l1 left), post l1 l3 l4 = 3, keyword l5 l7 = 2
select is(
    (select jsonb_build_object('story', sum((k.sources ->> 'leads:story')::numeric), 'post', sum((k.sources ->> 'leads:post')::numeric),
        'keyword', sum((k.sources ->> 'leads:keyword')::numeric))
     from private.kpi_facts as k where k.coach_id = :'coach' and k.grain = 'day'),
    '{"story": 3, "post": 3, "keyword": 2}'::jsonb,
    'the day rows count l1 under post, no longer under story');

select * from finish();
rollback;
