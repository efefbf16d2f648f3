-- Purpose: every Metric and PeriodRate of a period document says whether its change is meaningful (comparable: a previous period exists and neither side is under the low-sample rule, counts included), so the page can grey or hide a change between two tiny numbers.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- The low-sample rule (docs/kpis.md "Conventions"): a side is under it when its sample is below
-- private.kpi_min_sample(). The sample of a rate is its denominator; of a count, the count itself; of an average or
-- an amount, the number of items averaged or summed (new leads for messages per lead, leads with a time to action,
-- leads with a known age, deals with a value, deals closed for revenue and acquisition cost). A change is comparable
-- when the period has a previous period and both sides have a full sample.

-- A count, amount or average with its previous value and whether the change is comparable, given both samples.
-- Inlinable: stable, no SET clause.
create or replace function private.kpi_metric(
    value numeric,
    previous numeric,
    has_previous boolean,
    sample numeric,
    previous_sample numeric
)
returns jsonb
language sql
stable
security invoker
as $$
    select jsonb_build_object(
        'value', value,
        'previous', case when has_previous then previous end,
        'change_pct', case when has_previous and previous <> 0
            then round((value - previous) * 100.0 / previous, 1) end,
        'comparable', coalesce(has_previous and value is not null and previous is not null
            and sample >= private.kpi_min_sample() and previous_sample >= private.kpi_min_sample(), false)
    );
$$;

comment on function private.kpi_metric(numeric, numeric, boolean, numeric, numeric) is
    'A period KPI (Metric of web/src/dashboard-types.ts) whose samples are given: {value, previous (null without a previous period), change_pct = (value - previous) / previous in % rounded to 1 decimal (null when previous is 0 or null), comparable = a previous period exists, both values are known and both samples are at least kpi_min_sample()}. Averages and amounts pass the number of items behind them. Inlinable: stable, no SET clause.';

-- A count over a period: its sample is the count itself.
create or replace function private.kpi_metric(value numeric, previous numeric, has_previous boolean)
returns jsonb
language sql
stable
security invoker
as $$
    select private.kpi_metric(value, previous, has_previous, value, previous);
$$;

comment on function private.kpi_metric(numeric, numeric, boolean) is
    'A count over a period (Metric of web/src/dashboard-types.ts): private.kpi_metric with the count itself as the sample of each side, so comparable is false when either count is below kpi_min_sample(). Inlinable: stable, no SET clause.';

-- A rate over a period with the same rate over the previous period: Rate & {previous, change_points, comparable}.
create or replace function private.kpi_period_rate(
    num numeric,
    den numeric,
    previous_num numeric,
    previous_den numeric,
    has_previous boolean,
    sampled boolean default true
)
returns jsonb
language sql
stable
security invoker
as $$
    select private.kpi_rate(num, den, sampled) || jsonb_build_object(
        'previous', case when has_previous then private.kpi_rate(previous_num, previous_den, sampled) end,
        'change_points', case when has_previous and coalesce(den, 0) <> 0 and coalesce(previous_den, 0) <> 0
            then round(coalesce(num, 0) * 100.0 / den, 1) - round(coalesce(previous_num, 0) * 100.0 / previous_den, 1) end,
        'comparable', has_previous and coalesce(den, 0) <> 0 and coalesce(previous_den, 0) <> 0
            and (not sampled or (den >= private.kpi_min_sample() and previous_den >= private.kpi_min_sample()))
    );
$$;

comment on function private.kpi_period_rate(numeric, numeric, numeric, numeric, boolean, boolean) is
    'A period rate (PeriodRate of web/src/dashboard-types.ts): kpi_rate(num, den) with previous = kpi_rate(previous_num, previous_den) (null without a previous period), change_points = value - previous value in percentage points (null when either is null) and comparable = a previous period exists and neither side is low_sample (both denominators non-zero, and at least kpi_min_sample() when sampled). Inlinable: stable, no SET clause.';

-- No-show rate of a period: from the known call outcomes, else the coach's default rate flagged estimated (its
-- change is then null and not comparable). Inlinable: no SET clause, no table.
create or replace function private.kpi_no_show_rate(
    no_shows numeric,
    outcomes numeric,
    previous_no_shows numeric,
    previous_outcomes numeric,
    has_previous boolean,
    default_rate numeric
)
returns jsonb
language sql
stable
security invoker
as $$
    select case when outcomes > 0 then private.kpi_rate(no_shows, outcomes)
            else private.kpi_rate(0, 0) || jsonb_build_object('value', round(coalesce(default_rate, 0) * 100, 1)) end
        || jsonb_build_object(
            'estimated', not outcomes > 0,
            'previous', case when not has_previous then null
                when previous_outcomes > 0 then private.kpi_rate(previous_no_shows, previous_outcomes)
                else private.kpi_rate(0, 0) || jsonb_build_object('value', round(coalesce(default_rate, 0) * 100, 1)) end,
            'change_points', case when has_previous and outcomes > 0 and previous_outcomes > 0
                then round(no_shows * 100.0 / outcomes, 1) - round(previous_no_shows * 100.0 / previous_outcomes, 1) end,
            'comparable', coalesce(has_previous and outcomes >= private.kpi_min_sample()
                and previous_outcomes >= private.kpi_min_sample(), false));
$$;

comment on function private.kpi_no_show_rate(numeric, numeric, numeric, numeric, boolean, numeric) is
    'qualification.no_show_rate of a period document: no-shows / calls booked in the period with a known outcome, else the coach''s default rate (estimated = true, change_points null); comparable when both periods have at least kpi_min_sample() known outcomes. Inlinable (no SET clause, reads no table).';

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
        'best_conversion_moment', private.kpi_best_moment(cur.conversions),
        'lead_quality_by_source', private.kpi_source_quality(cur.sources),
        'speed_to_lead', private.kpi_speed(cur.speed)
    );
end;
$$;

comment on function private.kpi_section_performance(uuid, private.kpi_period, private.kpi_facts, private.kpi_facts, public.coach_settings) is
    'performance of a period document: revenue, deals and average deal of the wins dated in the period (revenue and acquisition cost comparable on the deals closed, the average on the deals with a value); setter cost over the period (monthly cost x days / 30; for all, as the legacy document: x started 30-day periods since the first lead) and whether it is estimated (the coach never gave its own: coach_settings.setter_cost_confirmed_at); acquisition cost, ROI (low_sample and not comparable below min sample deals), AI efficiency of the inbound messages of the period, time saved, best conversion moment, lead quality by source of the new leads, speed to lead of the turns of the period.';

revoke all on function private.kpi_metric(numeric, numeric, boolean, numeric, numeric) from public;

-- The stored documents lack the new key: forgotten, computed at call time meanwhile, stored again by the next pass.
delete from private.kpi_documents;
