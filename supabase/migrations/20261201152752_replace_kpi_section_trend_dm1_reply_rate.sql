-- Purpose: the trend of a period document carries the DM 1 reply rate of each bucket (dm1_reply_rate), so the page draws it without dividing dm1_replied by dm1_sent itself; the stored documents are recomputed with it.

set local lock_timeout = '3s';
set local statement_timeout = '30s';

-- The daily (weekly beyond 90 days) series of the headline KPIs over the period, columnar, missing buckets 0. Weekly:
-- the week rows of the whole weeks inside the period, the day rows of the clipped weeks at its ends. The DM 1 reply
-- rate of a bucket is its dm1_replied / dm1_sent in %, 1 decimal, null when no DM 1 was sent in it (as the rate of
-- the document, without low_sample: a bucket is a point of a curve, not a KPI).
create or replace function private.kpi_section_trend(target_coach uuid, p private.kpi_period)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    weekly boolean := p.bucket = 'week';
    weeks_from date := date_trunc('week', p.start_day + 6)::date;
    weeks_to date := date_trunc('week', p.end_day + 1)::date - 1;
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
            select greatest(p.start_day, g::date) as first_day
            from generate_series(case when weekly then date_trunc('week', p.start_day) else p.start_day end,
                p.end_day, case when weekly then interval '1 week' else interval '1 day' end) as g
        ) as b
        left join (
            select case when weekly then greatest(p.start_day, date_trunc('week', k.day)::date) else k.day end
                    as first_day,
                sum(k.new_leads) as new_leads, sum(k.messages_sent) as messages_sent, sum(k.dm1_sent) as dm1_sent,
                sum(k.dm1_replied) as dm1_replied, sum(k.qualified) as qualified, sum(k.calls_booked) as calls_booked,
                sum(k.deals_won) as deals_won, sum(k.revenue) as revenue
            from private.kpi_facts as k
            where k.coach_id = target_coach
                and ((weekly and k.grain = 'week' and k.day between weeks_from and weeks_to)
                    or (k.grain = 'day' and k.day between p.start_day and p.end_day
                        and (not weekly or k.day < weeks_from or k.day > weeks_to)))
            group by 1
        ) as s on s.first_day = b.first_day
    );
end;
$$;

comment on function private.kpi_section_trend(uuid, private.kpi_period) is
    'trend of a period document: one bucket per local day (per ISO week, Monday first, clipped to the period, when it is longer than 90 days), with new leads, DMs sent, DM 1 sent and replied and the DM 1 reply rate of the bucket (% with 1 decimal, null when no DM 1 was sent in it), qualified, calls booked, deals won and revenue; counts of buckets without data are 0.';

revoke all on function private.kpi_section_trend(uuid, private.kpi_period) from public;

-- The stored documents of the preset periods were computed without the new series: forgotten, get_dashboard computes
-- them meanwhile and the next upkeep pass stores them again (private.kpi_upkeep recomputes a coach's missing ones).
delete from private.kpi_documents;
