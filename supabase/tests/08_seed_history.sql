-- The seed's history (supabase/seed.sql) is one real data could have: nothing after now in any coach's time zone,
-- status histories, call outcomes, deals and DM numbers consistent with one another, about 120 days with a weekly
-- rhythm and a trend per coach, and Julie's default view (30 j) showing a change on every headline tile.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(20);
\ir helpers/auth.psql

create temporary table seed_coach_ids (name text, id uuid) on commit drop;
insert into seed_coach_ids values
    ('julie', 'c0000000-0000-4000-8000-000000000001'), ('karim', 'c0000000-0000-4000-8000-000000000002'),
    ('sophie', 'c0000000-0000-4000-8000-000000000003'), ('lucas', 'c0000000-0000-4000-8000-000000000004');

-- 1. Time

select is(
    (select count(*)::int from (
        select l.created_at as at from public.leads as l
        union all select l.status_changed_at from public.leads as l
        union all select l.lead_magnet_sent_at from public.leads as l
        union all select l.last_contact_at from public.leads as l
        union all select e.changed_at from public.lead_status_events as e
        union all select m.created_at from public.messages as m
        union all select m.replied_at from public.messages as m
        union all select s.msg1_sent_at from public.message_sequences as s
        union all select s.call_booked_at from public.message_sequences as s
    ) as t where t.at > now()),
    0,
    'nothing is dated after now');
select is(
    (select count(*)::int from public.messages as m join public.coachs as c on c.id = m.coach_id
     where (m.created_at at time zone c.timezone)::date > (now() at time zone c.timezone)::date),
    0,
    'no message on a local day after the coach''s today');
select ok(
    (select bool_and(d.first_day between (now() at time zone c.timezone)::date - 121
                                     and (now() at time zone c.timezone)::date - 110
                     and d.last_day >= (now() at time zone c.timezone)::date - 3)
     from public.coachs as c
     join lateral (select min((l.created_at at time zone c.timezone)::date) as first_day,
                          max((l.created_at at time zone c.timezone)::date) as last_day
                   from public.leads as l where l.coach_id = c.id) as d on true
     where c.id in ('c0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002')),
    'Julie''s and Karim''s leads span about 120 days up to the last days');
select is(
    (select count(distinct c.timezone)::int from public.coachs as c join seed_coach_ids as s on s.id = c.id),
    2,
    'the seeded coaches live in two time zones');

-- 2. Status histories and outcomes

select is(
    (select count(*)::int from public.leads as l
     where (select array_agg(e.to_status order by e.changed_at, e.id) from public.lead_status_events as e where e.lead_id = l.id)[1] <> 'new'
        or (select min(e.changed_at) from public.lead_status_events as e where e.lead_id = l.id) <> l.created_at
        or (select e.to_status from public.lead_status_events as e where e.lead_id = l.id order by e.changed_at desc, e.id desc limit 1) <> l.status
        or (select max(e.changed_at) from public.lead_status_events as e where e.lead_id = l.id) <> l.status_changed_at),
    0,
    'each history starts with new at the lead''s creation and ends with its current status at status_changed_at');
select is(
    (select count(*)::int from (
        select e.from_status, lag(e.to_status) over w as previous, e.changed_at, lag(e.changed_at) over w as previous_at
        from public.lead_status_events as e
        window w as (partition by e.lead_id order by e.changed_at, e.id)
    ) as h
    where h.previous is not null and (h.from_status is distinct from h.previous or h.changed_at <= h.previous_at)),
    0,
    'each status event follows the one before it, strictly later');
select is(
    (select count(*)::int from public.leads as l
     where l.status = 'won' and not (
        l.deal_value > 0 and l.call_showed
        and exists (select 1 from public.lead_status_events as b join public.lead_status_events as w on w.lead_id = b.lead_id
                    where b.lead_id = l.id and b.to_status = 'call_booked' and w.to_status = 'won' and b.changed_at < w.changed_at))),
    0,
    'a won lead booked a call before, attended it, and has a deal value');
select is(
    (select count(*)::int from public.leads as l
     where (l.deal_value is not null and l.status <> 'won')
        or (l.lost_reason is not null and l.status <> 'lost')
        or (l.call_showed is not null and not exists (
            select 1 from public.lead_status_events as e where e.lead_id = l.id and e.to_status = 'call_booked'))),
    0,
    'deal values only on won leads, lost reasons only on lost ones, call outcomes only after a booking');
select ok(
    (select count(*) filter (where l.status = 'won') >= 20
        and count(*) filter (where l.status in ('new', 'engaged', 'qualified', 'call_proposed', 'call_booked', 'relance')) >= 15
        and count(*) filter (where l.status = 'lost' and l.lost_reason is null) > 0
     from public.leads as l),
    'deals, open leads, and leads lost without a word');

-- 3. Messages

select is(
    (select count(*)::int from public.messages as m join public.leads as l on l.id = m.lead_id where m.created_at < l.created_at),
    0,
    'no message before its lead appeared');
select is(
    (select count(*)::int from (select m.lead_id, m.created_at from public.messages as m group by 1, 2 having count(*) > 1) as d),
    0,
    'no two messages of a lead at the same instant (their order, hence DM numbers, is the same on every delivery)');
select is(
    (select count(*)::int from (
        select m.message_number, row_number() over (partition by m.lead_id order by m.created_at) as n
        from public.messages as m where m.direction = 'out'
    ) as o where o.message_number is distinct from o.n::integer),
    0,
    'outbound messages are numbered 1, 2, 3... in time order');
select ok(
    (select count(*) filter (where s.msg1_replied) > 0 and count(*) filter (where s.msg2_replied) > 0
        and count(*) filter (where s.msg4_sent_at is not null) > 0
     from public.message_sequences as s),
    'leads answer DM 1 and later DMs; the sequence reaches DM 4');

-- 4. Rhythm and trends (local days of the last 119 whole days)

select ok(
    (select avg(n) filter (where dow = 0) < 0.6 * avg(n) filter (where dow between 1 and 5)
     from (
        select extract(dow from (m.created_at at time zone c.timezone)::date) as dow,
               (m.created_at at time zone c.timezone)::date as day, count(*) as n
        from public.messages as m join public.coachs as c on c.id = m.coach_id
        where m.direction = 'out' and c.id = 'c0000000-0000-4000-8000-000000000001'
            and (m.created_at at time zone c.timezone)::date < (now() at time zone c.timezone)::date
        group by 1, 2
     ) as d),
    'Julie sends fewer DMs on Sundays than on weekdays');
create temporary table seed_windows on commit drop as
select s.name,
    count(*) filter (where l.created_at > now() - interval '30 days') as last_30,
    count(*) filter (where l.created_at <= now() - interval '30 days' and l.created_at > now() - interval '60 days') as days_30_60,
    count(*) filter (where l.created_at <= now() - interval '45 days' and l.created_at > now() - interval '65 days') as days_45_65,
    count(*) filter (where l.created_at <= now() - interval '90 days') as before_90
from seed_coach_ids as s join public.leads as l on l.coach_id = s.id
group by s.name;
select ok((select last_30 > 1.15 * days_30_60 and days_30_60 > 1.15 * before_90 from seed_windows where name = 'julie'),
    'Julie grows: more leads in the last 30 days than in the 30 before, and more then than 90 days ago');
select ok((select last_30 between 0.7 * days_30_60 and 1.4 * days_30_60 from seed_windows where name = 'karim'),
    'Karim is flat');
select ok((select days_45_65 * 1.5 < before_90 * 20 / 30.0 and days_45_65 * 1.5 < last_30 * 20 / 30.0 from seed_windows where name = 'sophie'),
    'Sophie recovers after a dip (45 to 65 days ago, per day)');

-- 5. Julie's default view: every headline tile compares with the 30 days before, and the trend has a shape

do $$ begin while (private.kpi_upkeep() ->> 'queued')::integer > 0 loop end loop; end $$;
select tests.authenticate_as('c0000000-0000-4000-8000-000000000001');
select public.get_dashboard(period => '30d') as month, public.get_dashboard(period => '90d') as quarter \gset
select tests.clear_authentication();
select is(
    (select array_agg(t.tile order by t.tile) from (values
        ('new_leads', :'month'::jsonb #> '{activity,new_leads}'),
        ('dm1_reply_rate', (select r -> 'rate' from jsonb_array_elements(:'month'::jsonb -> 'reply_rates') as r
                            where (r ->> 'message_number')::int = 1)),
        ('calls_booked', :'month'::jsonb #> '{qualification,calls_booked}'),
        ('deals_closed', :'month'::jsonb #> '{performance,deals_closed}'),
        ('revenue', :'month'::jsonb #> '{performance,revenue}'),
        ('roi', :'month'::jsonb #> '{performance,roi}')
    ) as t (tile, metric)
    where (t.metric ->> 'comparable')::boolean and coalesce(t.metric ->> 'change_pct', t.metric ->> 'change_points') is not null),
    array['calls_booked', 'deals_closed', 'dm1_reply_rate', 'new_leads', 'revenue', 'roi'],
    'Julie, 30 j: each of the six headline tiles has a comparable change');
-- trend series as rows: (bucket number, new leads, calls booked, revenue)
create function pg_temp.trend(doc jsonb)
returns table (i bigint, new_leads numeric, calls_booked numeric, revenue numeric)
language sql
as $$
    select a.i, a.v::numeric, b.v::numeric, c.v::numeric
    from jsonb_array_elements_text(doc #> '{trend,new_leads}') with ordinality as a (v, i)
    join jsonb_array_elements_text(doc #> '{trend,calls_booked}') with ordinality as b (v, i) on b.i = a.i
    join jsonb_array_elements_text(doc #> '{trend,revenue}') with ordinality as c (v, i) on c.i = a.i;
$$;
select ok(
    (select count(*) = 30 and count(*) filter (where t.calls_booked > 0) >= 8 and count(*) filter (where t.revenue > 0) >= 5
        and max(t.new_leads) >= 2 * greatest(min(t.new_leads), 1)
     from pg_temp.trend(:'month'::jsonb) as t),
    'Julie, 30 j: calls and revenue spread over the month, new leads vary from day to day');
select ok(
    (select count(*) = 90
        and sum(t.new_leads) filter (where t.i > 60) > 1.2 * sum(t.new_leads) filter (where t.i <= 30)
        and bool_and(x.booked > 0 and x.revenue > 0)
     from pg_temp.trend(:'quarter'::jsonb) as t
     cross join lateral (
        select sum(u.calls_booked) as booked, sum(u.revenue) as revenue
        from pg_temp.trend(:'quarter'::jsonb) as u where (u.i - 1) / 30 = (t.i - 1) / 30
     ) as x),
    'Julie, 90 j: new leads grow from the first 30 days to the last; calls and revenue in each of the three months');

select * from finish();
rollback;
