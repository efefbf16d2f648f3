-- get_response_rates: reply rates by DM for a period.

create or replace function private.kpi_response_rates(coach_id uuid, period text, period_start date, period_end date)
returns table(message_number integer, sent integer, replied integer, rate numeric, low_sample boolean, rating text)
language plpgsql
stable
security definer
set search_path = ''
set jit = off
set plan_cache_mode = force_generic_plan
as $$
declare
    target uuid := private.check_coach_access(kpi_response_rates.coach_id);
    p private.kpi_period;
    s private.kpi_facts;
begin
    if period is null and period_start is null and period_end is null then
        select k.msg1_sent, k.msg1_replied, k.msg2_sent, k.msg2_replied, k.msg3_sent, k.msg3_replied, k.msg4_sent,
            k.msg4_replied
        into s.dm1_sent, s.dm1_replied, s.dm2_sent, s.dm2_replied, s.dm3_sent, s.dm3_replied, s.dm4_sent, s.dm4_replied
        from private.dashboard_row(target) as k;
    else
        p := private.kpi_resolve_period(target, period, period_start, period_end);
        s := private.kpi_period_sums(target, nullif(p.key, 'range'), p.start_day, p.end_day);
    end if;
    return query
    select x.n, x.sent, x.replied,
        (private.kpi_rate(x.replied, x.sent) ->> 'value')::numeric,
        (private.kpi_rate(x.replied, x.sent) ->> 'low_sample')::boolean,
        private.kpi_rating((private.kpi_rate(x.replied, x.sent) ->> 'value')::numeric)
    from (values (1, s.dm1_sent, s.dm1_replied), (2, s.dm2_sent, s.dm2_replied),
                 (3, s.dm3_sent, s.dm3_replied), (4, s.dm4_sent, s.dm4_replied)) as x (n, sent, replied)
    order by x.n;
end;
$$;

comment on function private.kpi_response_rates(uuid, text, date, date) is
    'get_response_rates for a coach after the caller check: DM 1 to 4 sent and replied, all time from the materialized view without a period, else over the period (the leads whose DM N was sent in it).';

revoke execute on function private.kpi_response_rates(uuid, text, date, date) from public;
grant execute on function private.kpi_response_rates(uuid, text, date, date) to authenticated, service_role;

create or replace function public.get_response_rates(
    coach_id uuid default auth.uid(),
    period text default null,
    period_start date default null,
    period_end date default null
)
returns table (message_number integer, sent integer, replied integer, rate numeric, low_sample boolean, rating text)
language sql
stable
security invoker
set search_path = ''
begin atomic
    select * from private.kpi_response_rates(get_response_rates.coach_id, get_response_rates.period,
        get_response_rates.period_start, get_response_rates.period_end);
end;

comment on function public.get_response_rates(uuid, text, date, date) is
    'Reply rate of sequence DMs 1 to 4 for a coach (default: the caller): sent = leads that received DM N, replied = those who answered it, rate in % (null when sent = 0), low_sample when sent < 5, rating excellent >= 60, good >= 40, else to_improve. Without a period: all time, from the materialized view (up to 5 minutes old); with a period as get_dashboard''s (today, 7d, 30d, 90d, all, or range with period_start and period_end): the leads whose DM N was sent in the period. Errors as get_dashboard.';

revoke execute on function public.get_response_rates(uuid, text, date, date) from public, anon;
grant execute on function public.get_response_rates(uuid, text, date, date) to authenticated, service_role;
