-- Alerts: the rules (one function each), their thresholds, and the upkeep that keeps private.coach_alerts current.

create or replace function private.alert_thresholds()
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
    select jsonb_build_object(
        'recheck_seconds', 60,
        'rhythm_weeks', 4,
        'no_data_min_expected', 5,
        'no_data_min_hours', 1,
        'reply_window_days', 7,
        'reply_baseline_days', 28,
        'reply_min_sample', 30,
        'reply_min_z', 2.326,
        'hot_lead_max_days', 14);
$$;

comment on function private.alert_thresholds() is
    'The thresholds of the alert rules (docs/kpis.md, "Alerts"): recheck_seconds (a coach''s alerts are evaluated again at least this often), rhythm_weeks and no_data_min_expected / no_data_min_hours (no_data), reply_window_days, reply_baseline_days, reply_min_sample and reply_min_z (reply_rate_drop: one-sided two-proportion z-test at 1 %), hot_lead_max_days (hot_leads).';

revoke execute on function private.alert_thresholds() from public;

create or replace function private.alert_fr_number(value numeric, decimals integer default 1)
returns text
language sql
immutable
security invoker
set search_path = ''
as $$
    select case when decimals <= 0 then round(value)::text
        else replace(rtrim(rtrim(round(value, decimals)::text, '0'), '.'), '.', ',') end;
$$;

comment on function private.alert_fr_number(numeric, integer) is
    'A number as the French messages of alerts write it: rounded to decimals, a decimal comma, no trailing zeros (18,5 ; 7 ; 12,25).';

revoke execute on function private.alert_fr_number(numeric, integer) from public;

create or replace function private.alert_lead_name(first_name text, instagram_username text)
returns text
language sql
immutable
security invoker
set search_path = ''
as $$
    select coalesce(nullif(btrim(first_name), ''), '@' || nullif(btrim(instagram_username), ''), 'un lead sans nom');
$$;

comment on function private.alert_lead_name(text, text) is
    'How an alert names a lead: its first name, else @instagram_username, else "un lead sans nom".';

revoke execute on function private.alert_lead_name(text, text) from public;

create or replace function private.alert_rhythm(target_coach uuid, tz text, through_day date)
returns numeric[]
language sql
stable
security invoker
set search_path = ''
as $$
    select array_agg(coalesce(n.messages, 0) / (private.alert_thresholds() ->> 'rhythm_weeks')::numeric order by s.slot)
    from generate_series(0, 167) as s(slot)
    left join (
        select (extract(isodow from m.created_at at time zone tz)::integer - 1) * 24
                + extract(hour from m.created_at at time zone tz)::integer as slot,
            count(*) as messages
        from public.messages as m
        where m.coach_id = target_coach
            and m.created_at >= ((through_day - 7 * (private.alert_thresholds() ->> 'rhythm_weeks')::integer)::timestamp at time zone tz)
            and m.created_at < (through_day::timestamp at time zone tz)
        group by 1
    ) as n on n.slot = s.slot;
$$;

comment on function private.alert_rhythm(uuid, text, date) is
    'The weekly rhythm of a coach''s messages (in and out): for each local weekday and hour (time zone tz; element (isodow - 1) * 24 + hour + 1, Monday 00h first, Sunday 23h last), the messages created in that weekday-hour over the 4 local weeks (28 days) before through_day, divided by 4 (each weekday-hour occurs 4 times in them). Cost: those 28 days of messages (index messages_coach_id_created_at_idx).';

revoke execute on function private.alert_rhythm(uuid, text, date) from public;

create or replace function private.alert_expected_messages(rhythm numeric[], tz text, since timestamptz, at timestamptz)
returns numeric
language sql
stable
security invoker
set search_path = ''
as $$
    select coalesce(sum(rhythm[(extract(isodow from p.start_at at time zone tz)::integer - 1) * 24
            + extract(hour from p.start_at at time zone tz)::integer + 1]
        * extract(epoch from least(p.start_at + interval '1 hour', p.cap) - greatest(p.start_at, since)) / 3600), 0)
    from (
        select since - ((since at time zone tz) - date_trunc('hour', since at time zone tz)) + make_interval(hours => k) as start_at,
            c.cap
        from (select least(at, since + make_interval(days => 7 * (private.alert_thresholds() ->> 'rhythm_weeks')::integer)) as cap) as c,
            generate_series(0, ceil(extract(epoch from c.cap - since) / 3600)::integer) as k
    ) as p
    where least(p.start_at + interval '1 hour', p.cap) > greatest(p.start_at, since);
$$;

comment on function private.alert_expected_messages(numeric[], text, timestamptz, timestamptz) is
    'Messages the weekly rhythm (private.alert_rhythm) expects between since and at (at most 28 days of it): the interval cut into real hours at the local hour boundaries of tz, each counted at the rate of the local weekday and hour it starts in, for the part of it inside the interval. On a spring-forward day the skipped local hour never comes; on a fall-back day the repeated one counts twice.';

revoke execute on function private.alert_expected_messages(numeric[], text, timestamptz, timestamptz) from public;

create or replace function private.alert_no_data(target_coach uuid, tz text, last_message_at timestamptz, rhythm numeric[], at timestamptz)
returns setof private.coach_alerts
language sql
stable
security invoker
set search_path = ''
as $$
    select target_coach, 'no_data', 'critical',
        format('Aucune donnée reçue depuis le %s (fuseau horaire %s), soit %s h sans message : à votre rythme des %s dernières semaines aux mêmes jours et heures, environ %s messages seraient arrivés. Vérifiez ManyChat et le workflow n8n.',
            to_char(last_message_at at time zone tz, 'DD/MM/YYYY à HH24:MI'), tz,
            private.alert_fr_number(e.silent_hours, 0), private.alert_thresholds() ->> 'rhythm_weeks',
            private.alert_fr_number(e.expected, 0)),
        jsonb_build_object('last_message_at', last_message_at, 'silent_hours', round(e.silent_hours, 1),
            'expected_messages', round(e.expected, 1),
            'min_expected', private.alert_thresholds() -> 'no_data_min_expected'),
        'https://app.manychat.com/',
        'no_data:' || to_char(last_message_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        at, at
    from (
        select extract(epoch from at - last_message_at) / 3600 as silent_hours,
            private.alert_expected_messages(rhythm, tz, last_message_at, at) as expected
    ) as e
    where last_message_at is not null and rhythm is not null
        and e.silent_hours >= (private.alert_thresholds() ->> 'no_data_min_hours')::numeric
        and e.expected >= (private.alert_thresholds() ->> 'no_data_min_expected')::numeric;
$$;

comment on function private.alert_no_data(uuid, text, timestamptz, numeric[], timestamptz) is
    'The no_data rule at instant at: the alert (critical) when the coach''s last message (in or out) is at least 1 hour old and its weekly rhythm (private.alert_rhythm: by local weekday and hour) expects at least 5 messages since (private.alert_expected_messages): a silence that has a chance of e^-5 (0.7 %) or less under the coach''s own rhythm, so a quiet night or a quiet Sunday does not alert. The message gives the last message''s time in the coach''s time zone and names that zone. Clears when a message arrives. Fingerprint: the time of the last message.';

revoke execute on function private.alert_no_data(uuid, text, timestamptz, numeric[], timestamptz) from public;

create or replace function private.alert_reply_rate_drop(target_coach uuid, today date, at timestamptz)
returns setof private.coach_alerts
language sql
stable
security invoker
set search_path = ''
as $$
    with s as (
        select coalesce(sum(k.dm1_sent) filter (where k.day >= today - 7), 0) as n1,
            coalesce(sum(k.dm1_replied) filter (where k.day >= today - 7), 0) as x1,
            coalesce(sum(k.dm1_sent) filter (where k.day < today - 7), 0) as n2,
            coalesce(sum(k.dm1_replied) filter (where k.day < today - 7), 0) as x2
        from private.kpi_facts as k
        where k.coach_id = target_coach and k.grain = 'day' and k.day between today - 35 and today - 1
    ), t as (
        select s.*, (s.x1 + s.x2)::numeric / nullif(s.n1 + s.n2, 0) as pooled
        from s
    ), z as (
        select t.*, t.x1::numeric / t.n1 as p1, t.x2::numeric / t.n2 as p2,
            (t.x2::numeric / t.n2 - t.x1::numeric / t.n1)
                / sqrt(t.pooled * (1 - t.pooled) * (1.0 / t.n1 + 1.0 / t.n2)) as z
        from t
        where t.n1 >= (private.alert_thresholds() ->> 'reply_min_sample')::integer
            and t.n2 >= (private.alert_thresholds() ->> 'reply_min_sample')::integer
            and t.pooled > 0 and t.pooled < 1
    )
    select target_coach, 'reply_rate_drop', 'warning',
        format('Le taux de réponse au 1er DM baisse : %s %% sur les 7 derniers jours (%s sur %s) contre %s %% les 28 jours d’avant (%s sur %s), un écart que le hasard n’explique pas.',
            private.alert_fr_number(100 * z.p1), z.x1, z.n1, private.alert_fr_number(100 * z.p2), z.x2, z.n2),
        jsonb_build_object('recent', jsonb_build_object('from', today - 7, 'to', today - 1, 'sent', z.n1, 'replied', z.x1,
                'rate', round(100 * z.p1, 1)),
            'baseline', jsonb_build_object('from', today - 35, 'to', today - 8, 'sent', z.n2, 'replied', z.x2,
                'rate', round(100 * z.p2, 1)),
            'z', round(z.z, 2), 'min_z', private.alert_thresholds() -> 'reply_min_z',
            'min_sample', private.alert_thresholds() -> 'reply_min_sample'),
        '/dashboard?periode=30j#reply_rates',
        'reply_rate_drop:' || today,
        at, at
    from z
    where z.z >= (private.alert_thresholds() ->> 'reply_min_z')::numeric;
$$;

comment on function private.alert_reply_rate_drop(uuid, date, timestamptz) is
    'The reply_rate_drop rule for the coach''s local day today: the DM 1 reply rate of the leads whose DM 1 was sent in the 7 whole days before today (today is left out: its leads have not had time to answer) against the 28 days before those, from the day rows of private.kpi_facts (at most 35 rows, by primary key, whatever the history). Alert (warning) when both sides have at least 30 DMs 1 and the one-sided two-proportion z-test (pooled) gives z >= 2.326 (1 %). Fingerprint: the day.';

revoke execute on function private.alert_reply_rate_drop(uuid, date, timestamptz) from public;

create or replace function private.alert_hot_leads(target_coach uuid, tz text, hours integer, at timestamptz)
returns setof private.coach_alerts
language sql
stable
security invoker
set search_path = ''
as $$
    with w as (
        select f.lead_id, private.alert_lead_name(f.first_name, f.instagram_username) as name,
            f.instagram_username, m.created_at as waiting_since
        from private.lead_facts as f
        cross join lateral (
            select x.direction, x.created_at
            from public.messages as x
            where x.coach_id = target_coach and x.lead_id = f.lead_id and x.created_at <= at
            order by x.created_at desc, x.id desc
            limit 1
        ) as m
        where f.coach_id = target_coach
            and f.status in ('qualified', 'call_proposed')
            and f.last_contact_day >= (at at time zone tz)::date - (private.alert_thresholds() ->> 'hot_lead_max_days')::integer - 1
            and m.direction = 'in'
            and m.created_at < at - make_interval(hours => hours)
            and m.created_at > at - make_interval(days => (private.alert_thresholds() ->> 'hot_lead_max_days')::integer)
    ), s as (
        select count(*) as n,
            jsonb_agg(jsonb_build_object('lead_id', w.lead_id, 'name', w.name, 'instagram_username', w.instagram_username,
                'waiting_since', w.waiting_since, 'waiting_hours', floor(extract(epoch from at - w.waiting_since) / 3600))
                order by w.waiting_since, w.lead_id) as leads,
            string_agg(w.name, ', ' order by w.waiting_since, w.lead_id) as names,
            md5(string_agg(w.lead_id::text || '@' || w.waiting_since::text, ',' order by w.lead_id)) as digest,
            min(w.waiting_since) as oldest
        from w
    )
    select target_coach, 'hot_leads', 'warning',
        case when s.n = 1
            then format('%s attend votre réponse depuis %s h (lead qualifié ou à qui un call a été proposé).',
                s.leads -> 0 ->> 'name', s.leads -> 0 ->> 'waiting_hours')
            else format('%s leads chauds attendent votre réponse depuis plus de %s h : %s.', s.n, hours,
                case when s.n <= 3 then s.names
                    else (select string_agg(e ->> 'name', ', ') from jsonb_array_elements(s.leads) with ordinality as a(e, i) where a.i <= 3)
                        || format(' et %s autres', s.n - 3) end)
        end,
        jsonb_build_object('count', s.n, 'hours', hours, 'oldest_waiting_since', s.oldest,
            'leads', (select jsonb_agg(e) from jsonb_array_elements(s.leads) with ordinality as a(e, i) where a.i <= 20)),
        case when s.n = 1 and s.leads -> 0 ->> 'instagram_username' is not null
            then 'https://ig.me/m/' || (s.leads -> 0 ->> 'instagram_username')
            else '/dashboard?periode=aujourdhui#follow-up-title' end,
        'hot_leads:' || s.digest,
        at, at
    from s
    where s.n > 0;
$$;

comment on function private.alert_hot_leads(uuid, text, integer, timestamptz) is
    'The hot_leads rule at instant at: the leads now qualified or call_proposed whose last message is theirs (in) and is more than hours old (the coach''s hot_lead_hours) but less than 14 days (older waits are the follow-up list''s), read from the lead facts touched in the last 15 local days and each lead''s last message (index-only). One alert (warning) for them all, longest wait first; its link is the lead''s Instagram conversation when there is one lead, else the dashboard''s follow-up list. Fingerprint: the leads and the messages they wait on.';

revoke execute on function private.alert_hot_leads(uuid, text, integer, timestamptz) from public;

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

create or replace function private.alert_refresh(target_coach uuid, at timestamptz)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    tz text;
    last_at timestamptz;
    state private.alert_coach_state;
    hours integer;
    active integer;
begin
    select c.timezone into tz from public.coachs as c where c.id = target_coach;
    if tz is null then
        return 0;
    end if;
    select max(m.created_at) into last_at from public.messages as m where m.coach_id = target_coach and m.created_at <= at;
    select s.* into state from private.alert_coach_state as s where s.coach_id = target_coach;
    if last_at is not null and (state.rhythm_day is distinct from (last_at at time zone tz)::date
            or state.rhythm_timezone is distinct from tz) then
        state.rhythm_day := (last_at at time zone tz)::date;
        state.rhythm_timezone := tz;
        state.rhythm := private.alert_rhythm(target_coach, tz, state.rhythm_day);
    end if;
    insert into private.alert_coach_state as s (coach_id, checked_at, rhythm_day, rhythm_timezone, rhythm)
    values (target_coach, at, state.rhythm_day, state.rhythm_timezone, state.rhythm)
    on conflict (coach_id) do update
    set checked_at = excluded.checked_at, rhythm_day = excluded.rhythm_day,
        rhythm_timezone = excluded.rhythm_timezone, rhythm = excluded.rhythm;
    hours := coalesce((select n.hot_lead_hours from private.coach_notification_settings as n where n.coach_id = target_coach), 12);
    with fresh as (
        select * from private.alert_no_data(target_coach, tz, last_at, state.rhythm, at)
        union all select * from private.alert_reply_rate_drop(target_coach, (at at time zone tz)::date, at)
        union all select * from private.alert_hot_leads(target_coach, tz, hours, at)
        union all select * from private.alert_calls_today(target_coach, (at at time zone tz)::date, at)
    ), gone as (
        delete from private.coach_alerts as a
        where a.coach_id = target_coach and a.key not in (select f.key from fresh as f)
    ), kept as (
        insert into private.coach_alerts as a
        select * from fresh
        on conflict (coach_id, key) do update
        set severity = excluded.severity, message = excluded.message, numbers = excluded.numbers, link = excluded.link,
            fingerprint = excluded.fingerprint,
            raised_at = case when a.fingerprint = excluded.fingerprint then a.raised_at else excluded.raised_at end,
            updated_at = excluded.updated_at
        returning 1
    )
    select count(*) into active from kept;
    return active;
end;
$$;

comment on function private.alert_refresh(uuid, timestamptz) is
    'Evaluates every alert rule of a coach at instant at and makes private.coach_alerts hold exactly the alerts that apply (raised_at kept while an alert''s fingerprint is unchanged); recomputes the coach''s message rhythm when the local day of its last message (or its time zone) changed. Cost: a few index lookups, the coach''s waiting hot leads, about 35 day rows, and once a day 28 days of its messages; none grows with the history. Returns the active alerts.';

revoke execute on function private.alert_refresh(uuid, timestamptz) from public;

create or replace function private.alert_upkeep(changed_leads uuid[])
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    target uuid;
    refreshed integer := 0;
begin
    for target in
        select c.id
        from public.coachs as c
        where c.id in (select f.coach_id from private.lead_facts as f where f.lead_id = any (changed_leads))
            or not exists (
                select 1 from private.alert_coach_state as s
                where s.coach_id = c.id
                    and s.checked_at > now() - make_interval(secs => (private.alert_thresholds() ->> 'recheck_seconds')::integer))
        order by c.id
    loop
        perform private.alert_refresh(target, now());
        refreshed := refreshed + 1;
    end loop;
    return refreshed;
end;
$$;

comment on function private.alert_upkeep(uuid[]) is
    'The alerts'' part of an upkeep pass (private.kpi_upkeep): evaluates again (private.alert_refresh) the coaches of the leads the pass changed and every coach not evaluated for 60 s (private.alert_thresholds()). Cost: one refresh per such coach, none grows with the history. Returns the coaches evaluated.';

revoke execute on function private.alert_upkeep(uuid[]) from public;
