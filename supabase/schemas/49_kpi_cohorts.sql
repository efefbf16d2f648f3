-- KPI engine: the cohort facts of the leads (issue 22, get_cohorts): the upkeep's additions.

create or replace function private.kpi_add_cohort_contributions(new_rows private.lead_facts[], old_rows private.lead_facts[])
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    changed integer;
    empty_coaches uuid[];
    empty_weeks date[];
begin
    -- a lead adds one lead to the ISO week of its first contact (created_day), still open when neither won nor lost,
    -- and qualified, booked and won within 7, 14 and 30 days when qualified_at, booked_at and won_at are before
    -- created_at plus those days; new_rows add, old_rows take away (computed here, without a call per lead)
    with delta as (
        select x.coach_id, date_trunc('week', x.created_day)::date as week,
            sum(x.sign) as leads,
            coalesce(sum(x.sign) filter (where x.status not in ('won', 'lost')), 0) as still_open,
            coalesce(sum(x.sign) filter (where x.qualified_at < x.created_at + interval '7 days'), 0) as qualified_7,
            coalesce(sum(x.sign) filter (where x.qualified_at < x.created_at + interval '14 days'), 0) as qualified_14,
            coalesce(sum(x.sign) filter (where x.qualified_at < x.created_at + interval '30 days'), 0) as qualified_30,
            coalesce(sum(x.sign) filter (where x.booked_at < x.created_at + interval '7 days'), 0) as booked_7,
            coalesce(sum(x.sign) filter (where x.booked_at < x.created_at + interval '14 days'), 0) as booked_14,
            coalesce(sum(x.sign) filter (where x.booked_at < x.created_at + interval '30 days'), 0) as booked_30,
            coalesce(sum(x.sign) filter (where x.won_at < x.created_at + interval '7 days'), 0) as won_7,
            coalesce(sum(x.sign) filter (where x.won_at < x.created_at + interval '14 days'), 0) as won_14,
            coalesce(sum(x.sign) filter (where x.won_at < x.created_at + interval '30 days'), 0) as won_30
        from (
            select f.coach_id, f.created_day, f.created_at, f.status, f.qualified_at, f.booked_at, f.won_at, 1 as sign
            from unnest(new_rows) as f
            union all
            select f.coach_id, f.created_day, f.created_at, f.status, f.qualified_at, f.booked_at, f.won_at, -1
            from unnest(old_rows) as f
        ) as x
        group by 1, 2
    ),
    written as (
        insert into private.kpi_cohort_facts as k (coach_id, week, leads, still_open, qualified_7, qualified_14,
            qualified_30, booked_7, booked_14, booked_30, won_7, won_14, won_30)
        select d.coach_id, d.week, d.leads, d.still_open, d.qualified_7, d.qualified_14, d.qualified_30,
            d.booked_7, d.booked_14, d.booked_30, d.won_7, d.won_14, d.won_30
        from delta as d
        where (d.leads, d.still_open, d.qualified_7, d.qualified_14, d.qualified_30, d.booked_7, d.booked_14,
            d.booked_30, d.won_7, d.won_14, d.won_30) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        order by d.coach_id, d.week
        on conflict (coach_id, week) do update
        set leads = k.leads + excluded.leads,
            still_open = k.still_open + excluded.still_open,
            qualified_7 = k.qualified_7 + excluded.qualified_7,
            qualified_14 = k.qualified_14 + excluded.qualified_14,
            qualified_30 = k.qualified_30 + excluded.qualified_30,
            booked_7 = k.booked_7 + excluded.booked_7,
            booked_14 = k.booked_14 + excluded.booked_14,
            booked_30 = k.booked_30 + excluded.booked_30,
            won_7 = k.won_7 + excluded.won_7,
            won_14 = k.won_14 + excluded.won_14,
            won_30 = k.won_30 + excluded.won_30,
            updated_at = now()
        returning k.coach_id, k.week, k.leads = 0 as empty
    )
    select count(*), array_agg(w.coach_id) filter (where w.empty), array_agg(w.week) filter (where w.empty)
    into changed, empty_coaches, empty_weeks
    from written as w;
    -- weeks left without leads (every other count is a subset of the leads: nothing is left either)
    if empty_coaches is not null then
        delete from private.kpi_cohort_facts as k
        using unnest(empty_coaches, empty_weeks) as e (coach_id, week)
        where k.coach_id = e.coach_id and k.week = e.week and k.leads = 0;
    end if;
    return changed;
end;
$$;

comment on function private.kpi_add_cohort_contributions(private.lead_facts[], private.lead_facts[]) is
    'Adds what the leads of new_rows count in private.kpi_cohort_facts minus what those of old_rows counted: per coach and ISO week of first contact (created_day), the leads, those still open (neither won nor lost), and those qualified, booked and won within 7, 14 and 30 days (qualified_at, booked_at, won_at before created_at plus those days). Rows inserted when missing, in key order; deleted when left without leads. Returns the rows written.';

revoke execute on function private.kpi_add_cohort_contributions(private.lead_facts[], private.lead_facts[]) from public;
