-- Purpose: the no_data alert's rhythm by local weekday and hour over the last 4 weeks (a quiet Sunday no longer alerts), its message naming the time zone.

-- Before, the rhythm was 24 values (per local hour of the day over 14 days): a coach quiet on Sundays was told
-- "Aucune donnée reçue" every Sunday. Now it is 168 values (private.alert_rhythm), the same weekday and hour of the
-- 4 weeks before (docs/kpis.md, "Alerts"). The check on private.alert_coach_state.rhythm, the functions that write
-- and read it and the kept rhythms change in one transaction: a pass of the upkeep (every 5 s) between two files
-- would write a rhythm of one shape under the check of the other and fail. The kept rhythms (one row per coach, a
-- small table: no batching) are forgotten, so the next pass computes each again; the check is added NOT VALID and
-- validated by the next migration.
set lock_timeout = '500ms';

alter table private.alert_coach_state drop constraint alert_coach_state_rhythm_hours;

update private.alert_coach_state set rhythm = null, rhythm_day = null, rhythm_timezone = null;

alter table private.alert_coach_state
    add constraint alert_coach_state_rhythm_week_hours check (rhythm is null or cardinality(rhythm) = 168) not valid;

comment on column private.alert_coach_state.rhythm_day is 'The local day of the last message the rhythm was computed for: the rhythm covers the 4 local weeks (28 days) before it.';
comment on column private.alert_coach_state.rhythm is 'Messages (in and out) per local weekday and hour (168 values, Monday 00h to Sunday 23h), averaged over those 4 weeks (private.alert_rhythm).';

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

comment on function private.alert_refresh(uuid, timestamptz) is
    'Evaluates every alert rule of a coach at instant at and makes private.coach_alerts hold exactly the alerts that apply (raised_at kept while an alert''s fingerprint is unchanged); recomputes the coach''s message rhythm when the local day of its last message (or its time zone) changed. Cost: a few index lookups, the coach''s waiting hot leads, about 35 day rows, and once a day 28 days of its messages; none grows with the history. Returns the active alerts.';
