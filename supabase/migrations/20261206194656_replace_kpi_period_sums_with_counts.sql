-- Purpose: a window or range of private.kpi_facts sums the counts map too (revenue_setter, revenue_coach, revenue_stripe have no typed column: the windows lost them and counted only what the upkeep added later).

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_period_sums(uuid, text, date, date), as supabase/schemas/43_kpi_period.sql defines it
create or replace function private.kpi_period_sums(target_coach uuid, window_grain text, from_day date, to_day date)
returns private.kpi_facts
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    months_from date := case when extract(day from from_day) = 1 then from_day
        else (date_trunc('month', from_day) + interval '1 month')::date end;
    months_to date := case when extract(day from to_day + 1) = 1 then to_day + 1
        else date_trunc('month', to_day)::date end;
    result private.kpi_facts;
begin
    select k.* into result
    from private.kpi_facts as k
    where k.coach_id = target_coach and k.grain = window_grain and k.end_day = to_day
        and (k.day = from_day or window_grain = 'all');
    if found then
        return result;
    end if;
    with r as materialized (
        select k.*
        from private.kpi_facts as k
        where k.coach_id = target_coach
            and ((k.grain = 'day' and k.day between from_day and to_day and (k.day < months_from or k.day >= months_to))
                or (k.grain = 'month' and k.day >= months_from and k.day < months_to))
    )
    select target_coach, 'range', from_day, to_day,
        private.kpi_jsonb_sum(array(select r.counts from r)),
        private.kpi_jsonb_sum(array(select r.sources from r)),
        private.kpi_jsonb_sum(array(select r.professions from r)),
        private.kpi_jsonb_sum(array(select r.lost_reasons from r)),
        private.kpi_jsonb_sum(array(select r.conversions from r)),
        private.kpi_jsonb_sum(array(select r.speed from r)),
        now(),
        coalesce(sum(r.new_leads), 0), coalesce(sum(r.cohort_messages), 0), coalesce(sum(r.tta_sum), 0),
        coalesce(sum(r.tta_count), 0), coalesce(sum(r.emails), 0), coalesce(sum(r.men), 0), coalesce(sum(r.women), 0),
        coalesce(sum(r.other_gender), 0), coalesce(sum(r.unknown_gender), 0), coalesce(sum(r.age_sum), 0),
        coalesce(sum(r.age_count), 0), coalesce(sum(r.messages_sent), 0), coalesce(sum(r.messages_received), 0),
        coalesce(sum(r.inbound_answered), 0),
        coalesce(sum(r.dm1_sent), 0), coalesce(sum(r.dm1_replied), 0), coalesce(sum(r.dm2_sent), 0),
        coalesce(sum(r.dm2_replied), 0), coalesce(sum(r.dm3_sent), 0), coalesce(sum(r.dm3_replied), 0),
        coalesce(sum(r.dm4_sent), 0), coalesce(sum(r.dm4_replied), 0),
        coalesce(sum(r.cohort_qualified), 0), coalesce(sum(r.cohort_proposed), 0), coalesce(sum(r.cohort_booked), 0),
        coalesce(sum(r.cohort_won), 0), coalesce(sum(r.cohort_lost), 0),
        coalesce(sum(r.qualified), 0), coalesce(sum(r.calls_proposed), 0), coalesce(sum(r.calls_booked), 0),
        coalesce(sum(r.deals_won), 0), coalesce(sum(r.revenue), 0), coalesce(sum(r.won_valued), 0),
        coalesce(sum(r.lost), 0), coalesce(sum(r.lead_magnets), 0), coalesce(sum(r.call_outcomes), 0),
        coalesce(sum(r.no_shows), 0)
    into result
    from r;
    return result;
end;
$$;

comment on function private.kpi_period_sums(uuid, text, date, date) is
    'The coach''s facts over the local days from_day to to_day (inclusive) as a private.kpi_facts value: the window row window_grain when it holds exactly that range (all: any start), else each typed column summed and each map merged (counts too: the metrics without a typed column, such as revenue_setter) over the month rows of the whole months inside and the day rows of the other days.';


-- function private.kpi_refresh_windows(uuid), as supabase/schemas/46_kpi_documents.sql defines it
create or replace function private.kpi_refresh_windows(target_coach uuid)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    today date := (select (now() at time zone c.timezone)::date from public.coachs as c where c.id = target_coach);
    written integer;
begin
    delete from private.kpi_facts as k where k.coach_id = target_coach and k.grain not in ('day', 'week', 'month');
    insert into private.kpi_facts (coach_id, grain, day, end_day, counts, sources, professions, lost_reasons,
        conversions, speed)
    select target_coach, w.grain, w.from_day, w.to_day, s.counts, s.sources, s.professions, s.lost_reasons,
        s.conversions, s.speed
    from (values
        ('today', today, today), ('7d', today - 6, today), ('30d', today - 29, today), ('90d', today - 89, today),
        ('all', date '0001-01-01', today), ('previous_today', today - 1, today - 1),
        ('previous_7d', today - 13, today - 7), ('previous_30d', today - 59, today - 30),
        ('previous_90d', today - 179, today - 90)
    ) as w (grain, from_day, to_day)
    cross join lateral private.kpi_period_sums(target_coach, null, w.from_day, w.to_day) as s;
    get diagnostics written = row_count;
    return written;
end;
$$;

comment on function private.kpi_refresh_windows(uuid) is
    'Recomputes the window rows of private.kpi_facts of a coach (today, 7d, 30d, 90d, all and previous_today, previous_7d, previous_30d, previous_90d) for its current local day from its day and month rows. Run by the upkeep when a coach''s day changes and after a rebuild.';
