-- No constant of the brief in a query: time saved and the no-show estimate follow the coach's settings; the default
-- minutes per manual message puts the seed's demo coach near the brief's 47 h a month. health() for anyone.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(8);
\ir helpers/auth.psql
\ir helpers/kpi_fixture.psql

select col_default_is('public', 'coach_settings', 'minutes_per_manual_message', '4.00',
    'default minutes per manual message is 4.00');
-- calibration on the seed: Julie (demo coach, ~714 outbound DMs in 30 days) x 4.00 min / 60 is about 47.6 h
select ok(
    (select count(*) * s.minutes_per_manual_message / 60 between 42 and 52
     from public.messages as m join public.coach_settings as s on s.coach_id = m.coach_id
     where m.coach_id = 'c0000000-0000-4000-8000-000000000001' and m.direction = 'out'
        and m.created_at > now() - interval '30 days'
     group by s.minutes_per_manual_message),
    'the seed''s demo coach saves about 47 h in 30 days with the default');

select tests.create_coach('kpi-settings@example.com') as coach \gset
select tests.kpi_fixture(:'coach');
update public.coach_settings set minutes_per_manual_message = 6, setter_monthly_cost = 500, default_no_show_rate = 0.25
where coach_id = :'coach';
update public.leads set call_showed = null where coach_id = :'coach';
select private.kpi_upkeep() is not null as upkeep;
select tests.authenticate_as(:'coach');
-- 10 DMs x 6 min / 60 = 1.0 h
select is(public.get_dashboard() #> '{performance,time_saved,hours}', '1.0'::jsonb, 'time saved follows the coach''s minutes');
-- revenue 1000, cost 500: ROI (1000 - 500) / 500 = 100 %
select is(public.get_dashboard() #> '{performance,roi,value}', '100.0'::jsonb, 'ROI follows the coach''s setter cost');
select is(public.get_dashboard() #> '{qualification,no_show_rate}',
    '{"value": 25.0, "num": 0, "den": 0, "low_sample": true, "estimated": true}'::jsonb,
    'no call outcome known: the coach''s own default no-show rate, estimated');

select tests.authenticate_as_anon();
select is(public.health() ->> 'database', 'ok', 'anon may call health()');
select ok(not (public.health()::text ~ 'c0000000'), 'health() holds nothing per coach');
select tests.clear_authentication();
select public.refresh_dashboard_kpis() is not null as refreshed;
select ok((public.health() ->> 'dashboard_kpis_age_seconds')::numeric between 0 and 60, 'health() gives the view''s age');

select * from finish();
rollback;
