-- Purpose: the calls_today alert counts the calls that start today by Calendly's time (leads.call_at, from the outcomes of issue 19), named with their local time, and the calls booked today whose start is not known.

set lock_timeout = '500ms';

create or replace function private.alert_calls_today(target_coach uuid, today date, at timestamptz)
returns setof private.coach_alerts
language sql
stable
security invoker
set search_path = ''
as $$
    with c as (
        select x.timezone as tz from public.coachs as x where x.id = target_coach
    ), calls as (
        -- the calls whose start Calendly gave (leads.call_at) that fall on the coach's local today
        select l.id as lead_id, l.first_name, l.instagram_username, l.call_at, l.call_at as sort_at
        from public.leads as l, c
        where l.coach_id = target_coach
            and l.call_at >= (today::timestamp at time zone c.tz) and l.call_at < ((today + 1)::timestamp at time zone c.tz)
        union all
        -- the calls booked today whose start is not known
        select f.lead_id, f.first_name, f.instagram_username, null, f.booked_at
        from private.lead_facts as f
        join public.leads as l on l.id = f.lead_id
        where f.coach_id = target_coach and f.booked_day = today and l.call_at is null
    ), b as (
        select calls.lead_id, private.alert_lead_name(calls.first_name, calls.instagram_username) as name,
            calls.instagram_username, calls.call_at, calls.sort_at,
            private.alert_lead_name(calls.first_name, calls.instagram_username)
                || coalesce(' à ' || to_char(calls.call_at at time zone c.tz, 'HH24:MI'), '') as label
        from calls, c
    ), s as (
        select count(*) as n, count(b.call_at) as timed,
            jsonb_agg(jsonb_build_object('lead_id', b.lead_id, 'name', b.name, 'instagram_username', b.instagram_username,
                'call_at', b.call_at) order by b.sort_at, b.lead_id) as leads,
            array_agg(b.label order by b.sort_at, b.lead_id) as labels,
            md5(string_agg(b.lead_id::text || '@' || coalesce(b.call_at::text, ''), ',' order by b.lead_id)) as digest
        from b
    )
    select target_coach, 'calls_today', 'info',
        format('%s aujourd’hui : %s.',
            case when s.timed = 0 then case when s.n = 1 then '1 call réservé' else s.n || ' calls réservés' end
                else case when s.n = 1 then '1 call' else s.n || ' calls' end end,
            array_to_string(s.labels[1:5], ', ') || case when s.n > 5 then format(' et %s autres', s.n - 5) else '' end),
        jsonb_build_object('day', today, 'count', s.n,
            'leads', (select jsonb_agg(e) from jsonb_array_elements(s.leads) with ordinality as a(e, i) where a.i <= 20)),
        '/dashboard?periode=aujourdhui',
        'calls_today:' || today || ':' || s.digest,
        at, at
    from s
    where s.n > 0;
$$;

comment on function private.alert_calls_today(uuid, date, timestamptz) is
    'The calls_today rule for the coach''s local day today: the calls that start that day by Calendly''s time (leads.call_at, index leads_coach_id_call_at_idx; named with their local time), and the calls booked that day whose start is not known (lead_facts.booked_day, index lead_facts_coach_id_booked_day_idx), by time, as one alert (info). Fingerprint: the day, the leads and their call times.';

revoke execute on function private.alert_calls_today(uuid, date, timestamptz) from public;
