-- One coach's odd history does not make the upkeep's work grow (issue 23): an event already stored in year 0001 (the
-- ingestion refuses such dates now, but rows written before stay) made the all period 2,026 years long, and every pass
-- that touched that coach computed a weekly trend of 105,708 buckets (a 600 KB document, seconds of a pass every coach
-- waits for). Measured by counting work, not time: the pass that follows a new message of the odd coach writes the
-- same number of trend buckets, and reads the same number of facts rows, as the pass for a twin coach whose first
-- event is 100 months old (both all periods are longer than 90 months: 90 buckets).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(8);
\ir helpers/auth.psql

select tests.create_coach('kpi-odd-history@example.com', 'UTC') as odd \gset
select tests.create_coach('kpi-odd-twin@example.com', 'UTC') as twin \gset

-- the same history for both, the first lead and DM in year 0001 for one, 100 months ago (to the day) for the other
create function pg_temp.history(coach uuid, first_at timestamptz) returns void language sql as $$
    insert into public.leads (coach_id, user_id_instagram, created_at)
    values (coach, coach || '_first', first_at), (coach, coach || '_recent', now() - interval '2 days');
    insert into public.messages (lead_id, coach_id, direction, text, created_at)
    select l.id, l.coach_id, 'out', 'Salut', l.created_at from public.leads as l where l.coach_id = coach;
$$;
select pg_temp.history(:'odd', timestamptz '0001-01-01 12:00:00+00');
select pg_temp.history(:'twin', date_trunc('day', now() - interval '100 months') + interval '12 hours');
select private.kpi_upkeep() is not null as settled;

-- facts rows read (sequential and index fetches on private.kpi_facts) so far in this transaction
create function pg_temp.facts_rows_read() returns bigint language sql as $$
    select coalesce(sum(t.seq_tup_read + coalesce(t.idx_tup_fetch, 0)), 0)::bigint
    from pg_catalog.pg_stat_xact_user_tables as t
    where t.schemaname = 'private' and t.relname = 'kpi_facts'
$$;
-- one pass after a new DM to the coach's recent lead: the facts rows it read and the trend buckets of the documents
-- it stored
create function pg_temp.pass_work(coach uuid) returns table (rows_read bigint, buckets bigint, all_buckets integer)
language plpgsql as $$
declare
    before bigint;
begin
    insert into public.messages (lead_id, coach_id, direction, text, created_at)
    select l.id, l.coach_id, 'out', 'Relance', now() from public.leads as l where l.user_id_instagram = coach || '_recent';
    before := pg_temp.facts_rows_read();
    perform private.kpi_upkeep();
    rows_read := pg_temp.facts_rows_read() - before;
    select sum(jsonb_array_length(d.document #> '{trend,dates}')),
        max(jsonb_array_length(d.document #> '{trend,dates}')) filter (where d.period = 'all')
    into buckets, all_buckets
    from private.kpi_documents as d where d.coach_id = coach and d.computed_at = now();
    return next;
end;
$$;

select * from pg_temp.pass_work(:'odd') \gset odd_
select * from pg_temp.pass_work(:'twin') \gset twin_

select is(public.get_dashboard(:'odd', 'all') #>> '{period,start}', '0001-01-01', 'the fixture: the odd coach''s all period starts in year 0001');
select is(:odd_all_buckets, 90, 'its all document has 90 trend buckets (105,708 weekly ones before)');
select is(:odd_buckets::bigint, :twin_buckets::bigint,
    'the pass after its new DM writes as many trend buckets as the twin''s (today 1 + 7d 7 + 30d 30 + 90d 90 + all 90 = 218)');
select is(:odd_buckets::bigint, 218::bigint, '218 buckets');
select cmp_ok(:twin_rows_read::bigint, '>', 0::bigint, 'the measurement: a pass reads facts rows (counted by pg_stat_xact_user_tables)');
select cmp_ok(:odd_rows_read::bigint, '<=', :twin_rows_read::bigint, 'and reads no more facts rows than the twin''s pass');
select cmp_ok((select length(d.document::text) from private.kpi_documents as d where d.coach_id = :'odd' and d.period = 'all'), '<=',
    2 * (select length(d.document::text) from private.kpi_documents as d where d.coach_id = :'twin' and d.period = 'all'),
    'its all document is about the size of the twin''s');
select is(jsonb_array_length(public.get_dashboard(:'odd', 'all') #> '{trend,dates}'), 90,
    'computed at call time, the all document has 90 buckets too');

select * from finish();
rollback;
