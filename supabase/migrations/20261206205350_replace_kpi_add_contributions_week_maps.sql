-- Purpose: week rows of private.kpi_facts carry every map (sources, professions, lost reasons, conversions, speed, and the counts without a typed column), like day and month rows, so a range can sum whole weeks.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_add_contributions(private.lead_facts[], private.lead_facts[]), as supabase/schemas/42_kpi_contributions.sql defines it
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

comment on table private.kpi_facts is
    'Additive KPI facts of a coach over a range of local days [day, end_day]: one local day (grain day), one ISO week (grain week, Monday to Sunday: the weekly trend and the whole weeks of a range), one local month (grain month), or the current preset periods and their previous periods (grains today, 7d, 30d, 90d, all and previous_*: the windows, recomputed when the coach''s day changes). The upkeep adds the differences of the contributions of changed leads to every row whose range holds the day (private.kpi_add_contributions); the typed columns are generated from counts. A preset period reads its window row; any other period sums its whole months, whole weeks and remaining days (private.kpi_range_cover). Rebuilt from scratch by private.kpi_rebuild().';

comment on column private.kpi_facts.grain is 'day, week, month, or the window of a preset period: today, 7d, 30d, 90d, all, previous_today, previous_7d, previous_30d, previous_90d.';
