-- Purpose: private.kpi_cohorts reads the 12 week rows of private.kpi_cohort_facts, not every lead of those weeks.

set lock_timeout = '500ms';

create or replace function private.kpi_cohorts(coach_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    target uuid := private.check_coach_access(kpi_cohorts.coach_id);
    tz text;
    today date;
    first_week date;
begin
    select c.timezone into tz from public.coachs as c where c.id = target;
    today := (now() at time zone tz)::date;
    first_week := date_trunc('week', today)::date - 7 * (private.kpi_cohort_weeks() - 1);
    return jsonb_build_object(
        'today', to_char(today, 'YYYY-MM-DD'),
        'timezone', tz,
        'windows', jsonb_build_array(7, 14, 30),
        'weeks', (
            select jsonb_agg(jsonb_build_object(
                    'week_start', to_char(w.week, 'YYYY-MM-DD'),
                    'week_end', to_char(w.week + 6, 'YYYY-MM-DD'),
                    'leads', coalesce(s.leads, 0),
                    'open', coalesce(s.open, 0),
                    'windows', (
                        select jsonb_object_agg(k.days::text, jsonb_build_object(
                            -- complete: every lead of the week has had its k days (the last day of the week + k <= today)
                            'complete', w.week + 6 + k.days <= today,
                            'qualified', private.kpi_rate(case k.days when 7 then s.q7 when 14 then s.q14 else s.q30 end, coalesce(s.leads, 0)),
                            'booked', private.kpi_rate(case k.days when 7 then s.b7 when 14 then s.b14 else s.b30 end, coalesce(s.leads, 0)),
                            'won', private.kpi_rate(case k.days when 7 then s.w7 when 14 then s.w14 else s.w30 end, coalesce(s.leads, 0))
                        ) order by k.days)
                        from unnest(array[7, 14, 30]) as k (days)
                    )
                ) order by w.week desc)
            from generate_series(first_week, today, interval '7 days') as g (d)
            cross join lateral (select g.d::date as week) as w
            left join (
                select k.week, k.leads, k.still_open as open, k.qualified_7 as q7, k.qualified_14 as q14,
                    k.qualified_30 as q30, k.booked_7 as b7, k.booked_14 as b14, k.booked_30 as b30, k.won_7 as w7,
                    k.won_14 as w14, k.won_30 as w30
                from private.kpi_cohort_facts as k
                where k.coach_id = target and k.week >= first_week
            ) as s on s.week = w.week
        )
    );
end;
$$;

comment on function private.kpi_cohorts(uuid) is
    'get_cohorts for a coach after the caller check: its leads by the ISO week (local days) of their first contact (created_day), the current week and the 11 before, newest first; per week the leads, those still open (neither won nor lost), and for 7, 14 and 30 days after each lead''s first contact (its created_at) the leads qualified, booked and won within them as rates over the week''s leads (private.kpi_rate: low_sample below kpi_min_sample()), with complete = every lead of the week has had those days (week end + days <= today). From the cohort facts (private.kpi_cohort_facts: one row per week) as of the last upkeep pass.';

revoke execute on function private.kpi_cohorts(uuid) from public;
