-- The digest emails' SQL (docs/deployment.md, "Digest emails"): which digests are due, in two time zones (weekly
-- from Monday 8:00 local about the ISO week before, daily from 8:00 about the day before, opt-outs, a coach without
-- leads, a given week or coach), and the ledger's exactly-once rules: two concurrent claimers (two real sessions through dblink) get one
-- claim; a claim whose lease holds is not claimed again, an expired one is; only the holder marks it sent or failed;
-- a failure is claimed again up to 5 times; sent is final.
begin;
create extension if not exists pgtap with schema extensions;
create extension if not exists dblink with schema extensions;
set local search_path = public, extensions;
select plan(30);
\ir helpers/auth.psql

select tests.create_coach('digest-paris@example.com', 'Europe/Paris') as paris \gset
select tests.create_coach('digest-tokyo@example.com', 'Asia/Tokyo') as tokyo \gset
select tests.create_coach('digest-off@example.com', 'Europe/Paris') as off \gset
insert into private.coach_notification_settings (coach_id, digest_weekly, digest_daily)
values (:'tokyo', true, true), (:'off', false, false);
select tests.create_coach('digest-empty@example.com', 'Europe/Paris') as empty \gset
insert into public.leads (coach_id, user_id_instagram, status, created_at)
select c, c || ':lead', 'new', '2026-01-05 10:00Z' from unnest(array[:'paris', :'tokyo', :'off']::uuid[]) as c;

create temporary table due as select * from private.digest_due('2026-12-07 06:59Z', null, null) where false;
create or replace function pg_temp.due_at(at timestamptz)
returns text[]
language sql
as $$
    select coalesce(array_agg(c.email || ':' || d.kind || ':' || d.period_key || ':' || d.period_start || '..' || d.period_end
        order by c.email, d.kind), '{}')
    from private.digest_due(at, null, null) as d
    join public.coachs as c on c.id = d.coach_id
    where c.email in ('digest-paris@example.com', 'digest-tokyo@example.com', 'digest-off@example.com');
$$;

-- Monday 2026-12-07: 8:00 in Paris is 07:00Z; in Tokyo it is Sunday 23:00Z
select is(pg_temp.due_at('2026-12-06 22:59Z'), '{digest-paris@example.com:weekly:2026-W48:2026-11-23..2026-11-29,digest-tokyo@example.com:daily:2026-12-05:2026-12-05..2026-12-05,digest-tokyo@example.com:weekly:2026-W48:2026-11-23..2026-11-29}',
    'Sunday 22:59Z: Paris owes W48 (due since Monday 30 Nov 8:00); Tokyo (Monday 7:59) still W48 and Saturday''s daily');
select is(pg_temp.due_at('2026-12-06 23:00Z'), '{digest-paris@example.com:weekly:2026-W48:2026-11-23..2026-11-29,digest-tokyo@example.com:daily:2026-12-06:2026-12-06..2026-12-06,digest-tokyo@example.com:weekly:2026-W49:2026-11-30..2026-12-06}',
    '23:00Z is Monday 8:00 in Tokyo: its W49 weekly and Sunday''s daily become due');
select is(pg_temp.due_at('2026-12-07 06:59Z'), '{digest-paris@example.com:weekly:2026-W48:2026-11-23..2026-11-29,digest-tokyo@example.com:daily:2026-12-06:2026-12-06..2026-12-06,digest-tokyo@example.com:weekly:2026-W49:2026-11-30..2026-12-06}',
    'Monday 07:59 in Paris: still W48 there');
select is(pg_temp.due_at('2026-12-07 07:00Z'), '{digest-paris@example.com:weekly:2026-W49:2026-11-30..2026-12-06,digest-tokyo@example.com:daily:2026-12-06:2026-12-06..2026-12-06,digest-tokyo@example.com:weekly:2026-W49:2026-11-30..2026-12-06}',
    'Monday 8:00 in Paris: W49 there too; the opted-out coach never appears');
-- across DST: Monday 30 March 2026 8:00 in Paris is 06:00Z (summer time since the 29th)
select is((select d.period_key from private.digest_due('2026-03-30 05:59Z', :'paris', null) as d), '2026-W12',
    'a coach given: its digest due now (Monday 7:59 CEST: still W12, 16-22 March)');
select is(array(select d.period_key from private.digest_due('2026-03-30 06:00Z', null, null) as d where d.coach_id = :'paris'), '{2026-W13}',
    'at 06:00Z, Monday 8:00 CEST: W13 (23-29 March) is due');
select is(array(select d.period_key from private.digest_due('2026-03-30 05:59Z', null, null) as d where d.coach_id = :'paris'), '{2026-W12}',
    'a minute before: still W12');

-- a given week, a given coach, errors
select is(array(select c.email from private.digest_due('2026-12-07 12:00Z', null, '2026-W45') as d
    join public.coachs as c on c.id = d.coach_id where c.email in ('digest-paris@example.com', 'digest-tokyo@example.com', 'digest-off@example.com') order by 1),
    '{digest-paris@example.com,digest-tokyo@example.com}', 'a week given: its weekly digests, no daily ones');
select is((select count(*) from private.digest_due('2026-12-02 12:00Z', :'paris', '2026-W49'))::integer, 0,
    'a week that has not ended in the coach''s time zone is not due');
select is((select count(*) from private.digest_due('2026-12-07 12:00Z', :'off', null))::integer, 0,
    'a coach who opted out gets nothing, even by name');
select is((select count(*) from private.digest_due('2026-12-07 12:00Z', :'empty', null))::integer, 0,
    'a coach without any lead yet gets nothing (its default is on)');
select throws_ok($$select * from private.digest_due(now(), null, '2026-49')$$, '22023',
    'invalid parameter "week": "2026-49" is not an ISO week YYYY-Www (e.g. 2026-W49)', 'a malformed week');
select throws_ok($$select * from private.digest_due(now(), null, '2025-W53')$$, '22023',
    'invalid parameter "week": 2025 has no week 53', 'a week 53 of a 52-week year');
select is(private.digest_week_start('2020-W53'), '2020-12-28'::date, '2020 has a week 53, starting on 28 December');

-- the ledger, in this session
select private.digest_claim(:'paris', 'weekly', '2026-W45', '2026-11-02', '2026-11-08') as t1 \gset
select isnt(:'t1'::uuid, null, 'a first claim gets a token');
select is(private.digest_claim(:'paris', 'weekly', '2026-W45', '2026-11-02', '2026-11-08'), null,
    'a second claim while the lease holds gets none');
select is((select count(*) from private.digest_due(clock_timestamp(), :'paris', '2026-W45'))::integer, 0,
    'a held claim is not due');
select is(private.digest_mark_sent(:'paris', 'weekly', '2026-W45', gen_random_uuid(), '<x>'), null,
    'another token cannot mark it sent');
select is(private.digest_mark_failed(:'paris', 'weekly', '2026-W45', :'t1', 'SMTP 451'), true, 'the holder marks it failed');
select is((select count(*) from private.digest_due(clock_timestamp(), :'paris', '2026-W45'))::integer, 1, 'a failed digest is due again');
select private.digest_claim(:'paris', 'weekly', '2026-W45', '2026-11-02', '2026-11-08') as t2 \gset
select is((select (l.status, l.attempts, l.last_error)::text from private.digest_ledger as l where l.coach_id = :'paris' and l.period_key = '2026-W45'),
    '(claimed,2,"SMTP 451")', 'claimed again: attempt 2, the last error kept until it is sent');
select is(private.digest_mark_sent(:'paris', 'weekly', '2026-W45', :'t1', '<old>'), null, 'the first token no longer holds it');
select is(private.digest_mark_sent(:'paris', 'weekly', '2026-W45', :'t2', '<m2>'), true, 'the holder marks it sent');
select is(private.digest_claim(:'paris', 'weekly', '2026-W45', '2026-11-02', '2026-11-08'), null, 'sent is final: no claim');
select is((select count(*) from private.digest_due(clock_timestamp(), :'paris', '2026-W45'))::integer, 0, 'and nothing due');
-- an expired lease (the run crashed): claimed again
select private.digest_claim(:'tokyo', 'weekly', '2026-W45', '2026-11-02', '2026-11-08', 0) as t3 \gset
select isnt(private.digest_claim(:'tokyo', 'weekly', '2026-W45', '2026-11-02', '2026-11-08'), null,
    'a claim whose lease has run out is claimed again (a crashed run''s digest goes to the next run)');
-- five failures at most
update private.digest_ledger set status = 'failed', attempts = 5, lease_until = null where coach_id = :'tokyo' and period_key = '2026-W45';
select is(private.digest_claim(:'tokyo', 'weekly', '2026-W45', '2026-11-02', '2026-11-08'), null, 'after 5 failed attempts it is left failed');

-- two concurrent claimers: two sessions of their own, on a committed coach (removed at the end)
select dblink_connect('claimer_a', 'host=127.0.0.1 dbname=' || current_database() || ' user=postgres port=' || current_setting('port')) is not null as a;
select dblink_connect('claimer_b', 'host=127.0.0.1 dbname=' || current_database() || ' user=postgres port=' || current_setting('port')) is not null as b;
select dblink_exec('claimer_a', $$delete from public.coachs where id = '0d16e57a-0000-4000-8000-000000000086'$$);
select dblink_exec('claimer_a', $$insert into public.coachs (id, name, email) values
    ('0d16e57a-0000-4000-8000-000000000086', 'Digest concurrency', 'digest-concurrency-86@example.com')$$);
select dblink_exec('claimer_a', 'begin');
select dblink_exec('claimer_b', 'begin');
select t as token_a from dblink('claimer_a', $$select private.digest_claim('0d16e57a-0000-4000-8000-000000000086', 'weekly', '2026-W45', '2026-11-02', '2026-11-08')::text$$) as r(t text) \gset
select dblink_send_query('claimer_b', $$select private.digest_claim('0d16e57a-0000-4000-8000-000000000086', 'weekly', '2026-W45', '2026-11-02', '2026-11-08')::text$$) = 1 as sent;
select pg_sleep(0.3);
select is(dblink_is_busy('claimer_b'), 1, 'the second claimer waits for the first one''s transaction');
select dblink_exec('claimer_a', 'commit');
select is((select t from dblink_get_result('claimer_b') as r(t text)), null, 'once it commits, the second gets no claim');
select count(*) = 0 as drained from dblink_get_result('claimer_b') as r(t text);
select dblink_exec('claimer_b', 'commit');
select is((select count(*) from dblink('claimer_a', $$select 1 from private.digest_ledger
    where coach_id = '0d16e57a-0000-4000-8000-000000000086' and status = 'claimed'$$) as r(x integer))::integer, 1,
    'one claim, held by the first');
select dblink_exec('claimer_a', $$delete from public.coachs where id = '0d16e57a-0000-4000-8000-000000000086'$$);
select dblink_disconnect('claimer_a'), dblink_disconnect('claimer_b');

select * from finish();
rollback;
