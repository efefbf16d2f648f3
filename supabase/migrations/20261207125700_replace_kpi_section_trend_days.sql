-- Purpose: private.kpi_section_trend by day (periods up to 90 days, such as a 45-day range) reads the period's day rows as they are, one range of the index joined to the days, without summing them by bucket (about a quarter less CPU); the same trend.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- as supabase/schemas/45_kpi_sections.sql defines it
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
    if p.bucket = 'day' then
        -- a bucket per day (periods up to 90 days, the first bucket is the first day): the period's day rows as they
        -- are, read by one range of the index and joined to the days, without the sums by bucket below
        return (
            select jsonb_build_object('bucket', p.bucket,
                'dates', to_jsonb(x.dates), 'new_leads', to_jsonb(x.new_leads), 'messages_sent', to_jsonb(x.messages_sent),
                'dm1_sent', to_jsonb(x.dm1_sent), 'dm1_replied', to_jsonb(x.dm1_replied),
                'dm1_reply_rate', to_jsonb(x.dm1_reply_rate), 'qualified', to_jsonb(x.qualified),
                'calls_booked', to_jsonb(x.calls_booked), 'deals_won', to_jsonb(x.deals_won), 'revenue', to_jsonb(x.revenue))
            from (
                select array_agg(to_char(b.day, 'YYYY-MM-DD')) over w as dates,
                    array_agg(coalesce(k.new_leads, 0)) over w as new_leads,
                    array_agg(coalesce(k.messages_sent, 0)) over w as messages_sent,
                    array_agg(coalesce(k.dm1_sent, 0)) over w as dm1_sent,
                    array_agg(coalesce(k.dm1_replied, 0)) over w as dm1_replied,
                    array_agg(round(100.0 * k.dm1_replied / nullif(k.dm1_sent, 0), 1)) over w as dm1_reply_rate,
                    array_agg(coalesce(k.qualified, 0)) over w as qualified,
                    array_agg(coalesce(k.calls_booked, 0)) over w as calls_booked,
                    array_agg(coalesce(k.deals_won, 0)) over w as deals_won,
                    array_agg(coalesce(k.revenue, 0)) over w as revenue
                from (select g::date as day from generate_series(p.start_day::timestamp, p.end_day::timestamp, unit) as g) as b
                left join private.kpi_facts as k
                    on k.coach_id = target_coach and k.grain = 'day' and k.day = b.day
                        and k.day between p.start_day and p.end_day
                window w as (order by b.day rows between unbounded preceding and unbounded following)
                limit 1
            ) as x
        );
    end if;
    -- weeks or months: the first bucket clipped to the period's first day (and holding every earlier month beyond
    -- kpi_trend_max_buckets() months), whole weeks or months from their rows, the rest from day rows
    return (
        -- each array made JSON once (a jsonb_agg step makes every element a JSON value of its own first)
        select jsonb_build_object('bucket', p.bucket,
            'dates', to_jsonb(x.dates), 'new_leads', to_jsonb(x.new_leads), 'messages_sent', to_jsonb(x.messages_sent),
            'dm1_sent', to_jsonb(x.dm1_sent), 'dm1_replied', to_jsonb(x.dm1_replied),
            'dm1_reply_rate', to_jsonb(x.dm1_reply_rate), 'qualified', to_jsonb(x.qualified),
            'calls_booked', to_jsonb(x.calls_booked), 'deals_won', to_jsonb(x.deals_won), 'revenue', to_jsonb(x.revenue))
        from (
            -- one sort for the ten arrays: a window ordered by the bucket over the whole set (an ordered aggregate sorts
            -- its input once per aggregate); arrays, not jsonb_agg
            select array_agg(to_char(b.first_day, 'YYYY-MM-DD')) over w as dates,
                array_agg(coalesce(s.new_leads, 0)) over w as new_leads,
                array_agg(coalesce(s.messages_sent, 0)) over w as messages_sent,
                array_agg(coalesce(s.dm1_sent, 0)) over w as dm1_sent,
                array_agg(coalesce(s.dm1_replied, 0)) over w as dm1_replied,
                array_agg(round(100.0 * s.dm1_replied / nullif(s.dm1_sent, 0), 1)) over w as dm1_reply_rate,
                array_agg(coalesce(s.qualified, 0)) over w as qualified,
                array_agg(coalesce(s.calls_booked, 0)) over w as calls_booked,
                array_agg(coalesce(s.deals_won, 0)) over w as deals_won,
                array_agg(coalesce(s.revenue, 0)) over w as revenue
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
            window w as (order by b.first_day rows between unbounded preceding and unbounded following)
            limit 1
        ) as x
    );
end;
$$;

comment on function private.kpi_section_trend(uuid, private.kpi_period) is
    'trend of a period document: one bucket per local day, ISO week (Monday first) or month (p.bucket, private.kpi_trend_bucket), the first starting on the period''s first day (clipped) and, for a period of more months than private.kpi_trend_max_buckets(), also holding every month before the last ones, so at most 90 buckets whatever the period; each with new leads, DMs sent, DM 1 sent and replied and the DM 1 reply rate of the bucket (% with 1 decimal, null when no DM 1 was sent in it), qualified, calls booked, deals won and revenue; counts of buckets without data are 0. By day (up to 90 days), the period''s day rows as they are, by one range of the index (no sums by bucket: about a quarter less CPU for a 45-day range). By week or month, reads the week or month rows of the whole weeks or months inside the period and the day rows of the rest: the work is bounded by the buckets and the rows with data, not by the length of the period. The ten arrays are built as SQL arrays in one window and made JSON once each (about a fifth less CPU than jsonb_agg, which makes every element a JSON value of its own).';
