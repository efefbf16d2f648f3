-- Fair comparisons: the previous period of a period that ends today is cut at the same local time of day
-- (period.previous.until), around midnight and on a DST day, on a hand-built fixture in the past (fixed dates, so
-- the expected values hold on any day). The instant "now" is given to private.kpi_resolve_period (as_of), and the
-- document is computed by private.kpi_period_document, as get_dashboard computes it.
--
-- Coach in Europe/Paris. 2026-03-29 is a DST day: 02:00 CET (+01) jumps to 03:00 CEST (+02), 23 hours.
--   lead  created (Paris)        events
--   h     2026-03-28 09:00 CET   -
--   i     2026-03-28 20:00 CET   -
--   e     2026-03-29 01:30 CET   out 01:40 (DM 1), in 01:50; qualified 13:00 CEST; lead magnet 14:30; out 14:30 (DM 2)
--   f     2026-03-29 14:05 CEST  out 14:06 (DM 1); lead magnet 14:07; in 14:20; qualified 15:00
--   g     2026-03-29 14:15 CEST  -
--   c     2026-03-29 23:55 CEST  -
--   a     2026-03-30 00:05 CEST  out 00:06 (DM 1), in 00:09
--   b     2026-03-30 00:15 CEST  out 00:20 (DM 1)
--   d     2026-03-31 00:02 CEST  out 00:03 (DM 1)
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(22);
\ir helpers/auth.psql

select tests.create_coach('kpi-cut@example.com', 'Europe/Paris') as coach \gset

create function pg_temp.at(local_time text) returns timestamptz language sql as
    $$ select local_time::timestamp at time zone 'Europe/Paris' $$;
create function pg_temp.lead(coach uuid, name text, created text, magnet text default null) returns void language sql as $$
    insert into public.leads (coach_id, user_id_instagram, instagram_username, status, created_at, lead_magnet_sent_at)
    values (coach, coach || name, name, 'new', pg_temp.at(created), pg_temp.at(magnet));
$$;
create function pg_temp.msg(coach uuid, name text, dir text, at text) returns void language sql as $$
    insert into public.messages (lead_id, coach_id, direction, text, created_at)
    select l.id, coach, dir, dir || ' ' || name, pg_temp.at(at) from public.leads as l
    where l.coach_id = coach and l.instagram_username = name;
$$;
create function pg_temp.move(coach uuid, name text, status text, at text) returns void language sql as $$
    update public.leads set status = move.status, status_changed_at = pg_temp.at(at)
    where coach_id = coach and instagram_username = name;
$$;
-- the document of a period at a given Paris wall-clock "now"
create function pg_temp.doc(coach uuid, period text, now_paris text, period_start date default null, period_end date default null)
returns jsonb language sql as $$
    select private.kpi_period_document(coach,
        private.kpi_resolve_period(coach, period, period_start, period_end, pg_temp.at(now_paris)));
$$;

select pg_temp.lead(:'coach', 'h', '2026-03-28 09:00');
select pg_temp.lead(:'coach', 'i', '2026-03-28 20:00');
select pg_temp.lead(:'coach', 'e', '2026-03-29 01:30', '2026-03-29 14:30');
select pg_temp.lead(:'coach', 'f', '2026-03-29 14:05', '2026-03-29 14:07');
select pg_temp.lead(:'coach', 'g', '2026-03-29 14:15');
select pg_temp.lead(:'coach', 'c', '2026-03-29 23:55');
select pg_temp.lead(:'coach', 'a', '2026-03-30 00:05');
select pg_temp.lead(:'coach', 'b', '2026-03-30 00:15');
select pg_temp.lead(:'coach', 'd', '2026-03-31 00:02');
select pg_temp.msg(:'coach', 'e', 'out', '2026-03-29 01:40');
select pg_temp.msg(:'coach', 'e', 'in', '2026-03-29 01:50');
select pg_temp.msg(:'coach', 'f', 'out', '2026-03-29 14:06');
select pg_temp.msg(:'coach', 'f', 'in', '2026-03-29 14:20');
select pg_temp.msg(:'coach', 'e', 'out', '2026-03-29 14:30');
select pg_temp.msg(:'coach', 'a', 'out', '2026-03-30 00:06');
select pg_temp.msg(:'coach', 'a', 'in', '2026-03-30 00:09');
select pg_temp.msg(:'coach', 'b', 'out', '2026-03-30 00:20');
select pg_temp.msg(:'coach', 'd', 'out', '2026-03-31 00:03');
select pg_temp.move(:'coach', 'e', 'engaged', '2026-03-29 12:00');
select pg_temp.move(:'coach', 'e', 'qualified', '2026-03-29 13:00');
select pg_temp.move(:'coach', 'f', 'engaged', '2026-03-29 14:30');
select pg_temp.move(:'coach', 'f', 'qualified', '2026-03-29 15:00');
select private.kpi_upkeep() is not null as upkeep;

-- 1. Around midnight: "now" 2026-03-31 00:10 CEST. today = [03-31] (d: 1 lead, 1 DM); yesterday 03-30 up to 00:10
-- CEST = 2026-03-29 22:10 UTC: a (00:05) and its DM 1 (00:06) and reply (00:09); not b (00:15, 00:20).
select pg_temp.doc(:'coach', 'today', '2026-03-31 00:10') as midnight \gset
select is(:'midnight'::jsonb #> '{period,previous}',
    '{"start": "2026-03-30", "end": "2026-03-30", "until": "2026-03-29T22:10:00Z"}', 'midnight: yesterday cut at 00:10 Paris');
select is(:'midnight'::jsonb #> '{activity,new_leads}', '{"value": 1, "previous": 1, "change_pct": 0.0, "comparable": false}',
    'midnight: 1 new lead (d) vs 1 before 00:10 yesterday (a, not b)');
select is(:'midnight'::jsonb #> '{activity,messages_sent}', '{"value": 1, "previous": 1, "change_pct": 0.0, "comparable": false}',
    'midnight: 1 DM vs a''s 00:06 (not b''s 00:20)');
select is(:'midnight'::jsonb #> '{activity,messages_received,previous}', '1', 'midnight: a''s reply at 00:09');
select is(:'midnight'::jsonb #> '{reply_rates,0,rate,previous}', '{"value": 100.0, "num": 1, "den": 1, "low_sample": true}',
    'midnight: DM 1 cohort before the cut: a, who replied');
-- the whole day, for contrast: a and b, 2 DMs
select is(pg_temp.doc(:'coach', 'range', '2026-03-31 00:10', '2026-03-30', '2026-03-30') #> '{activity,new_leads,value}', '2',
    'the whole of 03-30 has 2 new leads');

-- 2. The day after the DST day: "now" 2026-03-30 14:10 CEST; yesterday 03-29 (23 hours) up to 14:10 CEST = 12:10 UTC.
select pg_temp.doc(:'coach', 'today', '2026-03-30 14:10') as dst \gset
select is(:'dst'::jsonb #>> '{period,previous,until}', '2026-03-29T12:10:00Z', 'DST day: cut at 14:10 CEST (12:10 UTC)');
-- 03-30 so far (the facts of the day): a, b; 03-29 before 14:10: e (01:30 CET), f (14:05); not g (14:15), c (23:55)
select is(:'dst'::jsonb #> '{activity,new_leads}', '{"value": 2, "previous": 2, "change_pct": 0.0, "comparable": false}',
    'DST day: 2 new leads vs e and f');
-- DMs before the cut: e 01:40, f 14:06 (not e''s DM 2 at 14:30); received: e 01:50 (not f 14:20)
select is(:'dst'::jsonb #> '{activity,messages_sent,previous}', '2', 'DST day: 2 DMs before the cut');
select is(:'dst'::jsonb #> '{activity,messages_received,previous}', '1', 'DST day: 1 message received before the cut');
-- DM 1 cohort before the cut: e and f; both replied (f at 14:20, after the cut: a cohort counts what it did since)
select is(:'dst'::jsonb #> '{reply_rates,0,rate,previous}', '{"value": 100.0, "num": 2, "den": 2, "low_sample": true}',
    'DST day: DM 1 cohort e and f, both replied since');
select is(:'dst'::jsonb #> '{reply_rates,1,rate,previous,den}', '0', 'DST day: e''s DM 2 (14:30) is after the cut');
-- qualified before the cut: e (13:00); f (15:00) after it, but in the cohort's qualification rate (since)
select is(:'dst'::jsonb #> '{qualification,qualified_leads,previous}', '1', 'DST day: 1 qualified before the cut (e)');
select is(:'dst'::jsonb #> '{qualification,qualification_rate,previous}', '{"value": 100.0, "num": 2, "den": 2, "low_sample": true}',
    'DST day: the DM 1 cohort (e, f) qualified since: 2 / 2');
-- lead magnets: f 14:07 before the cut, e 14:30 after
select is(:'dst'::jsonb #> '{qualification,lead_magnets_sent,previous}', '1', 'DST day: 1 lead magnet before the cut (f)');
-- AI efficiency: inbound before the cut e 01:50, answered later by e''s 14:30: 1 / 1
select is(:'dst'::jsonb #> '{performance,ai_efficiency,previous}', '{"value": 100.0, "num": 1, "den": 1, "low_sample": true}',
    'DST day: AI efficiency of the inbound messages before the cut');

-- 3. A local time that does not exist on the DST day: "now" 2026-03-30 02:30 CEST; 03-29 02:30 is read as 03:30 CEST
-- (01:30 UTC): e (01:30 CET = 00:30 UTC) is before it
select is(pg_temp.doc(:'coach', 'today', '2026-03-30 02:30') #> '{period,previous,until}', '"2026-03-29T01:30:00Z"',
    'a cut in the DST gap: 02:30 read as 03:30 CEST');

-- 4. 7d ending 2026-04-05 at 14:10: previous [03-23, 03-29], its last day cut at 14:10 CEST: h, i, e, f
select pg_temp.doc(:'coach', '7d', '2026-04-05 14:10') as week \gset
select is(:'week'::jsonb #> '{period,previous}', '{"start": "2026-03-23", "end": "2026-03-29", "until": "2026-03-29T12:10:00Z"}',
    '7d: the previous week''s last day is cut');
select is(:'week'::jsonb #> '{activity,new_leads,previous}', '4', '7d: h, i (03-28), e, f (03-29 before 14:10)');

-- 5. A range ending today: [03-29, 03-30] at 03-30 14:10; previous [03-27, 03-28] cut at 03-28 14:10 CET (13:10 UTC):
-- h (09:00), not i (20:00)
select pg_temp.doc(:'coach', 'range', '2026-03-30 14:10', '2026-03-29', '2026-03-30') as range_today \gset
select is(:'range_today'::jsonb #> '{period,previous}', '{"start": "2026-03-27", "end": "2026-03-28", "until": "2026-03-28T13:10:00Z"}',
    'a range ending today is cut too (CET on 03-28)');
select is(:'range_today'::jsonb #> '{activity,new_leads}', '{"value": 6, "previous": 1, "change_pct": 500.0, "comparable": false}',
    'range: e f g c a b vs h');

-- 6. A range ending before today compares whole days: until null, i counted
select is(pg_temp.doc(:'coach', 'range', '2026-03-31 10:00', '2026-03-29', '2026-03-30') #> '{period,previous}',
    '{"start": "2026-03-27", "end": "2026-03-28", "until": null}', 'a range ending yesterday: whole days (until null)');

select * from finish();
rollback;
