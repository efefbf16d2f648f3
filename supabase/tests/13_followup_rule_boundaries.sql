-- The follow-up rule at each boundary (days = Paris calendar days since the last message, or since creation):
-- high: qualified/call_proposed 1-14 days, relance >= 3; medium: engaged 2-14, qualified/call_proposed > 14;
-- low: new >= 3, engaged > 14; nothing else is listed. Sorted by priority, then days (longest first).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(22);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

select tests.create_coach('kpi-follow@example.com') as coach \gset

-- one lead per case, named status_days, whose last message was N Paris days ago at noon
insert into public.leads (coach_id, user_id_instagram, instagram_username, status, created_at)
select :'coach', 'fu_' || c.name, c.name, c.status, tests.paris(40, '09:00')
from (values
    ('qualified_0', 'qualified'), ('qualified_1', 'qualified'), ('qualified_14', 'qualified'), ('qualified_15', 'qualified'),
    ('call_proposed_1', 'call_proposed'), ('call_proposed_15', 'call_proposed'),
    ('relance_2', 'relance'), ('relance_3', 'relance'),
    ('engaged_1', 'engaged'), ('engaged_2', 'engaged'), ('engaged_14', 'engaged'), ('engaged_15', 'engaged'),
    ('new_2', 'new'), ('new_3', 'new'),
    ('call_booked_20', 'call_booked'), ('won_20', 'won'), ('lost_20', 'lost')
) as c (name, status);
select tests.kpi_message(:'coach', l.instagram_username, 'in',
    tests.paris(split_part(l.instagram_username, '_', array_length(string_to_array(l.instagram_username, '_'), 1))::int, '12:00'))
from public.leads as l where l.coach_id = :'coach';
-- a new lead that never wrote: days since its creation (3 Paris days ago, 23:59)
insert into public.leads (coach_id, user_id_instagram, instagram_username, status, created_at)
values (:'coach', 'fu_silent', 'new_silent_3', 'new', tests.paris(3, '23:59'));

-- the list reads the lead facts, as of the last upkeep pass
select private.kpi_upkeep() is not null as upkeep;
create temporary table follow on commit drop as
select f.*, row_number() over () as position
from public.get_leads_to_followup(:'coach'::uuid) as f;

create function pg_temp.priority_of(name text) returns text language sql as
    $$ select coalesce((select f.priority from follow as f where f.instagram_username = name), 'not listed') $$;

select is(pg_temp.priority_of('qualified_0'), 'not listed', 'qualified, contacted today: not listed');
select is(pg_temp.priority_of('qualified_1'), 'high', 'qualified, 1 day: high');
select is(pg_temp.priority_of('qualified_14'), 'high', 'qualified, 14 days: high');
select is(pg_temp.priority_of('qualified_15'), 'medium', 'qualified, 15 days: medium');
select is(pg_temp.priority_of('call_proposed_1'), 'high', 'call_proposed, 1 day: high');
select is(pg_temp.priority_of('call_proposed_15'), 'medium', 'call_proposed, 15 days: medium');
select is(pg_temp.priority_of('relance_2'), 'not listed', 'relance, 2 days: not listed');
select is(pg_temp.priority_of('relance_3'), 'high', 'relance, 3 days: high');
select is(pg_temp.priority_of('engaged_1'), 'not listed', 'engaged, 1 day: not listed');
select is(pg_temp.priority_of('engaged_2'), 'medium', 'engaged, 2 days: medium');
select is(pg_temp.priority_of('engaged_14'), 'medium', 'engaged, 14 days: medium');
select is(pg_temp.priority_of('engaged_15'), 'low', 'engaged, 15 days: low');
select is(pg_temp.priority_of('new_2'), 'not listed', 'new, 2 days: not listed');
select is(pg_temp.priority_of('new_3'), 'low', 'new, 3 days: low');
select is(pg_temp.priority_of('new_silent_3'), 'low', 'new without any message: days since creation (3): low');
select is(pg_temp.priority_of('call_booked_20'), 'not listed', 'call_booked is never listed');
select is(pg_temp.priority_of('won_20'), 'not listed', 'won leads are closed: not listed');
select is(pg_temp.priority_of('lost_20'), 'not listed', 'lost leads are closed: not listed');
select is((select days_without_contact from follow where instagram_username = 'qualified_14'), 14,
    'days without contact are Paris calendar days');
select is((select status from follow where instagram_username = 'relance_3'), 'relance', 'the status is given');
select is((select first_name is null and lead_id is not null from follow where instagram_username = 'relance_3'), true,
    'lead_id and first_name are given');
-- high by days (14, 3, 1, 1: ties by username), then medium (15, 15, 14, 2), then low (15, 3, 3)
select is(
    (select array_agg(instagram_username order by position) from follow),
    array['qualified_14', 'relance_3', 'call_proposed_1', 'qualified_1',
          'call_proposed_15', 'qualified_15', 'engaged_14', 'engaged_2',
          'engaged_15', 'new_3', 'new_silent_3']::text[],
    'sorted by priority, then days without contact (longest first)');
select * from finish();
rollback;
