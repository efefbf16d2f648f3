-- Purpose: the trend of a period document widens its buckets with the period (day up to 90 days, week up to 366, month beyond) and never has more than 90 of them, so its size and its cost no longer grow with the period's length.

set lock_timeout = '500ms';

-- Before, a period longer than 90 days had one weekly bucket per week: an 'all' period from one absurd event date
-- (year 0001) gave 105,708 buckets, a 600 KB stored document and seconds of every upkeep pass that touched that coach
-- (issue 23). Now: week buckets up to 366 days (at most 54), month buckets beyond, and at most
-- private.kpi_trend_max_buckets() buckets whatever the period: the first bucket starts on the period's first day and,
-- for a period of more than 90 months, holds every month before the last 89. The series still add up to the
-- period's totals. The trend reads the week or month rows of the whole weeks or months and the day rows of the rest:
-- its work is bounded by the buckets and by the rows that have data, not by the calendar.

create or replace function private.kpi_trend_max_buckets()
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
    select 90;
$$;

comment on function private.kpi_trend_max_buckets() is
    'The most buckets a trend has: 90 (90 days; about 54 weeks of a period up to 366 days; beyond, 90 months, the first bucket also holding every earlier day of the period).';

revoke all on function private.kpi_trend_max_buckets() from public;

create or replace function private.kpi_trend_bucket(days integer)
returns text
language sql
immutable
security invoker
set search_path = ''
as $$
    select case when days > 366 then 'month' when days > 90 then 'week' else 'day' end;
$$;

comment on function private.kpi_trend_bucket(integer) is
    'The trend bucket of a period of this many days: day up to 90 days, week (ISO, Monday first) up to 366, month beyond (period.bucket and trend.bucket of a period document).';

revoke all on function private.kpi_trend_bucket(integer) from public;

create or replace function private.kpi_section_trend(target_coach uuid, p private.kpi_period)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    unit interval := case p.bucket when 'month' then interval '1 month' when 'week' then interval '1 week'
        else interval '1 day' end;
    first_unit date := greatest(date_trunc(p.bucket, p.start_day::timestamp),
        date_trunc(p.bucket, p.end_day::timestamp) - (private.kpi_trend_max_buckets() - 1) * unit)::date;
    second_bucket date := (first_unit + unit)::date;
    whole_from date := date_trunc(p.bucket, (p.start_day - 1)::timestamp + unit)::date;
    whole_to date := date_trunc(p.bucket, (p.end_day + 1)::timestamp)::date;
begin
    return (
        select jsonb_build_object('bucket', p.bucket,
            'dates', jsonb_agg(to_char(b.first_day, 'YYYY-MM-DD') order by b.first_day),
            'new_leads', jsonb_agg(coalesce(s.new_leads, 0) order by b.first_day),
            'messages_sent', jsonb_agg(coalesce(s.messages_sent, 0) order by b.first_day),
            'dm1_sent', jsonb_agg(coalesce(s.dm1_sent, 0) order by b.first_day),
            'dm1_replied', jsonb_agg(coalesce(s.dm1_replied, 0) order by b.first_day),
            'dm1_reply_rate', jsonb_agg(round(100.0 * s.dm1_replied / nullif(s.dm1_sent, 0), 1) order by b.first_day),
            'qualified', jsonb_agg(coalesce(s.qualified, 0) order by b.first_day),
            'calls_booked', jsonb_agg(coalesce(s.calls_booked, 0) order by b.first_day),
            'deals_won', jsonb_agg(coalesce(s.deals_won, 0) order by b.first_day),
            'revenue', jsonb_agg(coalesce(s.revenue, 0) order by b.first_day))
        from (
            select case when g < second_bucket then p.start_day else g::date end as first_day
            from generate_series(first_unit::timestamp, p.end_day::timestamp, unit) as g
        ) as b
        left join (
            select case when k.day < second_bucket then p.start_day
                    else date_trunc(p.bucket, k.day::timestamp)::date end as first_day,
                sum(k.new_leads) as new_leads, sum(k.messages_sent) as messages_sent, sum(k.dm1_sent) as dm1_sent,
                sum(k.dm1_replied) as dm1_replied, sum(k.qualified) as qualified, sum(k.calls_booked) as calls_booked,
                sum(k.deals_won) as deals_won, sum(k.revenue) as revenue
            from private.kpi_facts as k
            where k.coach_id = target_coach
                and ((p.bucket <> 'day' and k.grain = p.bucket and k.day >= whole_from and k.day < whole_to)
                    or (k.grain = 'day' and k.day between p.start_day and p.end_day
                        and (p.bucket = 'day' or k.day < whole_from or k.day >= whole_to)))
            group by 1
        ) as s on s.first_day = b.first_day
    );
end;
$$;

comment on function private.kpi_section_trend(uuid, private.kpi_period) is
    'trend of a period document: one bucket per local day, ISO week (Monday first) or month (p.bucket, private.kpi_trend_bucket), the first starting on the period''s first day (clipped) and, for a period of more months than private.kpi_trend_max_buckets(), also holding every month before the last ones, so at most 90 buckets whatever the period; each with new leads, DMs sent, DM 1 sent and replied and the DM 1 reply rate of the bucket (% with 1 decimal, null when no DM 1 was sent in it), qualified, calls booked, deals won and revenue; counts of buckets without data are 0. Reads the week or month rows of the whole weeks or months inside the period and the day rows of the rest: the work is bounded by the buckets and the rows with data, not by the length of the period.';


-- private.kpi_resolve_period at an instant (20261206141253), its bucket from private.kpi_trend_bucket.
create or replace function private.kpi_resolve_period(
    target_coach uuid,
    period text,
    period_start date,
    period_end date,
    as_of timestamptz
)
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
    p.today := (as_of at time zone p.timezone)::date;
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
    elsif p.key = 'range' then
        perform private.kpi_check_range_bounds(target_coach, period_start, period_end, p.today);
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
        if p.end_day = p.today then
            p.previous_until := (p.previous_end + date_trunc('second', (as_of at time zone p.timezone)::time)::time)
                at time zone p.timezone;
        end if;
    end if;
    p.bucket := private.kpi_trend_bucket(p.days);
    return p;
end;
$$;

comment on function private.kpi_resolve_period(uuid, text, date, date, timestamptz) is
    'Resolves the period of a dashboard call at the instant as_of in the coach''s time zone: today [today, today], 7d [today - 6, today], 30d, 90d, all [first day with a lead or message, today], range (or no period) [period_start, period_end] within its bounds (private.kpi_check_range_bounds). The previous period has the same number of days and ends the day before the start (none for all), cut at as_of''s local time of day (to the second) when the period ends today (previous_until); bucket is week beyond 90 days, month beyond 366 (private.kpi_trend_bucket). Raises 22023 naming the parameter for an unknown period, dates with a preset, a range without both dates, a start after the end, an end after today, a range beyond its bounds.';

comment on type private.kpi_period is
    'A resolved period: key (today, 7d, 30d, 90d, all, range), first and last local day (inclusive), number of days, the previous period of the same length (null for all), the trend bucket (day; week beyond 90 days; month beyond 366: private.kpi_trend_bucket), the coach''s time zone and its today, and previous_until: for a period that ends today, the instant its previous period is cut at (previous_end at the same local time of day), else null.';

-- The glossary's trend entry says so (its French texts; the rest of the row is unchanged).
update private.kpi_period_definitions
set formula = 'Par jour jusqu’à 90 jours, par semaine du lundi au dimanche jusqu’à 366 jours, par mois au-delà (90 points au plus, le premier commençant au début de la période) : nouveaux leads, messages envoyés, premiers messages envoyés, réponses à ces premiers messages et leur taux de réponse (vide sans premier message), qualifications, calls réservés, deals gagnés, chiffre d’affaires ; 0 sans activité',
    period = 'Chaque jour, semaine ou mois de la période, comme les KPI du même nom'
where key = 'trend';

-- The stored documents have the old buckets: forgotten, get_dashboard computes them meanwhile and the next upkeep pass
-- stores them again (private.kpi_documents_current finds them missing).
delete from private.kpi_documents;
