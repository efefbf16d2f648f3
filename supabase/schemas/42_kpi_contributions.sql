-- KPI engine: what a lead's facts add to its coach's daily sums, applied as differences.

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

comment on function private.kpi_lead_contributions(private.lead_facts) is
    'What one lead adds to private.kpi_facts: (local day, metric, n) rows. The one definition of every additive KPI fact (docs/kpis.md gives each KPI''s meaning for a period). Inlinable (no SET clause, reads no table).';

revoke execute on function private.kpi_lead_contributions(private.lead_facts) from public;

create or replace function private.kpi_add_contributions(new_rows private.lead_facts[], old_rows private.lead_facts[])
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    changed integer;
    cells_json jsonb;
begin
    -- the cells first, on their own: read back below with a sane estimate (the inlined contributions are estimated at
    -- thousands of rows a lead, which made the window rows' update hash every coach's kpi_facts row)
    select coalesce(jsonb_agg(jsonb_build_object('coach_id', x.coach_id, 'day', x.day, 'metric', x.metric, 'n', x.n)),
            '[]'::jsonb)
    into cells_json
    from (
        select x.coach_id, x.day, x.metric, sum(x.n) as n
        from (
            select f.coach_id, c.day, c.metric, c.n
            from unnest(new_rows) as f cross join lateral private.kpi_lead_contributions(f) as c
            union all
            select f.coach_id, c.day, c.metric, -c.n
            from unnest(old_rows) as f cross join lateral private.kpi_lead_contributions(f) as c
        ) as x
        group by 1, 2, 3
        having sum(x.n) <> 0
    ) as x;
    if cells_json = '[]'::jsonb then
        return 0;
    end if;
    with cells as (
        select c.coach_id, c.day, c.metric, c.n
        from jsonb_to_recordset(cells_json) as c (coach_id uuid, day date, metric text, n numeric)
    ),
    coach_windows as materialized (
        -- the current windows of the coaches concerned (9 rows each), joined to the cells by range below
        select w.coach_id, w.grain, w.day, w.end_day
        from private.kpi_facts as w
        where w.coach_id in (select distinct c.coach_id from cells as c)
            and w.grain in ('today', '7d', '30d', '90d', 'all', 'previous_today', 'previous_7d', 'previous_30d', 'previous_90d')
    ),
    targets as (
        select c.coach_id, 'day' as grain, c.day, c.day as end_day, c.metric, c.n from cells as c
        union all
        select c.coach_id, 'week', date_trunc('week', c.day)::date, date_trunc('week', c.day)::date + 6, c.metric, c.n
        from cells as c
        union all
        select c.coach_id, 'month', date_trunc('month', c.day)::date,
            (date_trunc('month', c.day) + interval '1 month - 1 day')::date, c.metric, c.n
        from cells as c
        union all
        select w.coach_id, w.grain, w.day, w.end_day, c.metric, c.n
        from cells as c
        join coach_windows as w on w.coach_id = c.coach_id and c.day between w.day and w.end_day
    ),
    delta as (
        select t.coach_id, t.grain, t.day, t.end_day, t.metric, split_part(t.metric, '.', 1) as map,
            substr(t.metric, strpos(t.metric, '.') + 1) as key, sum(t.n) as n
        from targets as t
        group by 1, 2, 3, 4, 5
        having sum(t.n) <> 0
    ),
    rows as (
        select d.coach_id, d.grain, d.day, d.end_day,
            coalesce(jsonb_object_agg(d.metric, d.n) filter (where strpos(d.metric, '.') = 0), '{}'::jsonb) as counts,
            coalesce(jsonb_object_agg(d.key, d.n) filter (where d.map = 'sources'), '{}'::jsonb) as sources,
            coalesce(jsonb_object_agg(d.key, d.n) filter (where d.map = 'professions'), '{}'::jsonb) as professions,
            coalesce(jsonb_object_agg(d.key, d.n) filter (where d.map = 'lost_reasons'), '{}'::jsonb) as lost_reasons,
            coalesce(jsonb_object_agg(d.key, d.n) filter (where d.map = 'conversions'), '{}'::jsonb) as conversions,
            coalesce(jsonb_object_agg(d.key, d.n) filter (where d.map = 'speed'), '{}'::jsonb) as speed
        from delta as d
        group by 1, 2, 3, 4
    ),
    ranges as (
        insert into private.kpi_facts as k (coach_id, grain, day, end_day, counts, sources, professions, lost_reasons,
            conversions, speed)
        select r.coach_id, r.grain, r.day, r.end_day, r.counts, r.sources, r.professions, r.lost_reasons,
            r.conversions, r.speed
        from rows as r
        where r.grain in ('day', 'week', 'month')
        order by r.coach_id, r.grain, r.day
        on conflict (coach_id, grain, day) do update
        set counts = private.kpi_jsonb_add(k.counts, excluded.counts),
            sources = case when excluded.sources = '{}'::jsonb then k.sources else private.kpi_jsonb_add(k.sources, excluded.sources) end,
            professions = case when excluded.professions = '{}'::jsonb then k.professions else private.kpi_jsonb_add(k.professions, excluded.professions) end,
            lost_reasons = case when excluded.lost_reasons = '{}'::jsonb then k.lost_reasons else private.kpi_jsonb_add(k.lost_reasons, excluded.lost_reasons) end,
            conversions = case when excluded.conversions = '{}'::jsonb then k.conversions else private.kpi_jsonb_add(k.conversions, excluded.conversions) end,
            speed = case when excluded.speed = '{}'::jsonb then k.speed else private.kpi_jsonb_add(k.speed, excluded.speed) end,
            updated_at = now()
        returning 1
    ),
    windows as (
        update private.kpi_facts as k
        set counts = private.kpi_jsonb_add(k.counts, r.counts),
            sources = case when r.sources = '{}'::jsonb then k.sources else private.kpi_jsonb_add(k.sources, r.sources) end,
            professions = case when r.professions = '{}'::jsonb then k.professions else private.kpi_jsonb_add(k.professions, r.professions) end,
            lost_reasons = case when r.lost_reasons = '{}'::jsonb then k.lost_reasons else private.kpi_jsonb_add(k.lost_reasons, r.lost_reasons) end,
            conversions = case when r.conversions = '{}'::jsonb then k.conversions else private.kpi_jsonb_add(k.conversions, r.conversions) end,
            speed = case when r.speed = '{}'::jsonb then k.speed else private.kpi_jsonb_add(k.speed, r.speed) end,
            updated_at = now()
        from rows as r
        where r.grain not in ('day', 'week', 'month') and k.coach_id = r.coach_id and k.grain = r.grain and k.day = r.day
        returning 1
    )
    select (select count(*) from ranges) + (select count(*) from windows) into changed;
    -- day, week and month rows left with nothing (kpi_facts_empty_idx holds only those)
    delete from private.kpi_facts as k
    where k.grain in ('day', 'week', 'month') and k.counts = '{}'::jsonb and k.sources = '{}'::jsonb
        and k.professions = '{}'::jsonb and k.lost_reasons = '{}'::jsonb and k.conversions = '{}'::jsonb
        and k.speed = '{}'::jsonb;
    return changed;
end;
$$;

comment on function private.kpi_add_contributions(private.lead_facts[], private.lead_facts[]) is
    'Adds the contributions of new_rows minus those of old_rows (private.kpi_lead_contributions) to the rows of private.kpi_facts whose range holds their day: day, week and month rows (counts and every map) (inserted when missing, in key order; deleted when left with nothing) and the existing windows of preset periods. Returns the rows written.';

revoke execute on function private.kpi_add_contributions(private.lead_facts[], private.lead_facts[]) from public;

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

revoke execute on function private.kpi_add_pipeline(private.lead_facts[], private.lead_facts[]) from public;

create or replace function private.kpi_apply_lead_facts(lead_ids uuid[])
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
set jit = off
as $$
declare
    new_rows private.lead_facts[];
    old_rows private.lead_facts[];
begin
    if lead_ids is null or cardinality(lead_ids) = 0 then
        return 0;
    end if;
    -- only the leads whose facts changed (computed_at aside): an unchanged lead adds nothing and keeps its row, so a
    -- walk over leads that did not change writes nothing
    select coalesce(array_agg(c.new_row) filter (where (c.new_row).lead_id is not null), '{}'),
        coalesce(array_agg(c.old_row) filter (where (c.old_row).lead_id is not null), '{}')
    into new_rows, old_rows
    from (
        select n.f as new_row, o.f as old_row
        from (select f from private.kpi_compute_lead_facts(lead_ids) as f) as n
        full join (select f from private.lead_facts as f where f.lead_id = any (lead_ids)) as o
            on (o.f).lead_id = (n.f).lead_id
        where (to_jsonb(n.f) - 'computed_at') is distinct from (to_jsonb(o.f) - 'computed_at')
    ) as c;
    if cardinality(new_rows) + cardinality(old_rows) = 0 then
        return cardinality(lead_ids);
    end if;
    perform private.kpi_add_contributions(new_rows, old_rows);
    perform private.kpi_add_variant_contributions(new_rows, old_rows);
    perform private.kpi_add_cohort_contributions(new_rows, old_rows);
    perform private.kpi_add_pipeline(new_rows, old_rows);
    delete from private.lead_facts as f where f.lead_id = any (array(select o.lead_id from unnest(old_rows) as o));
    insert into private.lead_facts select * from unnest(new_rows);
    -- the follow-up list and the stored documents of the coaches whose facts changed
    perform private.kpi_refresh_follow_up(x.coach_id), private.kpi_refresh_documents(x.coach_id)
    from (
        select n.coach_id from unnest(new_rows) as n
        union
        select o.coach_id from unnest(old_rows) as o
    ) as x;
    return cardinality(lead_ids);
end;
$$;

comment on function private.kpi_apply_lead_facts(uuid[]) is
    'Recomputes private.lead_facts for the given leads and, for those whose facts changed (computed_at aside; deleted leads lose their row), adds the difference of their contributions to private.kpi_facts, private.kpi_variant_facts, private.kpi_cohort_facts and private.kpi_coach_now, rewrites their rows and recomputes the follow-up list and the stored documents of their coaches; an unchanged lead writes nothing (the reconcile walk costs the reads of its leads). The caller holds the upkeep lock. Returns the number of leads.';

revoke execute on function private.kpi_apply_lead_facts(uuid[]) from public;
