-- KPI engine: the sections of a period document.

create or replace function private.kpi_ranked(cur jsonb, prev jsonb, has_previous boolean, prefix text, top integer, total numeric)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return (
        select coalesce(jsonb_agg(jsonb_build_object(
                'label', r.label,
                'lead_count', r.n,
                'percentage', round(r.n * 100.0 / nullif(coalesce(total, r.prefix_total), 0), 1),
                'previous_count', case when has_previous then coalesce((prev ->> (prefix || r.label))::numeric, 0) end)
                order by r.n desc, r.label), '[]'::jsonb)
        from (
            select substr(e.key, char_length(prefix) + 1) as label, e.value::numeric as n,
                sum(e.value::numeric) over () as prefix_total
            from jsonb_each_text(cur) as e
            where left(e.key, char_length(prefix)) = prefix
            order by 2 desc, 1
            limit top
        ) as r
    );
end;
$$;

comment on function private.kpi_ranked(jsonb, jsonb, boolean, text, integer, numeric) is
    'The top entries of a labelled map whose keys start with prefix, as PeriodRankedItem[]: label, lead_count, percentage of total (of the prefix''s own sum when total is null), previous_count from prev (null without a previous period).';

revoke execute on function private.kpi_ranked(jsonb, jsonb, boolean, text, integer, numeric) from public;

create or replace function private.kpi_section_activity(cur private.kpi_facts, prev private.kpi_facts, has_previous boolean)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return jsonb_build_object(
        'new_leads', private.kpi_metric(cur.new_leads, prev.new_leads, has_previous),
        'messages_sent', private.kpi_metric(cur.messages_sent, prev.messages_sent, has_previous),
        'messages_received', private.kpi_metric(cur.messages_received, prev.messages_received, has_previous),
        'avg_messages_per_lead', private.kpi_metric(round(cur.cohort_messages::numeric / nullif(cur.new_leads, 0), 1),
            round(prev.cohort_messages::numeric / nullif(prev.new_leads, 0), 1), has_previous, cur.new_leads,
            prev.new_leads),
        'top_sources', private.kpi_ranked(cur.sources, prev.sources, has_previous, 'leads:', 3, cur.new_leads),
        'avg_time_to_action_minutes', private.kpi_metric(round(cur.tta_sum::numeric / nullif(cur.tta_count, 0)),
            round(prev.tta_sum::numeric / nullif(prev.tta_count, 0)), has_previous, cur.tta_count, prev.tta_count)
    );
end;
$$;

comment on function private.kpi_section_activity(private.kpi_facts, private.kpi_facts, boolean) is
    'activity of a period document: new leads, messages sent and received, average messages per new lead, top 3 sources of the new leads, average time to action of the new leads (averages comparable on their number of leads).';

revoke execute on function private.kpi_section_activity(private.kpi_facts, private.kpi_facts, boolean) from public;

create or replace function private.kpi_section_reply_rates(cur private.kpi_facts, prev private.kpi_facts, has_previous boolean)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return jsonb_build_array(
        private.kpi_reply_rate(1, cur.dm1_replied, cur.dm1_sent, prev.dm1_replied, prev.dm1_sent, has_previous),
        private.kpi_reply_rate(2, cur.dm2_replied, cur.dm2_sent, prev.dm2_replied, prev.dm2_sent, has_previous),
        private.kpi_reply_rate(3, cur.dm3_replied, cur.dm3_sent, prev.dm3_replied, prev.dm3_sent, has_previous),
        private.kpi_reply_rate(4, cur.dm4_replied, cur.dm4_sent, prev.dm4_replied, prev.dm4_sent, has_previous)
    );
end;
$$;

comment on function private.kpi_section_reply_rates(private.kpi_facts, private.kpi_facts, boolean) is
    'reply_rates of a period document: for DM 1 to 4, the leads whose DM N was sent in the period who replied to it.';

revoke execute on function private.kpi_section_reply_rates(private.kpi_facts, private.kpi_facts, boolean) from public;

create or replace function private.kpi_section_qualification(cur private.kpi_facts, prev private.kpi_facts, has_previous boolean, default_no_show_rate numeric)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return jsonb_build_object(
        'qualified_leads', private.kpi_metric(cur.qualified, prev.qualified, has_previous),
        'qualification_rate', private.kpi_period_rate(cur.cohort_qualified, cur.dm1_sent,
            prev.cohort_qualified, prev.dm1_sent, has_previous),
        'lead_magnets_sent', private.kpi_metric(cur.lead_magnets, prev.lead_magnets, has_previous),
        'emails_captured', private.kpi_metric(cur.emails, prev.emails, has_previous),
        'calls_proposed', private.kpi_metric(cur.calls_proposed, prev.calls_proposed, has_previous),
        'calls_booked', private.kpi_metric(cur.calls_booked, prev.calls_booked, has_previous),
        'funnel', jsonb_build_array(
            jsonb_build_object('step', 'leads_contacted', 'rate_from_previous', null,
                'count', private.kpi_metric(cur.dm1_sent, prev.dm1_sent, has_previous)),
            jsonb_build_object('step', 'qualified', 'count', private.kpi_metric(cur.cohort_qualified, prev.cohort_qualified, has_previous),
                'rate_from_previous', private.kpi_period_rate(cur.cohort_qualified, cur.dm1_sent,
                    prev.cohort_qualified, prev.dm1_sent, has_previous)),
            jsonb_build_object('step', 'calls_proposed', 'count', private.kpi_metric(cur.cohort_proposed, prev.cohort_proposed, has_previous),
                'rate_from_previous', private.kpi_period_rate(cur.cohort_proposed, cur.cohort_qualified,
                    prev.cohort_proposed, prev.cohort_qualified, has_previous)),
            jsonb_build_object('step', 'calls_booked', 'count', private.kpi_metric(cur.cohort_booked, prev.cohort_booked, has_previous),
                'rate_from_previous', private.kpi_period_rate(cur.cohort_booked, cur.cohort_proposed,
                    prev.cohort_booked, prev.cohort_proposed, has_previous))),
        'call_booking_rate', private.kpi_period_rate(cur.cohort_booked, cur.cohort_proposed,
            prev.cohort_booked, prev.cohort_proposed, has_previous),
        'call_conversion_rate', private.kpi_period_rate(cur.cohort_won, cur.cohort_booked,
            prev.cohort_won, prev.cohort_booked, has_previous),
        'no_show_rate', private.kpi_no_show_rate(cur.no_shows, cur.call_outcomes, prev.no_shows, prev.call_outcomes,
            has_previous, default_no_show_rate)
    );
end;
$$;

comment on function private.kpi_section_qualification(private.kpi_facts, private.kpi_facts, boolean, numeric) is
    'qualification of a period document: stage events dated in the period (qualified, calls proposed and booked), lead magnets, emails of new leads, and the funnel and conversion rates of the cohort of leads whose DM 1 was sent in the period.';

revoke execute on function private.kpi_section_qualification(private.kpi_facts, private.kpi_facts, boolean, numeric) from public;

create or replace function private.kpi_section_demographics(cur private.kpi_facts, prev private.kpi_facts, has_previous boolean)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return jsonb_build_object(
        'men', private.kpi_period_rate(cur.men, cur.men + cur.women + cur.other_gender,
            prev.men, prev.men + prev.women + prev.other_gender, has_previous),
        'women', private.kpi_period_rate(cur.women, cur.men + cur.women + cur.other_gender,
            prev.women, prev.men + prev.women + prev.other_gender, has_previous),
        'other', private.kpi_period_rate(cur.other_gender, cur.men + cur.women + cur.other_gender,
            prev.other_gender, prev.men + prev.women + prev.other_gender, has_previous),
        'unknown_gender', private.kpi_metric(cur.unknown_gender, prev.unknown_gender, has_previous),
        'average_age', private.kpi_metric(round(cur.age_sum::numeric / nullif(cur.age_count, 0), 1),
            round(prev.age_sum::numeric / nullif(prev.age_count, 0), 1), has_previous, cur.age_count, prev.age_count),
        'top_professions', private.kpi_ranked(cur.professions, prev.professions, has_previous, '', 5, null)
    );
end;
$$;

comment on function private.kpi_section_demographics(private.kpi_facts, private.kpi_facts, boolean) is
    'demographics of a period document, over the leads created in the period: gender shares of the known genders, unknown genders, average known age (comparable on the leads with a known age), top 5 professions.';

revoke execute on function private.kpi_section_demographics(private.kpi_facts, private.kpi_facts, boolean) from public;

create or replace function private.kpi_section_pipeline(
    target_coach uuid,
    today date,
    cur private.kpi_facts,
    prev private.kpi_facts,
    has_previous boolean
)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    now_row private.kpi_coach_now;
begin
    select * into now_row from private.kpi_coach_now as n where n.coach_id = target_coach;
    return jsonb_build_object(
        'new_leads', coalesce(now_row.new_leads, 0),
        'engaged_leads', coalesce(now_row.engaged_leads, 0),
        'won_leads', coalesce(now_row.won_leads, 0),
        'lost_leads', coalesce(now_row.lost_leads, 0),
        'relance_leads', coalesce(now_row.relance_leads, 0),
        'leads_to_follow_up', coalesce(now_row.follow_up_count, 0),
        'follow_up_counts', coalesce(now_row.follow_up_counts, '{"high": 0, "medium": 0, "low": 0}'::jsonb),
        'follow_up_rate', private.kpi_rate(coalesce(now_row.follow_up_count, 0),
            coalesce(now_row.leads - now_row.won_leads - now_row.lost_leads, 0)),
        'follow_up', coalesce(now_row.follow_up, '[]'::jsonb),
        'follow_up_as_of', coalesce(now_row.follow_up_at, (select s.last_pass_at from private.kpi_upkeep_state as s)),
        'lost_in_period', private.kpi_metric(cur.lost, prev.lost, has_previous),
        'lost_rate', private.kpi_period_rate(cur.cohort_lost, cur.dm1_sent, prev.cohort_lost, prev.dm1_sent, has_previous),
        'lost_reasons', private.kpi_ranked(cur.lost_reasons, prev.lost_reasons, has_previous, '', 5, null)
    );
end;
$$;

comment on function private.kpi_section_pipeline(uuid, date, private.kpi_facts, private.kpi_facts, boolean) is
    'pipeline of a period document: the current pipeline and follow-up list with its counts by priority (snapshot, as computed by the upkeep: follow_up_as_of) and, over the period, leads lost, the lost rate of the DM 1 cohort and the top 5 lost reasons.';

revoke execute on function private.kpi_section_pipeline(uuid, date, private.kpi_facts, private.kpi_facts, boolean) from public;

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

revoke execute on function private.kpi_trend_max_buckets() from public;

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

revoke execute on function private.kpi_section_trend(uuid, private.kpi_period) from public;

create or replace function private.kpi_best_moment_slots(conversion_slots numeric)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    best numeric;
    best_slot bigint;
begin
    if conversion_slots is null or conversion_slots = 0 then
        return null;
    end if;
    -- the most conversions, and of the slots that have them the earliest of the week (slot i = key i - 1)
    select x.n, x.slot into best, best_slot
    from unnest(private.kpi_slot_counts(conversion_slots, 168)) with ordinality as x (n, slot)
    order by x.n desc, x.slot
    limit 1;
    return jsonb_build_object('weekday', (best_slot - 1) / 24 + 1, 'hour', (best_slot - 1) % 24,
        'count', best::integer, 'low_sample', best < private.kpi_min_sample());
end;
$$;

comment on function private.kpi_best_moment_slots(numeric) is
    'best_conversion_moment of a period document and of the legacy document from the packed conversions (private.kpi_facts.conversion_slots: 168 slots, key (ISO weekday - 1) * 24 + hour, decoded by private.kpi_slot_counts): the local ISO weekday and hour with the most conversions (ties: earliest in the week), its count and low_sample (count < min sample); null without any conversion. Raises 22003 for a number that is no packing of 168 slots.';

revoke execute on function private.kpi_best_moment_slots(numeric) from public;

create or replace function private.kpi_speed_slots(speed_slots numeric, speed jsonb)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    keys text[] := private.kpi_speed_slot_keys();
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
                -- the fixed buckets from their slots, then those beyond 30 days from the map
                select d.key::integer as bucket, d.n
                from unnest(keys, private.kpi_slot_counts(coalesce(speed_slots, 0), cardinality(keys))) as d (key, n)
                where d.n <> 0
                union all
                select e.key::integer, e.value::numeric
                from jsonb_each_text(coalesce(speed, '{}'::jsonb) - keys) as e
            ) as s
        ) as x
    );
end;
$$;

comment on function private.kpi_speed_slots(numeric, jsonb) is
    'speed_to_lead of a period document and of the legacy document from the packed fixed wait buckets (private.kpi_facts.speed_slots, decoded by private.kpi_slot_counts) and the buckets of the speed map that have no slot (beyond 30 days; the map''s other keys are ignored: the slots hold them): median and p90 = bound in minutes of the bucket holding the 50th / 90th percentile turn (percentile_disc), sample = turns, low_sample = sample < min sample. Raises 22003 for a number that is no packing of the 40 speed slots.';

revoke execute on function private.kpi_speed_slots(numeric, jsonb) from public;

create or replace function private.kpi_source_quality_max()
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
    select 20;
$$;

comment on function private.kpi_source_quality_max() is
    'The most sources lead_quality_by_source lists: 20, those with the most new leads in the period (a period document''s size is bounded: docs/kpis.md).';

revoke execute on function private.kpi_source_quality_max() from public;

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
            having coalesce(sum(e.value::numeric) filter (where split_part(e.key, ':', 1) = 'leads'), 0) > 0
            order by 2 desc, 1
            limit private.kpi_source_quality_max()
        ) as s
    );
end;
$$;

comment on function private.kpi_source_quality(jsonb) is
    'lead_quality_by_source of a period document: for each source of the leads created in the period (the private.kpi_source_quality_max() with the most leads), leads, qualified / calls booked / won since, revenue of those won, and the rate of each step (SourceQuality[]).';

revoke execute on function private.kpi_source_quality(jsonb) from public;

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
        'revenue', private.kpi_metric(cur.revenue, prev.revenue, has_previous, cur.deals_won, prev.deals_won),
        'revenue_sources', jsonb_build_object(
            'stripe', coalesce((cur.counts ->> 'revenue_stripe')::numeric, 0),
            'coach', coalesce((cur.counts ->> 'revenue_coach')::numeric, 0),
            'setter', coalesce((cur.counts ->> 'revenue_setter')::numeric, 0)),
        'payments_connected', exists (select 1 from public.lead_payments as pay where pay.coach_id = target_coach),
        'deals_closed', private.kpi_metric(cur.deals_won, prev.deals_won, has_previous),
        'average_deal_value', private.kpi_metric(round(cur.revenue / nullif(cur.won_valued, 0), 2),
            round(prev.revenue / nullif(prev.won_valued, 0), 2), has_previous, cur.won_valued, prev.won_valued),
        'setter_cost', cost,
        'setter_cost_estimated', settings.setter_cost_confirmed_at is null,
        'acquisition_cost', private.kpi_metric(round(cost / nullif(cur.deals_won, 0), 2),
            round(previous_cost / nullif(prev.deals_won, 0), 2), has_previous, cur.deals_won, prev.deals_won),
        'roi', roi || jsonb_build_object('low_sample', cur.deals_won < private.kpi_min_sample(),
            'previous', case when has_previous then (roi -> 'previous')
                || jsonb_build_object('low_sample', prev.deals_won < private.kpi_min_sample()) end,
            'comparable', coalesce(has_previous and cur.deals_won >= private.kpi_min_sample()
                and prev.deals_won >= private.kpi_min_sample() and cost > 0, false)),
        'ai_efficiency', private.kpi_period_rate(cur.inbound_answered, cur.messages_received,
            prev.inbound_answered, prev.messages_received, has_previous),
        'time_saved', jsonb_build_object('hours', round(cur.messages_sent * minutes / 60.0, 1),
            'messages', cur.messages_sent, 'minutes_per_message', minutes, 'estimated', true),
        'best_conversion_moment', private.kpi_best_moment_slots(cur.conversion_slots),
        'lead_quality_by_source', private.kpi_source_quality(cur.sources),
        'speed_to_lead', private.kpi_speed_slots(cur.speed_slots, cur.speed)
    );
end;
$$;

comment on function private.kpi_section_performance(uuid, private.kpi_period, private.kpi_facts, private.kpi_facts, public.coach_settings) is
    'performance of a period document: revenue, deals and average deal of the wins dated in the period (revenue and acquisition cost comparable on the deals closed, the average on the deals with a value); revenue_sources: the revenue by who gave the deal values (stripe, coach, setter); payments_connected: the coach has Stripe payments (revenue and ROI are then no longer estimates); setter cost over the period (monthly cost x days / 30; for all, as the legacy document: x started 30-day periods since the first lead) and whether it is estimated (the coach never gave its own: coach_settings.setter_cost_confirmed_at); acquisition cost, ROI (low_sample and not comparable below min sample deals), AI efficiency of the inbound messages of the period, time saved, best conversion moment (from the packed conversions, private.kpi_best_moment_slots), lead quality by source of the new leads, speed to lead of the turns of the period (from the packed buckets, private.kpi_speed_slots).';

revoke execute on function private.kpi_section_performance(uuid, private.kpi_period, private.kpi_facts, private.kpi_facts, public.coach_settings) from public;
