-- Purpose: the SQL helpers with a SET clause that a period document calls with run-time arguments (kpi_rating, kpi_reply_rate, kpi_first_day, kpi_period_json, the four-argument kpi_resolve_period, kpi_trend_bucket) become PL/pgSQL: never inlined, they were planned again at every call; PL/pgSQL keeps the plan for the session.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_rating(numeric), as supabase/schemas/40_kpi_helpers.sql defines it
create or replace function private.kpi_rating(percentage numeric)
returns text
language plpgsql
immutable
security invoker
set search_path = ''
as $$
begin
    return case
        when percentage is null then null
        when percentage >= 60 then 'excellent'
        when percentage >= 40 then 'good'
        else 'to_improve'
    end;
end;
$$;

comment on function private.kpi_rating(numeric) is
    'Rating of a reply rate given as a percentage (the rounded value the coach sees): excellent >= 60, good 40 to < 60, to_improve < 40, null when there is no rate. PL/pgSQL: as a SQL function with a SET clause it was never inlined and was planned again at every call.';

revoke execute on function private.kpi_rating(numeric) from public;

-- function private.kpi_reply_rate(integer, numeric, numeric, numeric, numeric, boolean), as supabase/schemas/40_kpi_helpers.sql defines it
create or replace function private.kpi_reply_rate(message_number integer, replied numeric, sent numeric, previous_replied numeric, previous_sent numeric, has_previous boolean)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return jsonb_build_object(
        'message_number', message_number,
        'rate', private.kpi_period_rate(replied, sent, previous_replied, previous_sent, has_previous),
        'rating', private.kpi_rating(case when sent > 0 then round(coalesce(replied, 0) * 100.0 / sent, 1) end)
    );
end;
$$;

comment on function private.kpi_reply_rate(integer, numeric, numeric, numeric, numeric, boolean) is
    'One entry of reply_rates of a period document: {message_number, rate: PeriodRate replied / sent, rating of the rate}. PL/pgSQL: as a SQL function with a SET clause it was never inlined and was planned again at every call.';

revoke execute on function private.kpi_reply_rate(integer, numeric, numeric, numeric, numeric, boolean) from public;

-- function private.kpi_first_day(uuid, date), as supabase/schemas/43_kpi_period.sql defines it
create or replace function private.kpi_first_day(target_coach uuid, today date)
returns date
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return least(coalesce((
        select k.day
        from private.kpi_facts as k
        where k.coach_id = target_coach and k.grain = 'day'
            and (k.new_leads > 0 or k.messages_sent > 0 or k.messages_received > 0)
        order by k.day
        limit 1
    ), today), today);
end;
$$;

comment on function private.kpi_first_day(uuid, date) is
    'First local day on which the coach has a new lead or a message (from private.kpi_facts), capped at today; today when there is none. PL/pgSQL: as a SQL function with a SET clause it was never inlined and was planned again at every call.';

revoke execute on function private.kpi_first_day(uuid, date) from public;

-- function private.kpi_period_json(private.kpi_period), as supabase/schemas/43_kpi_period.sql defines it
create or replace function private.kpi_period_json(p private.kpi_period)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return jsonb_build_object(
        'key', p.key,
        'start', to_char(p.start_day, 'YYYY-MM-DD'),
        'end', to_char(p.end_day, 'YYYY-MM-DD'),
        'days', p.days,
        'previous', case when p.previous_start is not null then jsonb_build_object(
            'start', to_char(p.previous_start, 'YYYY-MM-DD'), 'end', to_char(p.previous_end, 'YYYY-MM-DD'),
            'until', to_char(p.previous_until at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) end,
        'bucket', p.bucket,
        'timezone', p.timezone
    );
end;
$$;

comment on function private.kpi_period_json(private.kpi_period) is
    'The period object of a period document (Period of web/src/dashboard-types.ts); previous.until is the cut of the previous period in UTC (ISO 8601, to the second), null when whole days are compared. PL/pgSQL: as a SQL function with a SET clause it was never inlined and was planned again at every call.';

revoke execute on function private.kpi_period_json(private.kpi_period) from public;

-- function private.kpi_resolve_period(uuid, text, date, date), as supabase/schemas/43_kpi_period.sql defines it
create or replace function private.kpi_resolve_period(target_coach uuid, period text, period_start date, period_end date)
returns private.kpi_period
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return private.kpi_resolve_period(target_coach, period, period_start, period_end, now());
end;
$$;

comment on function private.kpi_resolve_period(uuid, text, date, date) is
    'private.kpi_resolve_period at now(): the period of a dashboard call (see the five-argument version). PL/pgSQL: as a SQL function with a SET clause it was never inlined and was planned again at every call.';

revoke execute on function private.kpi_resolve_period(uuid, text, date, date) from public;

-- function private.kpi_trend_bucket(integer), as supabase/schemas/45_kpi_sections.sql defines it
create or replace function private.kpi_trend_bucket(days integer)
returns text
language plpgsql
immutable
security invoker
set search_path = ''
as $$
begin
    return case when days > 366 then 'month' when days > 90 then 'week' else 'day' end;
end;
$$;

comment on function private.kpi_trend_bucket(integer) is
    'The trend bucket of a period of this many days: day up to 90 days, week (ISO, Monday first) up to 366, month beyond (period.bucket and trend.bucket of a period document). PL/pgSQL: as a SQL function with a SET clause it was never inlined and was planned again at every call.';

revoke execute on function private.kpi_trend_bucket(integer) from public;
