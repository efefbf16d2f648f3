-- Purpose: the sections of the period dashboard (PeriodDashboard of web/src/dashboard-types.ts), one small function each, from the summed facts of the period and of the previous period.

set local lock_timeout = '3s';
set local statement_timeout = '30s';

-- Each section takes the period's sums (cur) and the previous period's (prev, null for "all"; has_previous says
-- which) as private.kpi_facts values (private.kpi_period_sums). The meaning of every KPI for a period is its
-- "period" text in private.kpi_period_definitions (get_kpi_definitions()) and docs/kpis.md. Sections are PL/pgSQL
-- so their plans are cached per session; the helpers they call are inlined.

-- Top items of a labelled map ({"<prefix><label>": n}): {label, lead_count, percentage of total (or of the sum of
-- the prefix's entries when total is null), previous_count}, most first, ties by label.
create or replace function private.kpi_ranked(
    cur jsonb,
    prev jsonb,
    has_previous boolean,
    prefix text,
    top integer,
    total numeric
)
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

-- The reply rate of DM n of a period (reply_rates[] of PeriodDashboard). Inlinable: no SET clause, no table.
create or replace function private.kpi_reply_rate(
    message_number integer,
    replied numeric,
    sent numeric,
    previous_replied numeric,
    previous_sent numeric,
    has_previous boolean
)
returns jsonb
language sql
stable
security invoker
as $$
    select jsonb_build_object(
        'message_number', message_number,
        'rate', private.kpi_period_rate(replied, sent, previous_replied, previous_sent, has_previous),
        'rating', private.kpi_rating(case when sent > 0 then round(coalesce(replied, 0) * 100.0 / sent, 1) end)
    );
$$;

comment on function private.kpi_reply_rate(integer, numeric, numeric, numeric, numeric, boolean) is
    'One entry of reply_rates of a period document: {message_number, rate: PeriodRate replied / sent, rating of the rate}. Inlinable (no SET clause, reads no table).';

-- No-show rate of a period: from the known call outcomes, else the coach's default rate flagged estimated (its
-- change is then null). Inlinable: no SET clause, no table.
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
                then round(no_shows * 100.0 / outcomes, 1) - round(previous_no_shows * 100.0 / previous_outcomes, 1) end);
$$;

comment on function private.kpi_no_show_rate(numeric, numeric, numeric, numeric, boolean, numeric) is
    'qualification.no_show_rate of a period document: no-shows / calls booked in the period with a known outcome, else the coach''s default rate (estimated = true, change_points null). Inlinable (no SET clause, reads no table).';

revoke all on function private.kpi_ranked(jsonb, jsonb, boolean, text, integer, numeric) from public;
revoke all on function private.kpi_reply_rate(integer, numeric, numeric, numeric, numeric, boolean) from public;
revoke all on function private.kpi_no_show_rate(numeric, numeric, numeric, numeric, boolean, numeric) from public;

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
            round(prev.cohort_messages::numeric / nullif(prev.new_leads, 0), 1), has_previous),
        'top_sources', private.kpi_ranked(cur.sources, prev.sources, has_previous, 'leads:', 3, cur.new_leads),
        'avg_time_to_action_minutes', private.kpi_metric(round(cur.tta_sum::numeric / nullif(cur.tta_count, 0)),
            round(prev.tta_sum::numeric / nullif(prev.tta_count, 0)), has_previous)
    );
end;
$$;

comment on function private.kpi_section_activity(private.kpi_facts, private.kpi_facts, boolean) is
    'activity of a period document: new leads, messages sent and received, average messages per new lead, top 3 sources of the new leads, average time to action of the new leads.';

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

create or replace function private.kpi_section_qualification(
    cur private.kpi_facts,
    prev private.kpi_facts,
    has_previous boolean,
    default_no_show_rate numeric
)
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
            round(prev.age_sum::numeric / nullif(prev.age_count, 0), 1), has_previous),
        'top_professions', private.kpi_ranked(cur.professions, prev.professions, has_previous, '', 5, null)
    );
end;
$$;

comment on function private.kpi_section_demographics(private.kpi_facts, private.kpi_facts, boolean) is
    'demographics of a period document, over the leads created in the period: gender shares of the known genders, unknown genders, average known age, top 5 professions.';

revoke all on function private.kpi_section_activity(private.kpi_facts, private.kpi_facts, boolean) from public;
revoke all on function private.kpi_section_reply_rates(private.kpi_facts, private.kpi_facts, boolean) from public;
revoke all on function private.kpi_section_qualification(private.kpi_facts, private.kpi_facts, boolean, numeric) from public;
revoke all on function private.kpi_section_demographics(private.kpi_facts, private.kpi_facts, boolean) from public;
