-- A coach who changes its time zone through update_coach_settings (the settings page) gets its per-local-day KPI facts
-- right again after one upkeep pass: a lead and a DM made at Paris 23:30 move to the next day in Tokyo, the days of
-- every period are Tokyo's, and the stored documents of the preset periods are computed again in Tokyo time.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(11);
\ir helpers/auth.psql

select tests.create_coach('tz-change@example.com', 'Europe/Paris') as coach \gset
-- an instant that is 23:30 two days ago in Paris: the next day in Tokyo (7 or 8 hours ahead)
select (((now() at time zone 'Europe/Paris')::date - 2) + time '23:30') at time zone 'Europe/Paris' as instant \gset
select ((now() at time zone 'Europe/Paris')::date - 2) as paris_day \gset
select (:'instant'::timestamptz at time zone 'Asia/Tokyo')::date as tokyo_day \gset
select is(:'tokyo_day'::date, :'paris_day'::date + 1, 'the fixture: the instant is the next day in Tokyo');

insert into public.leads (coach_id, user_id_instagram, instagram_username, created_at)
values (:'coach', 'tz_1', 'tz_1', :'instant');
insert into public.messages (lead_id, coach_id, direction, text, created_at)
select l.id, :'coach', 'out', 'bonjour', :'instant' from public.leads as l where l.user_id_instagram = 'tz_1';
select private.kpi_upkeep() is not null as upkeep;

create function pg_temp.day_doc(day date) returns jsonb language sql as $$
    select public.get_dashboard(period => 'range', period_start => day, period_end => day)
$$;
select tests.authenticate_as(:'coach');
select is(jsonb_build_array(pg_temp.day_doc(:'paris_day') #> '{activity,new_leads,value}', pg_temp.day_doc(:'paris_day') #> '{activity,messages_sent,value}'),
    '[1, 1]', 'in Paris, the lead and its DM are on the Paris day');

-- the coach changes its time zone on the settings page
select is(public.update_coach_settings('{"timezone": "Asia/Tokyo"}') ->> 'timezone', 'Asia/Tokyo', 'the coach saves Asia/Tokyo');
select tests.clear_authentication();
select is((select count(*)::int from private.kpi_documents
            where coach_id = :'coach' and settings_version = private.kpi_settings_version(:'coach')), 0,
    'the stored documents in Paris time are no longer from the current settings (not served: computed at call time)');
select private.kpi_upkeep() is not null as upkeep;

select tests.authenticate_as(:'coach');
select is(jsonb_build_array(pg_temp.day_doc(:'tokyo_day') #> '{activity,new_leads,value}', pg_temp.day_doc(:'tokyo_day') #> '{activity,messages_sent,value}'),
    '[1, 1]', 'after one upkeep pass, the lead and its DM are on the Tokyo day');
select is(jsonb_build_array(pg_temp.day_doc(:'paris_day') #> '{activity,new_leads,value}', pg_temp.day_doc(:'paris_day') #> '{activity,messages_sent,value}'),
    '[0, 0]', 'and no longer on the Paris day');
select is(public.get_dashboard(period => 'today') #>> '{period,start}', to_char((now() at time zone 'Asia/Tokyo')::date, 'YYYY-MM-DD'),
    'today is Tokyo''s today');
select is((select t.n from jsonb_array_elements_text(public.get_dashboard(period => '7d') #> '{trend,dates}') with ordinality as t (d, n)
           where t.d = to_char(:'tokyo_day'::date, 'YYYY-MM-DD')),
    (select t.n from jsonb_array_elements(public.get_dashboard(period => '7d') #> '{trend,new_leads}') with ordinality as t (v, n)
     where t.v = '1'::jsonb),
    'the 7-day trend has the lead on the Tokyo day');
select is(public.get_dashboard(period => 'all') #> '{activity,new_leads,value}', '1', 'all time: one lead, counted once');
select tests.clear_authentication();

select is((select count(*)::int from private.kpi_documents where coach_id = :'coach' and document #>> '{period,timezone}' = 'Asia/Tokyo'), 5,
    'the upkeep stored the five preset documents again, in Tokyo time');
select is((select sum(new_leads)::int from private.kpi_facts where coach_id = :'coach' and grain = 'day'), 1,
    'the day facts hold the lead once');

select * from finish();
rollback;
