-- Coaches side by side for the admin (issue 22).

create or replace function private.kpi_coach_comparison(period text, period_start date, period_end date)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
begin
    if coalesce(nullif(current_setting('role', true), ''), 'none') in ('anon', 'authenticated') and not public.is_admin() then
        raise exception 'permission denied: only an admin can compare the coaches' using errcode = '42501';
    end if;
    if period = 'range' or (period is null and (period_start is not null or period_end is not null)) then
        -- one range for every coach: checked once, here (each coach's own bounds do not apply to a comparison)
        if period_start is null or period_end is null then
            raise exception using errcode = '22023', message = 'invalid parameter "period_start": a range needs period_start and period_end';
        elsif period_start > period_end then
            raise exception using errcode = '22023', message = format('invalid parameter "period_start": %s is after period_end %s', period_start, period_end);
        elsif period_end - period_start + 1 > private.kpi_range_max_days() then
            raise exception using errcode = '22023', message = format('invalid parameter "period_start": the range has %s days, more than the maximum length of %s days',
                period_end - period_start + 1, private.kpi_range_max_days());
        end if;
    elsif period is null or period not in ('today', '7d', '30d', '90d', 'all') then
        raise exception using errcode = '22023', message = format('invalid parameter "period": "%s" is not one of today, 7d, 30d, 90d, all, range', period);
    elsif period_start is not null or period_end is not null then
        raise exception using errcode = '22023', message = format('invalid parameter "period_start": a preset period (%s) takes no dates', period);
    end if;
    return (
        select coalesce(jsonb_agg(jsonb_build_object(
                'coach_id', c.id,
                'name', c.name,
                'email', c.email,
                'currency', coalesce(st.currency, 'EUR'),
                'period', jsonb_build_object('start', to_char(p.start_day, 'YYYY-MM-DD'), 'end', to_char(p.end_day, 'YYYY-MM-DD')),
                'new_leads', s.new_leads,
                'dm1_reply_rate', private.kpi_rate(s.dm1_replied, s.dm1_sent),
                'qualification_rate', private.kpi_rate(s.cohort_qualified, s.dm1_sent),
                'calls_booked', s.calls_booked,
                'deals_won', s.deals_won,
                'revenue', s.revenue,
                'last_data_at', d.last_at,
                'seconds_since_last_data', floor(extract(epoch from now() - d.last_at))::bigint
            ) order by lower(c.name), c.id), '[]'::jsonb)
        from public.coachs as c
        join private.kpi_coach_now as n on n.coach_id = c.id and n.leads > 0
        left join public.coach_settings as st on st.coach_id = c.id
        -- a preset resolved once per coach (a function in FROM, not a field of its result: each field read would call it)
        left join lateral (
            select r.start_day, r.end_day, r.key
            from private.kpi_resolve_period(c.id, kpi_coach_comparison.period, null, null) as r
            where kpi_coach_comparison.period in ('today', '7d', '30d', '90d', 'all')
        ) as pr on true
        cross join lateral (
            select coalesce(pr.start_day, kpi_coach_comparison.period_start) as start_day,
                coalesce(pr.end_day, kpi_coach_comparison.period_end) as end_day, pr.key as key
        ) as p
        cross join lateral private.kpi_period_sums(c.id, p.key, p.start_day, p.end_day) as s
        cross join lateral (
            select greatest(
                (select m.created_at from public.messages as m where m.coach_id = c.id order by m.created_at desc limit 1),
                (select f.created_at from private.lead_facts as f where f.coach_id = c.id order by f.created_day desc, f.created_at desc limit 1)
            ) as last_at
            offset 0 -- read once per coach (last_data_at and seconds_since_last_data use it)
        ) as d
    );
end;
$$;

comment on function private.kpi_coach_comparison(text, date, date) is
    'get_coach_comparison after the caller check (admins and the service role): every coach with leads, by name, over the period (a preset in each coach''s own time zone, or one range of days for all), from the KPI facts (private.kpi_period_sums: a window row for a preset).';

revoke execute on function private.kpi_coach_comparison(text, date, date) from public;
grant execute on function private.kpi_coach_comparison(text, date, date) to authenticated, service_role;

create or replace function public.get_coach_comparison(
    period text default '30d',
    period_start date default null,
    period_end date default null
)
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select private.kpi_coach_comparison(get_coach_comparison.period, get_coach_comparison.period_start,
        get_coach_comparison.period_end);
end;

comment on function public.get_coach_comparison(text, date, date) is
    'Coaches side by side (admins and the service role): for a period (default 30d; today, 7d, 30d, 90d, all in each coach''s time zone, or range with period_start and period_end, the same days for all), every coach with leads, by name: [{coach_id, name, email, currency, period: {start, end}, new_leads, dm1_reply_rate (Rate over the leads whose DM 1 was sent in the period), qualification_rate (Rate: of those, qualified since), calls_booked, deals_won, revenue, last_data_at (latest message or lead), seconds_since_last_data}]. Errors: 42501 any other caller, 22023 a bad period.';

revoke execute on function public.get_coach_comparison(text, date, date) from public, anon;
grant execute on function public.get_coach_comparison(text, date, date) to authenticated, service_role;
