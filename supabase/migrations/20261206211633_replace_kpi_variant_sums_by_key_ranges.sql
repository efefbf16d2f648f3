-- Purpose: private.kpi_variant_sums reads three key ranges (whole months, the days before and after them), not every day row of the coach's history (issue 22's reads bounded by the period, not the history).

set lock_timeout = '500ms';

create or replace function private.kpi_variant_sums(target_coach uuid, from_day date, to_day date)
returns table(step smallint, variant text, sent integer, replied integer, qualified integer, booked integer, won integer)
language sql
stable
security invoker
set search_path = ''
as $$
    with bounds as (
        select
            case when extract(day from from_day) = 1 then from_day
                else (date_trunc('month', from_day) + interval '1 month')::date end as months_from,
            case when extract(day from to_day + 1) = 1 then to_day + 1
                else date_trunc('month', to_day)::date end as months_to
    ),
    edges as (
        -- the day rows read: [from_day, head_end) before the first whole month, [tail_start, to_day] after the last
        -- one (no whole month inside: the head is every day and the tail is empty)
        select b.months_from, b.months_to, least(b.months_from, to_day + 1) as head_end,
            greatest(b.months_to, b.months_from) as tail_start
        from bounds as b
    ),
    picked as (
        select k.step, k.variant, k.sent, k.replied, k.qualified, k.booked, k.won
        from private.kpi_variant_facts as k, edges as e
        where k.coach_id = target_coach and k.grain = 'month' and k.day >= e.months_from and k.day < e.months_to
        union all
        select k.step, k.variant, k.sent, k.replied, k.qualified, k.booked, k.won
        from private.kpi_variant_facts as k, edges as e
        where k.coach_id = target_coach and k.grain = 'day' and k.day >= from_day and k.day < e.head_end
        union all
        select k.step, k.variant, k.sent, k.replied, k.qualified, k.booked, k.won
        from private.kpi_variant_facts as k, edges as e
        where k.coach_id = target_coach and k.grain = 'day' and k.day >= e.tail_start and k.day <= to_day
    )
    select r.step, r.variant, sum(r.sent)::integer, sum(r.replied)::integer, sum(r.qualified)::integer,
        sum(r.booked)::integer, sum(r.won)::integer
    from picked as r
    group by r.step, r.variant
    having sum(r.sent) > 0;
$$;

comment on function private.kpi_variant_sums(uuid, date, date) is
    'The coach''s variant facts over the local days from_day to to_day (inclusive), per DM step and variant (empty: none): the month rows of the whole months inside and the day rows of the other days, summed. Three key ranges of the primary key (the months, the days before them, the days after them): a period reads at most two partial months of day rows, however long the history.';

revoke execute on function private.kpi_variant_sums(uuid, date, date) from public;
