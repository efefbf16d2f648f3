-- KPI engine: resolving a period and summing its days.

create or replace function private.kpi_first_day(target_coach uuid, today date)
returns date
language sql
stable
security invoker
set search_path = ''
as $$
    select least(coalesce((
        select k.day
        from private.kpi_facts as k
        where k.coach_id = target_coach and k.grain = 'day'
            and (k.new_leads > 0 or k.messages_sent > 0 or k.messages_received > 0)
        order by k.day
        limit 1
    ), today), today);
$$;

comment on function private.kpi_first_day(uuid, date) is
    'First local day on which the coach has a new lead or a message (from private.kpi_facts), capped at today; today when there is none.';

revoke execute on function private.kpi_first_day(uuid, date) from public;

create or replace function private.kpi_resolve_period(target_coach uuid, period text, period_start date, period_end date)
returns private.kpi_period
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    p private.kpi_period;
begin
    p.key := coalesce(period, 'range');
    select c.timezone into p.timezone from public.coachs as c where c.id = target_coach;
    p.today := (now() at time zone p.timezone)::date;
    if p.key not in ('today', '7d', '30d', '90d', 'all', 'range') then
        raise exception using errcode = '22023',
            message = format('invalid parameter "period": "%s" is not one of today, 7d, 30d, 90d, all, range', period);
    elsif p.key <> 'range' and (period_start is not null or period_end is not null) then
        raise exception using errcode = '22023',
            message = format('invalid parameter "period_start": dates go with period "range" (or no period), not with "%s"', period);
    elsif p.key = 'range' and (period_start is null or period_end is null) then
        raise exception using errcode = '22023',
            message = format('invalid parameter "%s": a range needs both period_start and period_end',
                case when period_start is null then 'period_start' else 'period_end' end);
    elsif period_start > period_end then
        raise exception using errcode = '22023',
            message = format('invalid parameter "period_start": %s is after period_end %s', period_start, period_end);
    elsif period_end > p.today then
        raise exception using errcode = '22023',
            message = format('invalid parameter "period_end": %s is after today (%s in %s)', period_end, p.today, p.timezone);
    end if;
    p.end_day := coalesce(period_end, p.today);
    p.start_day := case p.key
        when 'range' then period_start when 'today' then p.today when '7d' then p.today - 6
        when '30d' then p.today - 29 when '90d' then p.today - 89
        else private.kpi_first_day(target_coach, p.today) end;
    p.days := p.end_day - p.start_day + 1;
    if p.key <> 'all' then
        p.previous_start := p.start_day - p.days;
        p.previous_end := p.start_day - 1;
    end if;
    p.bucket := private.kpi_trend_bucket(p.days);
    return p;
end;
$$;

comment on function private.kpi_resolve_period(uuid, text, date, date) is
    'Resolves the period of a dashboard call in the coach''s time zone: today [today, today], 7d [today - 6, today], 30d, 90d, all [first day with a lead or message, today], range (or no period) [period_start, period_end]. The previous period has the same number of days and ends the day before the start (none for all); bucket is week beyond 90 days, month beyond 366 (private.kpi_trend_bucket). Raises 22023 naming the parameter for an unknown period, dates with a preset, a range without both dates, a start after the end, an end after today.';

revoke execute on function private.kpi_resolve_period(uuid, text, date, date) from public;

create or replace function private.kpi_period_json(p private.kpi_period)
returns jsonb
language sql
stable
security invoker
as $$
    select jsonb_build_object(
        'key', p.key,
        'start', to_char(p.start_day, 'YYYY-MM-DD'),
        'end', to_char(p.end_day, 'YYYY-MM-DD'),
        'days', p.days,
        'previous', case when p.previous_start is not null then jsonb_build_object(
            'start', to_char(p.previous_start, 'YYYY-MM-DD'), 'end', to_char(p.previous_end, 'YYYY-MM-DD')) end,
        'bucket', p.bucket,
        'timezone', p.timezone
    );
$$;

comment on function private.kpi_period_json(private.kpi_period) is
    'The period object of a period document (Period of web/src/dashboard-types.ts). Inlinable (no SET clause, reads no table).';

revoke execute on function private.kpi_period_json(private.kpi_period) from public;

create or replace function private.kpi_period_sums(target_coach uuid, window_grain text, from_day date, to_day date)
returns private.kpi_facts
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    months_from date := case when extract(day from from_day) = 1 then from_day
        else (date_trunc('month', from_day) + interval '1 month')::date end;
    months_to date := case when extract(day from to_day + 1) = 1 then to_day + 1
        else date_trunc('month', to_day)::date end;
    result private.kpi_facts;
begin
    select k.* into result
    from private.kpi_facts as k
    where k.coach_id = target_coach and k.grain = window_grain and k.end_day = to_day
        and (k.day = from_day or window_grain = 'all');
    if found then
        return result;
    end if;
    with r as materialized (
        select k.*
        from private.kpi_facts as k
        where k.coach_id = target_coach
            and ((k.grain = 'day' and k.day between from_day and to_day and (k.day < months_from or k.day >= months_to))
                or (k.grain = 'month' and k.day >= months_from and k.day < months_to))
    )
    select target_coach, 'range', from_day, to_day, '{}'::jsonb,
        private.kpi_jsonb_sum(array(select r.sources from r)),
        private.kpi_jsonb_sum(array(select r.professions from r)),
        private.kpi_jsonb_sum(array(select r.lost_reasons from r)),
        private.kpi_jsonb_sum(array(select r.conversions from r)),
        private.kpi_jsonb_sum(array(select r.speed from r)),
        now(),
        coalesce(sum(r.new_leads), 0), coalesce(sum(r.cohort_messages), 0), coalesce(sum(r.tta_sum), 0),
        coalesce(sum(r.tta_count), 0), coalesce(sum(r.emails), 0), coalesce(sum(r.men), 0), coalesce(sum(r.women), 0),
        coalesce(sum(r.other_gender), 0), coalesce(sum(r.unknown_gender), 0), coalesce(sum(r.age_sum), 0),
        coalesce(sum(r.age_count), 0), coalesce(sum(r.messages_sent), 0), coalesce(sum(r.messages_received), 0),
        coalesce(sum(r.inbound_answered), 0),
        coalesce(sum(r.dm1_sent), 0), coalesce(sum(r.dm1_replied), 0), coalesce(sum(r.dm2_sent), 0),
        coalesce(sum(r.dm2_replied), 0), coalesce(sum(r.dm3_sent), 0), coalesce(sum(r.dm3_replied), 0),
        coalesce(sum(r.dm4_sent), 0), coalesce(sum(r.dm4_replied), 0),
        coalesce(sum(r.cohort_qualified), 0), coalesce(sum(r.cohort_proposed), 0), coalesce(sum(r.cohort_booked), 0),
        coalesce(sum(r.cohort_won), 0), coalesce(sum(r.cohort_lost), 0),
        coalesce(sum(r.qualified), 0), coalesce(sum(r.calls_proposed), 0), coalesce(sum(r.calls_booked), 0),
        coalesce(sum(r.deals_won), 0), coalesce(sum(r.revenue), 0), coalesce(sum(r.won_valued), 0),
        coalesce(sum(r.lost), 0), coalesce(sum(r.lead_magnets), 0), coalesce(sum(r.call_outcomes), 0),
        coalesce(sum(r.no_shows), 0)
    into result
    from r;
    return result;
end;
$$;

comment on function private.kpi_period_sums(uuid, text, date, date) is
    'The coach''s facts over the local days from_day to to_day (inclusive) as a private.kpi_facts value: the window row window_grain when it holds exactly that range (all: any start), else each typed column summed and each map merged over the month rows of the whole months inside and the day rows of the other days (counts left empty).';

revoke execute on function private.kpi_period_sums(uuid, text, date, date) from public;
