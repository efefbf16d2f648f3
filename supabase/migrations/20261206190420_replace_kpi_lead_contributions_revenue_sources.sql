-- Purpose: what a won lead adds to its day's revenue is also counted by who gave the value (revenue_stripe, revenue_coach, revenue_setter), so a period document says where its revenue comes from.

set lock_timeout = '500ms';

create or replace function private.kpi_lead_contributions(f private.lead_facts)
returns table(day date, metric text, n numeric)
language sql
stable
security invoker
as $$
    select x.day, x.metric, x.n
    from (values
        (f.created_day, 'new_leads', 1::numeric),
        (f.created_day, 'cohort_messages', f.total_messages),
        (f.created_day, 'tta_sum', f.time_to_action_minutes),
        (f.created_day, 'tta_count', case when f.time_to_action_minutes is not null then 1 end),
        (f.created_day, 'emails', case when f.has_email then 1 end),
        (f.created_day, case f.gender when 'male' then 'men' when 'female' then 'women'
            when 'other' then 'other_gender' else 'unknown_gender' end, 1),
        (f.created_day, 'age_sum', f.age),
        (f.created_day, 'age_count', case when f.age is not null then 1 end),
        (f.created_day, 'sources.leads:' || f.source, 1),
        (f.created_day, 'sources.qualified:' || f.source, case when f.qualified_at is not null then 1 end),
        (f.created_day, 'sources.booked:' || f.source, case when f.booked_at is not null then 1 end),
        (f.created_day, 'sources.won:' || f.source, case when f.won_at is not null then 1 end),
        (f.created_day, 'sources.revenue:' || f.source, case when f.won_at is not null then f.deal_value end),
        (f.created_day, 'professions.' || f.profession, 1),
        (f.dm1_day, 'dm1_sent', 1), (f.dm1_day, 'dm1_replied', case when f.dm1_replied then 1 end),
        (f.dm2_day, 'dm2_sent', 1), (f.dm2_day, 'dm2_replied', case when f.dm2_replied then 1 end),
        (f.dm3_day, 'dm3_sent', 1), (f.dm3_day, 'dm3_replied', case when f.dm3_replied then 1 end),
        (f.dm4_day, 'dm4_sent', 1), (f.dm4_day, 'dm4_replied', case when f.dm4_replied then 1 end),
        (f.dm1_day, 'cohort_qualified', case when f.qualified_at is not null then 1 end),
        (f.dm1_day, 'cohort_proposed', case when f.proposed_at is not null then 1 end),
        (f.dm1_day, 'cohort_booked', case when f.booked_at is not null then 1 end),
        (f.dm1_day, 'cohort_won', case when f.won_at is not null then 1 end),
        (f.dm1_day, 'cohort_lost', case when f.lost_at is not null then 1 end),
        (f.qualified_day, 'qualified', 1),
        (f.proposed_day, 'calls_proposed', 1),
        (f.booked_day, 'calls_booked', 1),
        (f.booked_day, 'call_outcomes', case when f.call_showed is not null then 1 end),
        (f.booked_day, 'no_shows', case when not f.call_showed then 1 end),
        (f.won_day, 'deals_won', 1),
        (f.won_day, 'revenue', f.deal_value),
        (f.won_day, 'revenue_' || coalesce(f.deal_value_source, 'setter'), f.deal_value),
        (f.won_day, 'won_valued', case when f.deal_value is not null then 1 end),
        (f.lost_day, 'lost', 1),
        (f.lost_day, 'lost_reasons.' || f.lost_reason, 1),
        (f.lead_magnet_day, 'lead_magnets', 1),
        (f.conversion_booked_day, 'conversions.' || f.conversion_booked_slot, 1),
        (f.won_day, 'conversions.' || f.conversion_won_slot, 1)
    ) as x (day, metric, n)
    where x.day is not null and x.metric is not null and x.n is not null and x.n <> 0
    union all
    select a.key::date, v.metric, v.n
    from jsonb_each(f.activity) as a
    cross join lateral (values
        ('messages_sent', (a.value ->> 0)::numeric),
        ('messages_received', (a.value ->> 1)::numeric),
        ('inbound_answered', (a.value ->> 2)::numeric)
    ) as v (metric, n)
    where v.n <> 0
    union all
    select t.key::date, 'speed.' || b.key, b.value::numeric
    from jsonb_each(f.turns) as t
    cross join lateral jsonb_each_text(t.value) as b;
$$;

