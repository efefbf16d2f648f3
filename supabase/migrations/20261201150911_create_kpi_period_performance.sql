-- Purpose: the performance and trend sections of the period dashboard, with the readers of the labelled maps they use (best conversion moment, speed-to-lead percentiles from buckets, lead quality by source).

set local lock_timeout = '3s';
set local statement_timeout = '30s';

-- The weekday-hour slot with the most conversions (first call_booked events and first wins) of the period.
create or replace function private.kpi_best_moment(conversions jsonb)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return (
        select jsonb_build_object('weekday', x.slot / 24 + 1, 'hour', x.slot % 24, 'count', x.n,
            'low_sample', x.n < private.kpi_min_sample())
        from (
            select e.key::integer as slot, e.value::numeric::integer as n
            from jsonb_each_text(conversions) as e
        ) as x
        order by x.n desc, x.slot
        limit 1
    );
end;
$$;

comment on function private.kpi_best_moment(jsonb) is
    'best_conversion_moment of a period document: the local ISO weekday and hour with the most conversions (ties: earliest in the week), its count and low_sample (count < min sample); null without any conversion.';

-- Median and 90th percentile of the speed-to-lead buckets: the bound of the bucket holding the turn at 50 % and at
-- 90 % of the sorted waits (percentile_disc over the bucket bounds).
create or replace function private.kpi_speed(speed jsonb)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return (
        select jsonb_build_object(
            'median_minutes', min(x.bucket) filter (where x.cumulative >= 0.5 * x.total),
            'p90_minutes', min(x.bucket) filter (where x.cumulative >= 0.9 * x.total),
            'sample', coalesce(max(x.total), 0),
            'low_sample', coalesce(max(x.total), 0) < private.kpi_min_sample())
        from (
            select s.bucket, sum(s.n) over (order by s.bucket) as cumulative, sum(s.n) over () as total
            from (
                select e.key::integer as bucket, e.value::numeric as n
                from jsonb_each_text(speed) as e
            ) as s
        ) as x
    );
end;
$$;

comment on function private.kpi_speed(jsonb) is
    'speed_to_lead of a period document from the wait buckets of the period''s turns (private.kpi_speed_bucket): median and p90 = bound in minutes of the bucket holding the 50th / 90th percentile turn (percentile_disc), sample = turns, low_sample = sample < min sample.';

-- Leads created in the period by source: qualified, booked and won since, revenue of those won, and the rates.
create or replace function private.kpi_source_quality(sources jsonb)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return (
        select coalesce(jsonb_agg(jsonb_build_object(
                'source', s.source, 'leads', s.leads, 'qualified', s.qualified, 'calls_booked', s.booked, 'won', s.won,
                'revenue', s.revenue,
                'qualification_rate', private.kpi_rate(s.qualified, s.leads),
                'booking_rate', private.kpi_rate(s.booked, s.qualified),
                'win_rate', private.kpi_rate(s.won, s.booked))
                order by s.leads desc, s.source), '[]'::jsonb)
        from (
            select substr(e.key, position(':' in e.key) + 1) as source,
                coalesce(sum(e.value::numeric) filter (where split_part(e.key, ':', 1) = 'leads'), 0) as leads,
                coalesce(sum(e.value::numeric) filter (where split_part(e.key, ':', 1) = 'qualified'), 0) as qualified,
                coalesce(sum(e.value::numeric) filter (where split_part(e.key, ':', 1) = 'booked'), 0) as booked,
                coalesce(sum(e.value::numeric) filter (where split_part(e.key, ':', 1) = 'won'), 0) as won,
                coalesce(sum(e.value::numeric) filter (where split_part(e.key, ':', 1) = 'revenue'), 0) as revenue
            from jsonb_each_text(sources) as e
            group by 1
        ) as s
        where s.leads > 0
    );
end;
$$;

comment on function private.kpi_source_quality(jsonb) is
    'lead_quality_by_source of a period document: for each source of the leads created in the period, leads, qualified / calls booked / won since, revenue of those won, and the rate of each step (SourceQuality[]).';

revoke all on function private.kpi_best_moment(jsonb) from public;
revoke all on function private.kpi_speed(jsonb) from public;
revoke all on function private.kpi_source_quality(jsonb) from public;

create or replace function private.kpi_section_performance(
    target_coach uuid,
    p private.kpi_period,
    cur private.kpi_facts,
    prev private.kpi_facts,
    settings public.coach_settings
)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    has_previous boolean := p.previous_start is not null;
    monthly numeric := coalesce(settings.setter_monthly_cost, 0);
    minutes numeric := coalesce(settings.minutes_per_manual_message, 0);
    previous_cost numeric := round(monthly * p.days / 30.0, 2);
    cost numeric := case when p.key <> 'all' then previous_cost else monthly * greatest(1, ceil(extract(epoch from
        now() - (select f.created_at from private.lead_facts as f where f.coach_id = target_coach
                 order by f.created_day, f.created_at limit 1)) / (30 * 86400.0))) end;
    roi jsonb := private.kpi_period_rate(cur.revenue - cost, cost, prev.revenue - previous_cost, previous_cost, has_previous, false);
begin
    return jsonb_build_object(
        'revenue', private.kpi_metric(cur.revenue, prev.revenue, has_previous),
        'deals_closed', private.kpi_metric(cur.deals_won, prev.deals_won, has_previous),
        'average_deal_value', private.kpi_metric(round(cur.revenue / nullif(cur.won_valued, 0), 2),
            round(prev.revenue / nullif(prev.won_valued, 0), 2), has_previous),
        'setter_cost', cost,
        'setter_cost_estimated', settings.setter_cost_confirmed_at is null,
        'acquisition_cost', private.kpi_metric(round(cost / nullif(cur.deals_won, 0), 2),
            round(previous_cost / nullif(prev.deals_won, 0), 2), has_previous),
        'roi', roi || jsonb_build_object('low_sample', cur.deals_won < private.kpi_min_sample(),
            'previous', case when has_previous then (roi -> 'previous')
                || jsonb_build_object('low_sample', prev.deals_won < private.kpi_min_sample()) end),
        'ai_efficiency', private.kpi_period_rate(cur.inbound_answered, cur.messages_received,
            prev.inbound_answered, prev.messages_received, has_previous),
        'time_saved', jsonb_build_object('hours', round(cur.messages_sent * minutes / 60.0, 1),
            'messages', cur.messages_sent, 'minutes_per_message', minutes, 'estimated', true),
        'best_conversion_moment', private.kpi_best_moment(cur.conversions),
        'lead_quality_by_source', private.kpi_source_quality(cur.sources),
        'speed_to_lead', private.kpi_speed(cur.speed)
    );
end;
$$;

comment on function private.kpi_section_performance(uuid, private.kpi_period, private.kpi_facts, private.kpi_facts, public.coach_settings) is
    'performance of a period document: revenue, deals and average deal of the wins dated in the period; setter cost over the period (monthly cost x days / 30; for all, as the legacy document: x started 30-day periods since the first lead) and whether it is estimated (the coach never gave its own: coach_settings.setter_cost_confirmed_at); acquisition cost, ROI (low_sample below min sample deals), AI efficiency of the inbound messages of the period, time saved, best conversion moment, lead quality by source of the new leads, speed to lead of the turns of the period.';

-- The daily (weekly beyond 90 days) series of the headline KPIs over the period, columnar, missing buckets 0. Weekly:
-- the week rows of the whole weeks inside the period, the day rows of the clipped weeks at its ends.
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
    'trend of a period document: one bucket per local day (per ISO week, Monday first, clipped to the period, when it is longer than 90 days), with new leads, DMs sent, DM 1 sent and replied (the DM 1 reply rate per bucket), qualified, calls booked, deals won and revenue; buckets without data are 0.';

revoke all on function private.kpi_section_performance(uuid, private.kpi_period, private.kpi_facts, private.kpi_facts, public.coach_settings) from public;
revoke all on function private.kpi_section_trend(uuid, private.kpi_period) from public;
