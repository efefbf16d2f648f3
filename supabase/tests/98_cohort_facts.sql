-- private.kpi_cohort_facts, what get_cohorts reads: one row per coach and week kept by the upkeep from the lead facts,
-- equal to a rebuild after new leads, a status change and a deleted lead; a week left without leads has no row.
-- Fixture of pgTAP 95 (counts by hand there): week 6 before the current one has A, B, C, D; the current week E.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(7);
\ir helpers/auth.psql

select tests.midday_timezone() as tz \gset
select tests.create_coach('cohort-facts@example.com', :'tz') as a \gset
select (now() at time zone :'tz')::date as today \gset
select date_trunc('week', :'today'::date)::date as w0, date_trunc('week', :'today'::date)::date - 42 as w6 \gset
select (((:'w6'::date + 1)::timestamp + time '12:00') at time zone :'tz') as t0 \gset

select public.ingest_lead(jsonb_build_object('coach_id', :'a', 'user_id_instagram', x.ig, 'created_at', x.created_at)) is not null as leads
from (values ('A', :'t0'::timestamptz), ('B', :'t0'::timestamptz), ('C', :'t0'::timestamptz), ('D', :'t0'::timestamptz),
             ('E', now() - interval '1 minute')) as x (ig, created_at);
select public.ingest_lead(jsonb_build_object('coach_id', :'a', 'user_id_instagram', x.ig, 'status', x.status,
        'status_changed_at', :'t0'::timestamptz + x.after)) is not null as events
from (values ('A', 'qualified', interval '3 days'), ('A', 'call_booked', interval '10 days'), ('A', 'won', interval '20 days'),
             ('B', 'qualified', interval '8 days'), ('D', 'lost', interval '2 days')) as x (ig, status, after);
select private.kpi_upkeep() is not null as upkeep;

create temporary table cohort_rows (coach_id uuid, week date, leads integer, still_open integer, qualified_7 integer,
    qualified_14 integer, qualified_30 integer, booked_7 integer, booked_14 integer, booked_30 integer, won_7 integer,
    won_14 integer, won_30 integer);
create function pg_temp.cohort_rows(coach uuid) returns setof cohort_rows language sql as $$
    select k.coach_id, k.week, k.leads, k.still_open, k.qualified_7, k.qualified_14, k.qualified_30, k.booked_7,
        k.booked_14, k.booked_30, k.won_7, k.won_14, k.won_30
    from private.kpi_cohort_facts as k where k.coach_id = coach;
$$;

select is((select jsonb_agg(jsonb_build_array(r.week, r.leads, r.still_open) order by r.week) from pg_temp.cohort_rows(:'a') as r),
    jsonb_build_array(jsonb_build_array(:'w6'::date, 4, 2), jsonb_build_array(:'w0'::date, 1, 1)),
    'one row per week with leads: week 6 (A, B, C, D; B and C open), the current week (E, open)');

insert into cohort_rows select * from pg_temp.cohort_rows(:'a');
select private.kpi_rebuild(:'a') is not null as rebuilt;
select set_eq(format('select * from pg_temp.cohort_rows(%L)', :'a'), 'select * from cohort_rows',
    'the upkeep''s cohort facts equal a rebuild');

-- E deleted: the current week has no lead left, so no row
delete from public.leads as l where l.coach_id = :'a' and l.user_id_instagram = 'E';
select private.kpi_upkeep() is not null as upkeep;
select is((select count(*)::integer from private.kpi_cohort_facts as k where k.coach_id = :'a' and k.week = :'w0'), 0,
    'a week left without leads has no row');

-- C won now, 6 weeks after its first contact: no longer open, and not won within 30 days
select public.ingest_lead(jsonb_build_object('coach_id', :'a', 'user_id_instagram', 'C', 'status', 'won',
    'status_changed_at', now())) is not null as won;
select private.kpi_upkeep() is not null as upkeep;
select is((select jsonb_build_array(k.leads, k.still_open, k.won_7, k.won_14, k.won_30)
        from private.kpi_cohort_facts as k where k.coach_id = :'a' and k.week = :'w6'),
    '[4, 1, 0, 0, 1]'::jsonb, 'week 6 after C won: 4 leads, 1 open (B), won within 30 days: A only');

truncate cohort_rows;
insert into cohort_rows select * from pg_temp.cohort_rows(:'a');
select private.kpi_rebuild(:'a') is not null as rebuilt;
select set_eq(format('select * from pg_temp.cohort_rows(%L)', :'a'), 'select * from cohort_rows',
    'after a deleted lead and a status change, still equal to a rebuild');

-- get_cohorts reads these rows (not the leads): a row changed by hand shows
update private.kpi_cohort_facts as k set leads = 40 where k.coach_id = :'a' and k.week = :'w6';
select is(private.kpi_cohorts(:'a') #> '{weeks,6,leads}', '40'::jsonb, 'get_cohorts reads the week''s row');
select is(private.kpi_cohorts(:'a') #> '{weeks,0,leads}', '0'::jsonb, 'a week without a row has 0 leads');

select * from finish();
rollback;
