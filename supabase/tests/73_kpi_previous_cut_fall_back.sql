-- Fair comparisons on the autumn DST day (52 has the spring one): the previous period of a period that ends today is
-- cut at the same local time of day (period.previous.until) when yesterday had 25 hours, when the cut falls in the
-- hour that happens twice, and on the 25-hour day itself. Hand-built fixture in the past (fixed dates, so the expected
-- values hold on any day); "now" is given to private.kpi_resolve_period (as_of), as in 52.
--
-- Coach in Europe/Paris. 2026-10-25 is the autumn DST day: 03:00 CEST (+02) goes back to 02:00 CET (+01), 25 hours;
-- 02:00-03:00 happens twice. Times with their offset (UTC in brackets):
--   lead  created                     events
--   p     2026-10-24 10:00 +02 (08:00)  -
--   q     2026-10-24 15:00 +02 (13:00)  -
--   x     2026-10-24 16:00 +02 (14:00)  -
--   r     2026-10-25 02:15 +02 (00:15)  out 02:20 +02 (00:20), the first 02:xx
--   s     2026-10-25 02:45 +01 (01:45)  out 02:50 +01 (01:50), the second 02:xx
--   t     2026-10-25 13:00 +01 (12:00)  -
--   u     2026-10-25 15:00 +01 (14:00)  -
--   v     2026-10-26 00:30 +01 (10-25 23:30)  out 00:35 +01
--   w     2026-10-26 02:10 +01 (01:10)  -
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(11);
\ir helpers/auth.psql

select tests.create_coach('kpi-cut-autumn@example.com', 'Europe/Paris') as coach \gset

create function pg_temp.lead(coach uuid, name text, created timestamptz) returns void language sql as $$
    insert into public.leads (coach_id, user_id_instagram, instagram_username, status, created_at)
    values (coach, coach || name, name, 'new', created);
$$;
create function pg_temp.dm(coach uuid, name text, at timestamptz) returns void language sql as $$
    insert into public.messages (lead_id, coach_id, direction, text, created_at)
    select l.id, coach, 'out', 'out ' || name, at from public.leads as l
    where l.coach_id = coach and l.instagram_username = name;
$$;
-- the document of "today" at an instant given with its offset
create function pg_temp.today(coach uuid, now_at timestamptz) returns jsonb language sql as $$
    select private.kpi_period_document(coach, private.kpi_resolve_period(coach, 'today', null, null, now_at));
$$;

select pg_temp.lead(:'coach', 'p', '2026-10-24 10:00+02');
select pg_temp.lead(:'coach', 'q', '2026-10-24 15:00+02');
select pg_temp.lead(:'coach', 'x', '2026-10-24 16:00+02');
select pg_temp.lead(:'coach', 'r', '2026-10-25 02:15+02');
select pg_temp.lead(:'coach', 's', '2026-10-25 02:45+01');
select pg_temp.lead(:'coach', 't', '2026-10-25 13:00+01');
select pg_temp.lead(:'coach', 'u', '2026-10-25 15:00+01');
select pg_temp.lead(:'coach', 'v', '2026-10-26 00:30+01');
select pg_temp.lead(:'coach', 'w', '2026-10-26 02:10+01');
select pg_temp.dm(:'coach', 'r', '2026-10-25 02:20+02');
select pg_temp.dm(:'coach', 's', '2026-10-25 02:50+01');
select pg_temp.dm(:'coach', 'v', '2026-10-26 00:35+01');
select private.kpi_upkeep() is not null as upkeep;

-- 1. The day after the 25-hour day, at 14:10 CET: yesterday cut at 14:10 CET (13:10 UTC): r, s, t; not u (15:00)
select pg_temp.today(:'coach', '2026-10-26 14:10+01') as after \gset
select is(:'after'::jsonb #> '{period,previous}', '{"start": "2026-10-25", "end": "2026-10-25", "until": "2026-10-25T13:10:00Z"}',
    'the day after: the 25-hour yesterday cut at 14:10 CET');
select is(:'after'::jsonb #> '{activity,new_leads,value}', '2', 'the day after: v and w today');
select is(:'after'::jsonb #> '{activity,new_leads,previous}', '3', 'the day after: r, s, t before 14:10 yesterday (not u)');
select is(:'after'::jsonb #> '{activity,messages_sent,previous}', '2', 'the day after: both 02:xx DMs are before the cut');

-- 2. A cut in the hour that happens twice: now 2026-10-26 02:30 CET; yesterday's 02:30 is read as its second
-- occurrence (CET, 01:30 UTC), so all of the first 02:xx hour and the second one up to 02:30 count: r, r's DM; not s
-- (02:45 CET) nor its DM (02:50 CET)
select pg_temp.today(:'coach', '2026-10-26 02:30+01') as twice \gset
select is(:'twice'::jsonb #>> '{period,previous,until}', '2026-10-25T01:30:00Z', 'a cut in the repeated hour: its second 02:30 (CET)');
select is(:'twice'::jsonb #> '{activity,new_leads,previous}', '1', 'the repeated hour: r (first 02:15), not s (second 02:45)');
select is(:'twice'::jsonb #> '{activity,messages_sent,previous}', '1', 'the repeated hour: r''s DM, not s''s');
select is(:'twice'::jsonb #> '{activity,messages_sent,value}', '1', 'today: v''s DM at 00:35');

-- 3. On the 25-hour day itself, at 15:30 CET: today is r, s, t, u; the 24-hour yesterday cut at 15:30 CEST (13:30
-- UTC): p, q, not x (16:00)
select pg_temp.today(:'coach', '2026-10-25 15:30+01') as dst_day \gset
select is(:'dst_day'::jsonb #> '{period,previous}', '{"start": "2026-10-24", "end": "2026-10-24", "until": "2026-10-24T13:30:00Z"}',
    'the 25-hour day: yesterday cut at 15:30 CEST');
select is(:'dst_day'::jsonb #> '{activity,new_leads}', '{"value": 4, "previous": 2, "change_pct": 100.0, "comparable": false}',
    'the 25-hour day: r s t u vs p q (under the low-sample rule: not comparable)');
-- for contrast, the whole of 10-24: p, q, x
select is(private.kpi_period_document(:'coach', private.kpi_resolve_period(:'coach', 'range', '2026-10-24', '2026-10-24',
        '2026-10-25 15:30+01')) #> '{activity,new_leads,value}', '3', 'the whole of 10-24 has 3 new leads');

select * from finish();
rollback;
