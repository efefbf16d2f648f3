-- KPI engine: opening-message variants (issue 22): their facts, the Wilson interval and the verdict.

create or replace function private.kpi_variant_contributions(f private.lead_facts)
returns table(day date, step smallint, variant text, sent integer, replied integer, qualified integer, booked integer, won integer)
language sql
immutable
security invoker
set search_path = ''
as $$
    select x.day, x.step, coalesce(x.variant, ''), 1,
        x.replied::integer, (f.qualified_at is not null)::integer, (f.booked_at is not null)::integer,
        (f.won_at is not null)::integer
    from (values
        (f.dm1_day, 1::smallint, f.dm1_variant, f.dm1_replied),
        (f.dm2_day, 2::smallint, f.dm2_variant, f.dm2_replied),
        (f.dm3_day, 3::smallint, f.dm3_variant, f.dm3_replied),
        (f.dm4_day, 4::smallint, f.dm4_variant, f.dm4_replied)
    ) as x (day, step, variant, replied)
    where x.day is not null;
$$;

comment on function private.kpi_variant_contributions(private.lead_facts) is
    'What one lead adds to private.kpi_variant_facts: for each DM step N it received, on the local day of DM N and under DM N''s own variant (empty: none), one send, whether it replied to DM N, and whether it reached qualified, call_booked and won since. The lead''s variant is its DM 1''s: step 1''s downstream counts are those of the lead''s variant.';

revoke execute on function private.kpi_variant_contributions(private.lead_facts) from public;

create or replace function private.kpi_add_variant_contributions(new_rows private.lead_facts[], old_rows private.lead_facts[])
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    changed integer;
    empty_coaches uuid[];
    empty_grains text[];
    empty_days date[];
    empty_steps smallint[];
    empty_variants text[];
begin
    with delta as (
        select t.coach_id, t.grain, t.day, t.step, t.variant,
            sum(t.sent) as sent, sum(t.replied) as replied, sum(t.qualified) as qualified, sum(t.booked) as booked,
            sum(t.won) as won
        from (
            select x.coach_id, g.grain, g.day, x.step, x.variant, x.sent, x.replied, x.qualified, x.booked, x.won
            from (
                select f.coach_id, c.day, c.step, c.variant, c.sent, c.replied, c.qualified, c.booked, c.won
                from unnest(new_rows) as f cross join lateral private.kpi_variant_contributions(f) as c
                union all
                select f.coach_id, c.day, c.step, c.variant, -c.sent, -c.replied, -c.qualified, -c.booked, -c.won
                from unnest(old_rows) as f cross join lateral private.kpi_variant_contributions(f) as c
            ) as x
            cross join lateral (values ('day', x.day), ('month', date_trunc('month', x.day)::date)) as g (grain, day)
        ) as t
        group by 1, 2, 3, 4, 5
        having (sum(t.sent), sum(t.replied), sum(t.qualified), sum(t.booked), sum(t.won)) <> (0, 0, 0, 0, 0)
    ),
    written as (
        insert into private.kpi_variant_facts as k (coach_id, grain, day, step, variant, sent, replied, qualified,
            booked, won)
        select d.coach_id, d.grain, d.day, d.step, d.variant, d.sent, d.replied, d.qualified, d.booked, d.won
        from delta as d
        order by d.coach_id, d.grain, d.day, d.step, d.variant
        on conflict (coach_id, grain, day, step, variant) do update
        set sent = k.sent + excluded.sent,
            replied = k.replied + excluded.replied,
            qualified = k.qualified + excluded.qualified,
            booked = k.booked + excluded.booked,
            won = k.won + excluded.won,
            updated_at = now()
        returning k.coach_id, k.grain, k.day, k.step, k.variant,
            (k.sent, k.replied, k.qualified, k.booked, k.won) = (0, 0, 0, 0, 0) as empty
    )
    select count(*), array_agg(w.coach_id) filter (where w.empty), array_agg(w.grain) filter (where w.empty),
        array_agg(w.day) filter (where w.empty), array_agg(w.step) filter (where w.empty),
        array_agg(w.variant) filter (where w.empty)
    into changed, empty_coaches, empty_grains, empty_days, empty_steps, empty_variants
    from written as w;
    -- rows left with nothing
    if empty_coaches is not null then
        delete from private.kpi_variant_facts as k
        using unnest(empty_coaches, empty_grains, empty_days, empty_steps, empty_variants) as e (coach_id, grain, day, step, variant)
        where k.coach_id = e.coach_id and k.grain = e.grain and k.day = e.day and k.step = e.step
            and k.variant = e.variant;
    end if;
    return changed;
end;
$$;

comment on function private.kpi_add_variant_contributions(private.lead_facts[], private.lead_facts[]) is
    'Adds the variant contributions of new_rows minus those of old_rows (private.kpi_variant_contributions) to the day and month rows of private.kpi_variant_facts (inserted when missing, in key order; deleted when left with nothing). Returns the rows written.';

revoke execute on function private.kpi_add_variant_contributions(private.lead_facts[], private.lead_facts[]) from public;

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

create or replace function private.kpi_variant_min_sent()
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
    select 100;
$$;

comment on function private.kpi_variant_min_sent() is
    'The minimum sample of a variant verdict: every variant compared needs at least 100 sends in the period, else "not_enough_data".';

revoke execute on function private.kpi_variant_min_sent() from public;

create or replace function private.kpi_variant_threshold()
returns numeric
language sql
immutable
security invoker
set search_path = ''
as $$
    select 95::numeric;
$$;

comment on function private.kpi_variant_threshold() is
    'The probability (in %) above which a variant verdict says "better": 95.';

revoke execute on function private.kpi_variant_threshold() from public;

create or replace function private.kpi_normal_cdf(x double precision)
returns double precision
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    -- Abramowitz and Stegun 26.2.17 (absolute error below 7.5e-8)
    t double precision := 1 / (1 + 0.2316419 * abs(x));
    q double precision := exp(-x * x / 2) / sqrt(2 * pi())
        * t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
begin
    return case when x >= 0 then 1 - q else q end;
end;
$$;

comment on function private.kpi_normal_cdf(double precision) is
    'The standard normal distribution function (Abramowitz and Stegun 26.2.17, absolute error below 7.5e-8).';

revoke execute on function private.kpi_normal_cdf(double precision) from public;

create or replace function private.kpi_wilson(num integer, den integer, out ci_low numeric, out ci_high numeric)
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    z constant double precision := 1.959964;
    c double precision;
    h double precision;
begin
    -- 95 % Wilson score interval; in % with 1 decimal; nulls without a send
    if den is null or den <= 0 then
        return;
    end if;
    c := (num + z * z / 2) / (den + z * z);
    h := z * sqrt(num::double precision * (den - num) / den + z * z / 4) / (den + z * z);
    ci_low := round((100 * (c - h))::numeric, 1);
    ci_high := round((100 * (c + h))::numeric, 1);
end;
$$;

comment on function private.kpi_wilson(integer, integer) is
    'The 95 % Wilson score interval of num successes out of den (z = 1.959964), in % with 1 decimal: center (num + z²/2) / (den + z²), half-width z √(num (den − num) / den + z²/4) / (den + z²). Nulls when den is 0.';

revoke execute on function private.kpi_wilson(integer, integer) from public;

create or replace function private.kpi_variant_verdict(variants jsonb)
returns jsonb
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    names text[];
    sent integer[];
    means double precision[];
    best integer;
    probability double precision := 1;
    status text;
begin
    -- the named variants when there are two or more, else every group (a variant against the DMs without one); the
    -- best (highest posterior mean (replied + 1) / (sent + 2)) first
    select array_agg(x.variant order by x.m desc, x.sent desc, x.variant nulls last),
        array_agg(x.sent order by x.m desc, x.sent desc, x.variant nulls last),
        array_agg(x.m order by x.m desc, x.sent desc, x.variant nulls last)
    into names, sent, means
    from (
        select e.variant, e.sent, (e.replied + 1.0)::double precision / (e.sent + 2) as m,
            count(e.variant) over () as named
        from jsonb_to_recordset(variants) as e (variant text, sent integer, replied integer)
        where e.sent > 0
    ) as x
    where x.variant is not null or x.named < 2;

    if coalesce(cardinality(names), 0) < 2
        or (select min(n) from unnest(sent) as n) < private.kpi_variant_min_sent() then
        status := 'not_enough_data';
    else
        best := 1;
        -- P(best beats every other), Bonferroni: 1 - sum of P(the other is better)
        for i in 2..cardinality(names) loop
            probability := probability - (1 - private.kpi_normal_cdf((means[best] - means[i]) / sqrt(
                means[best] * (1 - means[best]) / (sent[best] + 3) + means[i] * (1 - means[i]) / (sent[i] + 3))));
        end loop;
        probability := greatest(probability, 0) * 100;
        status := case when probability >= private.kpi_variant_threshold() then 'better' else 'too_close' end;
    end if;
    return jsonb_build_object(
        'status', status,
        'best', case when status = 'better' then names[best] end,
        -- never "certain": at most 99.9 %
        'probability', case when status = 'better' then least(round(probability::numeric, 1), 99.9) end,
        'min_sent', private.kpi_variant_min_sent(),
        'threshold', private.kpi_variant_threshold()
    );
end;
$$;

comment on function private.kpi_variant_verdict(jsonb) is
    'The verdict of one DM step from its variants [{variant, sent, replied}]: not_enough_data when fewer than two groups are compared (the named variants when there are two or more, else every group, "sans variante" included) or one of them has fewer than private.kpi_variant_min_sent() sends; else the best is the highest posterior mean (replied + 1) / (sent + 2) (Beta(1, 1) prior), its probability to beat every other one is 1 − Σ P(other > best), each P from the normal approximation of the two Beta posteriors; better (with best and probability in %, 1 decimal, at most 99.9) when that is at least private.kpi_variant_threshold(), else too_close. min_sent and threshold are the rule''s numbers.';

revoke execute on function private.kpi_variant_verdict(jsonb) from public;

create or replace function private.kpi_variant_step(step integer, sums jsonb)
returns jsonb
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    list jsonb;
begin
    select coalesce(jsonb_agg(jsonb_build_object(
            'variant', nullif(e.variant, ''),
            'sent', e.sent,
            'replied', e.replied,
            'rate', round(e.replied * 100.0 / e.sent, 1),
            'ci_low', w.ci_low,
            'ci_high', w.ci_high,
            'low_sample', e.sent < private.kpi_min_sample(),
            'qualified', e.qualified,
            'booked', e.booked,
            'won', e.won
        ) order by e.sent desc, nullif(e.variant, '') nulls last), '[]'::jsonb)
    into list
    from jsonb_to_recordset(sums) as e (step integer, variant text, sent integer, replied integer,
        qualified integer, booked integer, won integer)
    cross join lateral private.kpi_wilson(e.replied, e.sent) as w
    where e.step = kpi_variant_step.step and e.sent > 0;
    return jsonb_build_object('step', step, 'variants', list, 'verdict', private.kpi_variant_verdict(list));
end;
$$;

comment on function private.kpi_variant_step(integer, jsonb) is
    'One DM step of the variant report from the period''s sums [{step, variant, sent, replied, qualified, booked, won}]: {step, variants: [{variant (null: sans variante), sent, replied, rate (replied / sent in % with 1 decimal), ci_low, ci_high (private.kpi_wilson), low_sample (sent < private.kpi_min_sample()), qualified, booked, won}] most sent first, verdict (private.kpi_variant_verdict)}.';

revoke execute on function private.kpi_variant_step(integer, jsonb) from public;

create or replace function private.kpi_variant_report(coach_id uuid, period text, period_start date, period_end date)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
declare
    target uuid := private.check_coach_access(kpi_variant_report.coach_id);
    p private.kpi_period := private.kpi_resolve_period(target, period, period_start, period_end);
    sums jsonb;
begin
    select coalesce(jsonb_agg(to_jsonb(s)), '[]'::jsonb) into sums
    from private.kpi_variant_sums(target, p.start_day, p.end_day) as s;
    return (select jsonb_agg(private.kpi_variant_step(g.step, sums) order by g.step) from generate_series(1, 4) as g (step));
end;
$$;

comment on function private.kpi_variant_report(uuid, text, date, date) is
    'get_variant_report for a coach after the caller check (private.check_coach_access) and the period''s resolution (private.kpi_resolve_period, its errors): one entry per DM step 1 to 4 (private.kpi_variant_step) over the leads whose DM N was sent in the period.';

revoke execute on function private.kpi_variant_report(uuid, text, date, date) from public;
grant execute on function private.kpi_variant_report(uuid, text, date, date) to authenticated, service_role;
