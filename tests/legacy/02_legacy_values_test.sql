-- Every legacy value the documented upgrade changes or drops can be found again in private.legacy_values
-- (fixture-cases.sql seeds one row per case; docs/upgrade.md, "Nothing lost").
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(25);

create function pg_temp.kept(tbl text, row_id uuid, col text)
returns setof text
language sql
as $$
    select v.original_value from private.legacy_values as v
    where v.table_name = tbl and v.row_id = kept.row_id and v.column_name = col
    order by v.id;
$$;

-- genders
select is(
    (select gender from public.leads where user_id_instagram = 'cases_ig_1'), 'other',
    'a gender outside the mapping becomes other'
);
select results_eq(
    $$select * from pg_temp.kept('public.leads', 'bbbbbbbb-0000-4000-8000-000000000001', 'gender')$$,
    array['non-binaire'],
    '... and its spelling is kept'
);
select results_eq(
    $$select * from pg_temp.kept('public.leads', 'aaaaaaaa-0000-4000-8000-000000000001', 'gender')$$,
    array['Femme'],
    'a mapped spelling (Femme -> female) is kept too'
);

-- messages filed under another coach
select is(
    (select coach_id from public.messages where id = 'cccccccc-0000-4000-8000-000000000001'),
    '44444444-4444-4444-8444-444444444444'::uuid,
    'a message filed under another coach takes its lead''s coach'
);
select results_eq(
    $$select * from pg_temp.kept('public.messages', 'cccccccc-0000-4000-8000-000000000001', 'coach_id')$$,
    array['33333333-3333-4333-8333-333333333333'],
    '... and the coach it was filed under is kept'
);
select is(
    (select count(*)::int from private.legacy_values as v join public.messages as m on m.id = v.row_id where m.text = 'Hello'),
    0,
    'a message without coach_id takes its lead''s coach with nothing to keep'
);

-- statuses
select is(
    (select (status, lead_status)::text from public.leads where user_id_instagram = 'cases_ig_1'),
    ('new', 'en pause')::text,
    'a status outside the mapping becomes new; lead_status stays on the row'
);
select results_eq(
    $$select * from pg_temp.kept('public.leads', 'bbbbbbbb-0000-4000-8000-000000000001', 'lead_status')$$,
    array['en pause'],
    '... and is listed in legacy_values'
);
select is(
    (select count(*)::int from private.legacy_values where column_name = 'lead_status' and original_value <> 'en pause'),
    0,
    'mapped statuses (perdu, Qualified, call réservé, ...) are not listed'
);

-- coachs
select is(
    (select name from public.coachs where id = '33333333-3333-4333-8333-333333333333'), 'Coach three',
    'a coach without name is named after its email'
);
select results_eq(
    $$select * from pg_temp.kept('public.coachs', '33333333-3333-4333-8333-333333333333', 'name')$$,
    array[null::text],
    '... and its missing name is recorded, so the name can be told synthesized'
);
select results_eq(
    $$select * from pg_temp.kept('public.coachs', '44444444-4444-4444-8444-444444444444', 'name')$$,
    array['   ', null],
    'a blank name is kept, then the null it became'
);
select is(
    (select (char_length(specialty), (select char_length(v) from pg_temp.kept('public.coachs', id, 'specialty') as v))::text
     from public.coachs where id = '44444444-4444-4444-8444-444444444444'),
    (100, 120)::text,
    'a specialty over 100 characters is cut, the whole one kept'
);
select is(
    (select (email, created_at)::text from public.coachs where id = '44444444-4444-4444-8444-444444444444'),
    ('legacy-44444444-4444-4444-8444-444444444444@coach.invalid', '2026-04-03 10:00+00'::timestamptz)::text,
    'a coach without email gets a .invalid address, without created_at its first lead''s'
);
select is(
    (select array_agg(column_name::text order by column_name) from private.legacy_values
     where row_id = '44444444-4444-4444-8444-444444444444' and original_value is null),
    array['created_at', 'email', 'name'],
    '... both recorded as missing'
);

-- leads without times
select is(
    (select (created_at, updated_at > '2026-11-01')::text from public.leads where user_id_instagram = 'cases_ig_1'),
    ('2026-04-01 10:00+00'::timestamptz, true)::text,
    'a lead without created_at takes its updated_at, which the fill then stamps'
);
select results_eq(
    $$select v.column_name || '=' || coalesce(v.original_value, 'null') from private.legacy_values as v
      where v.row_id = 'bbbbbbbb-0000-4000-8000-000000000001' and v.column_name in ('created_at', 'updated_at') order by v.column_name$$,
    array['created_at=null', 'updated_at=2026-04-01 10:00:00+00'],
    '... its missing created_at and its legacy updated_at are kept'
);
select is(
    (select (created_at is not null and updated_at is not null and status_changed_at is not null, status)::text
     from public.leads where user_id_instagram = 'cases_ig_2'),
    (true, 'lost')::text,
    'a lead without any time is upgraded (the first upgrade path failed on it)'
);
select is(
    (select count(*)::int from private.legacy_values
     where row_id in ('bbbbbbbb-0000-4000-8000-000000000002', 'bbbbbbbb-0000-4000-8000-000000000003')
         and column_name in ('created_at', 'updated_at') and original_value is null),
    3,
    'the missing times of the leads are recorded (two of one lead, one of the other)'
);
select is(
    (select updated_at from public.leads where user_id_instagram = 'legacy_ig_2'),
    '2026-03-05 12:00+00'::timestamptz,
    'deriving a legacy lead''s counters leaves its legacy updated_at as it was'
);

-- messages
select is(
    (select (created_at, message_number)::text from public.messages where id = 'cccccccc-0000-4000-8000-000000000003'),
    ('2026-04-03 10:00+00'::timestamptz, 1)::text,
    'a message without created_at takes its lead''s, and is numbered again'
);
select results_eq(
    $$select * from pg_temp.kept('public.messages', 'cccccccc-0000-4000-8000-000000000003', 'created_at')$$,
    array[null::text],
    '... its missing time recorded'
);
select is(
    (select (original_value::jsonb ->> 'direction') || ' ' || (original_value::jsonb ->> 'text')
     from pg_temp.kept('public.messages', 'cccccccc-0000-4000-8000-000000000004', '*') as original_value),
    'system Rendez-vous noté',
    'a message with a direction outside the mapping leaves the table, whole, into legacy_values'
);

-- kpi_daily
select is(
    (select (k.total_dms, (select count(*) from pg_temp.kept('public.kpi_daily', k.id, 'total_dms') as v where v is null))::text
     from public.kpi_daily as k where k.id = 'dddddddd-0000-4000-8000-000000000001'),
    (0, 1)::text,
    'a null kpi_daily count becomes 0, the null recorded'
);
select is(
    (select ((select count(*) from public.kpi_daily where coach_id = '44444444-4444-4444-8444-444444444444' and date = '2026-04-03'),
             (select original_value::jsonb ->> 'total_dms' from pg_temp.kept('public.kpi_daily', 'dddddddd-0000-4000-8000-000000000003', '*') as original_value))::text),
    (1, '2')::text,
    'a day entered twice keeps one row, the other leaves whole into legacy_values'
);

select * from finish();
rollback;
