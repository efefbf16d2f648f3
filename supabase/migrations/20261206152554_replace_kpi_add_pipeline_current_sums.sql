-- Purpose: the upkeep keeps the new current-status sums of private.kpi_coach_now (revenue of the leads now won, in total and by source, lost reasons of the leads now lost, call outcomes) with the pipeline counts, from the same differences of lead facts.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- Adds (what new_rows count now) - (what old_rows counted) to the current pipeline of their coaches: the leads by
-- status, and by current status the revenue and deals with a value of the won leads (in total and by source), the
-- lost leads by reason, the known call outcomes and no-shows.
create or replace function private.kpi_add_pipeline(new_rows private.lead_facts[], old_rows private.lead_facts[])
returns integer
language sql
volatile
security invoker
set search_path = ''
as $$
    with x as (
        select f.coach_id, f.status, f.source, f.deal_value, f.lost_reason, f.call_showed, 1 as sign
        from unnest(new_rows) as f
        union all
        select f.coach_id, f.status, f.source, f.deal_value, f.lost_reason, f.call_showed, -1
        from unnest(old_rows) as f
    ),
    by_source as (
        select s.coach_id, jsonb_object_agg(s.source, s.amount) as amounts
        from (
            select x.coach_id, x.source, sum(x.sign * x.deal_value) as amount
            from x
            where x.status = 'won' and x.source is not null and x.deal_value is not null
            group by 1, 2
            having sum(x.sign * x.deal_value) <> 0
        ) as s
        group by s.coach_id
    ),
    by_reason as (
        select r.coach_id, jsonb_object_agg(r.lost_reason, r.n) as counts
        from (
            select x.coach_id, x.lost_reason, sum(x.sign) as n
            from x
            where x.status = 'lost' and x.lost_reason is not null
            group by 1, 2
            having sum(x.sign) <> 0
        ) as r
        group by r.coach_id
    ),
    changes as (
        insert into private.kpi_coach_now as k (coach_id, leads, new_leads, engaged_leads, qualified_leads,
            call_proposed_leads, call_booked_leads, won_leads, lost_leads, relance_leads, won_revenue, won_valued,
            won_revenue_by_source, lost_reasons, call_outcomes, no_shows)
        select x.coach_id, sum(x.sign),
            coalesce(sum(x.sign) filter (where x.status = 'new'), 0),
            coalesce(sum(x.sign) filter (where x.status = 'engaged'), 0),
            coalesce(sum(x.sign) filter (where x.status = 'qualified'), 0),
            coalesce(sum(x.sign) filter (where x.status = 'call_proposed'), 0),
            coalesce(sum(x.sign) filter (where x.status = 'call_booked'), 0),
            coalesce(sum(x.sign) filter (where x.status = 'won'), 0),
            coalesce(sum(x.sign) filter (where x.status = 'lost'), 0),
            coalesce(sum(x.sign) filter (where x.status = 'relance'), 0),
            coalesce(sum(x.sign * x.deal_value) filter (where x.status = 'won'), 0),
            coalesce(sum(x.sign) filter (where x.status = 'won' and x.deal_value is not null), 0),
            coalesce(min(s.amounts::text)::jsonb, '{}'::jsonb),
            coalesce(min(r.counts::text)::jsonb, '{}'::jsonb),
            coalesce(sum(x.sign) filter (where x.call_showed is not null), 0),
            coalesce(sum(x.sign) filter (where not x.call_showed), 0)
        from x
        left join by_source as s on s.coach_id = x.coach_id
        left join by_reason as r on r.coach_id = x.coach_id
        group by x.coach_id
        order by x.coach_id
        on conflict (coach_id) do update
        set leads = k.leads + excluded.leads,
            new_leads = k.new_leads + excluded.new_leads,
            engaged_leads = k.engaged_leads + excluded.engaged_leads,
            qualified_leads = k.qualified_leads + excluded.qualified_leads,
            call_proposed_leads = k.call_proposed_leads + excluded.call_proposed_leads,
            call_booked_leads = k.call_booked_leads + excluded.call_booked_leads,
            won_leads = k.won_leads + excluded.won_leads,
            lost_leads = k.lost_leads + excluded.lost_leads,
            relance_leads = k.relance_leads + excluded.relance_leads,
            won_revenue = k.won_revenue + excluded.won_revenue,
            won_valued = k.won_valued + excluded.won_valued,
            won_revenue_by_source = private.kpi_jsonb_add(k.won_revenue_by_source, excluded.won_revenue_by_source),
            lost_reasons = private.kpi_jsonb_add(k.lost_reasons, excluded.lost_reasons),
            call_outcomes = k.call_outcomes + excluded.call_outcomes,
            no_shows = k.no_shows + excluded.no_shows,
            updated_at = now()
        where (excluded.leads, excluded.new_leads, excluded.engaged_leads, excluded.qualified_leads,
               excluded.call_proposed_leads, excluded.call_booked_leads, excluded.won_leads, excluded.lost_leads,
               excluded.relance_leads, excluded.won_valued, excluded.call_outcomes, excluded.no_shows)
                <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            or excluded.won_revenue <> 0 or excluded.won_revenue_by_source <> '{}'::jsonb
            or excluded.lost_reasons <> '{}'::jsonb
        returning 1
    )
    select count(*)::integer from changes;
$$;

comment on function private.kpi_add_pipeline(private.lead_facts[], private.lead_facts[]) is
    'Adds what new_rows count now minus what old_rows counted to private.kpi_coach_now: leads by current status, and by current status the revenue and deals with a value of the won leads (total and by source), the lost leads by reason, the known call outcomes and no-shows. Returns the coaches changed.';
