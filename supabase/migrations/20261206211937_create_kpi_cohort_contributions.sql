-- Purpose: private.kpi_cohort_contributions and private.kpi_add_cohort_contributions, what a lead adds to the cohort facts and the upkeep's additions.

set lock_timeout = '500ms';

create or replace function private.kpi_cohort_contributions(f private.lead_facts)
returns table(week date, leads integer, still_open integer, qualified_7 integer, qualified_14 integer,
    qualified_30 integer, booked_7 integer, booked_14 integer, booked_30 integer, won_7 integer, won_14 integer,
    won_30 integer)
language sql
immutable
security invoker
set search_path = ''
as $$
    select date_trunc('week', f.created_day)::date, 1,
        (f.status not in ('won', 'lost'))::integer,
        coalesce(f.qualified_at < f.created_at + interval '7 days', false)::integer,
        coalesce(f.qualified_at < f.created_at + interval '14 days', false)::integer,
        coalesce(f.qualified_at < f.created_at + interval '30 days', false)::integer,
        coalesce(f.booked_at < f.created_at + interval '7 days', false)::integer,
        coalesce(f.booked_at < f.created_at + interval '14 days', false)::integer,
        coalesce(f.booked_at < f.created_at + interval '30 days', false)::integer,
        coalesce(f.won_at < f.created_at + interval '7 days', false)::integer,
        coalesce(f.won_at < f.created_at + interval '14 days', false)::integer,
        coalesce(f.won_at < f.created_at + interval '30 days', false)::integer;
$$;

comment on function private.kpi_cohort_contributions(private.lead_facts) is
    'What one lead adds to private.kpi_cohort_facts: one lead in the ISO week of its first contact (created_day), still open when neither won nor lost, and qualified, booked and won within 7, 14 and 30 days when qualified_at, booked_at and won_at are before created_at plus those days.';

revoke execute on function private.kpi_cohort_contributions(private.lead_facts) from public;

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
    with delta as (
        select x.coach_id, x.week, sum(x.leads) as leads, sum(x.still_open) as still_open,
            sum(x.qualified_7) as qualified_7, sum(x.qualified_14) as qualified_14, sum(x.qualified_30) as qualified_30,
            sum(x.booked_7) as booked_7, sum(x.booked_14) as booked_14, sum(x.booked_30) as booked_30,
            sum(x.won_7) as won_7, sum(x.won_14) as won_14, sum(x.won_30) as won_30
        from (
            select f.coach_id, c.week, c.leads, c.still_open, c.qualified_7, c.qualified_14, c.qualified_30,
                c.booked_7, c.booked_14, c.booked_30, c.won_7, c.won_14, c.won_30
            from unnest(new_rows) as f cross join lateral private.kpi_cohort_contributions(f) as c
            union all
            select f.coach_id, c.week, -c.leads, -c.still_open, -c.qualified_7, -c.qualified_14, -c.qualified_30,
                -c.booked_7, -c.booked_14, -c.booked_30, -c.won_7, -c.won_14, -c.won_30
            from unnest(old_rows) as f cross join lateral private.kpi_cohort_contributions(f) as c
        ) as x
        group by x.coach_id, x.week
        having (sum(x.leads), sum(x.still_open), sum(x.qualified_7), sum(x.qualified_14), sum(x.qualified_30),
            sum(x.booked_7), sum(x.booked_14), sum(x.booked_30), sum(x.won_7), sum(x.won_14), sum(x.won_30))
            <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    ),
    written as (
        insert into private.kpi_cohort_facts as k (coach_id, week, leads, still_open, qualified_7, qualified_14,
            qualified_30, booked_7, booked_14, booked_30, won_7, won_14, won_30)
        select d.coach_id, d.week, d.leads, d.still_open, d.qualified_7, d.qualified_14, d.qualified_30,
            d.booked_7, d.booked_14, d.booked_30, d.won_7, d.won_14, d.won_30
        from delta as d
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
    'Adds the cohort contributions of new_rows minus those of old_rows (private.kpi_cohort_contributions) to the week rows of private.kpi_cohort_facts (inserted when missing, in key order; deleted when left without leads). Returns the rows written.';

revoke execute on function private.kpi_add_cohort_contributions(private.lead_facts[], private.lead_facts[]) from public;
