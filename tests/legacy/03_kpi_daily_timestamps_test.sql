-- A legacy kpi_daily whose created_at and updated_at were nullable (fixture-kpi-daily-timestamps.sql) ends with both
-- NOT NULL, as in a fresh database, and every null filled is recorded in private.legacy_values (docs/upgrade.md,
-- "Convergence" and "Nothing lost"). Run on both upgraded legacy databases: the documented way and the plain push.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(12);

create function pg_temp.kept(k_coach uuid, k_date date, col text)
returns setof timestamptz
language sql
as $$
    select v.original_value::timestamptz from private.legacy_values as v
    join public.kpi_daily as k on k.id = v.row_id
    where v.table_name = 'public.kpi_daily' and v.column_name = col and k.coach_id = k_coach and k.date = k_date
    order by v.id;
$$;

select col_not_null('public', 'kpi_daily', 'created_at', 'kpi_daily.created_at is NOT NULL, as in a fresh database');
select col_not_null('public', 'kpi_daily', 'updated_at', 'kpi_daily.updated_at is NOT NULL, as in a fresh database');

-- no created_at, updated_at 2026-03-03 01:00
select is(
    (select created_at from public.kpi_daily where coach_id = '11111111-1111-4111-8111-111111111111' and date = '2026-03-02'),
    '2026-03-03 01:00+00'::timestamptz,
    'a null created_at takes the row''s updated_at'
);
select results_eq(
    $$select * from pg_temp.kept('11111111-1111-4111-8111-111111111111', '2026-03-02', 'created_at')$$,
    array[null::timestamptz],
    '... its null is recorded'
);
select results_eq(
    $$select * from pg_temp.kept('11111111-1111-4111-8111-111111111111', '2026-03-02', 'updated_at')$$,
    array['2026-03-03 01:00+00'::timestamptz],
    '... and its updated_at, which the fill stamps'
);

-- no time at all
select isnt(
    (select created_at from public.kpi_daily where coach_id = '11111111-1111-4111-8111-111111111111' and date = '2026-03-03'),
    null,
    'a row without any time gets a created_at'
);
select results_eq(
    $$select * from pg_temp.kept('11111111-1111-4111-8111-111111111111', '2026-03-03', 'created_at')$$,
    array[null::timestamptz],
    '... its null created_at is recorded'
);
select results_eq(
    $$select * from pg_temp.kept('11111111-1111-4111-8111-111111111111', '2026-03-03', 'updated_at')$$,
    array[null::timestamptz],
    '... and its null updated_at'
);

-- created_at 2026-03-05 01:00, no updated_at
select is(
    (select created_at from public.kpi_daily where coach_id = '22222222-2222-4222-8222-222222222222' and date = '2026-03-04'),
    '2026-03-05 01:00+00'::timestamptz,
    'a known created_at is kept'
);
select is_empty(
    $$select * from pg_temp.kept('22222222-2222-4222-8222-222222222222', '2026-03-04', 'created_at')$$,
    '... and not recorded'
);
select results_eq(
    $$select * from pg_temp.kept('22222222-2222-4222-8222-222222222222', '2026-03-04', 'updated_at')$$,
    array[null::timestamptz],
    'a null updated_at is recorded'
);

-- nothing else recorded: rows that had both times keep them
select is(
    (select count(*)::int from private.legacy_values
     where table_name = 'public.kpi_daily' and column_name in ('created_at', 'updated_at')),
    5,
    'only the nulls of those three rows (and the updated_at the fill stamped) are recorded'
);

select * from finish();
rollback;
