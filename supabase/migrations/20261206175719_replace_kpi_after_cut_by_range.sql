-- Purpose: private.kpi_after_cut reads the events of the cut day after the cut by range (planned for its bounds) and the candidates' facts by key: the generic plan read the coach's whole message index and every coach's lead facts (seconds per call, growing with history).

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_after_cut(uuid, date, timestamp with time zone), as supabase/schemas/43_kpi_period.sql defines it
create or replace function private.kpi_after_cut(target_coach uuid, cut_day date, cut timestamptz)
returns table (metric text, n numeric)
language plpgsql
stable
security invoker
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
    day_end timestamptz := (cut_day + 1)::timestamp at time zone (
        select c.timezone from public.coachs as c where c.id = target_coach);
    ids uuid[];
    late_ids uuid[];
    late_sent bigint[];
    late_received bigint[];
    late_answered bigint[];
begin
    -- the events of the cut day at or after the cut, by range on each table's (coach_id, time) index: these two
    -- statements are planned for their bounds (dynamic); a generic plan expects thousands of rows there and reads the
    -- coach's whole history (and every coach's lead facts) for the few dozen leads of a part of a day
    execute $q$
        select array_agg(m.lead_id order by m.lead_id), array_agg(m.sent order by m.lead_id),
            array_agg(m.received order by m.lead_id), array_agg(m.answered order by m.lead_id)
        from (
            select m.lead_id,
                count(*) filter (where m.direction = 'out') as sent,
                count(*) filter (where m.direction = 'in') as received,
                count(*) filter (where m.direction = 'in' and m.created_at < (
                    select max(o.created_at) from public.messages as o
                    where o.lead_id = m.lead_id and o.coach_id = $1 and o.direction = 'out')) as answered
            from public.messages as m
            where m.coach_id = $1 and m.created_at >= $2 and m.created_at < $3
            group by m.lead_id
        ) as m
    $q$ into late_ids, late_sent, late_received, late_answered using target_coach, cut, day_end;
    execute $q$
        select array(
            select l.id from public.leads as l where l.coach_id = $1 and l.created_at >= $2 and l.created_at < $3
            union
            select e.lead_id from public.lead_status_events as e
            where e.coach_id = $1 and e.changed_at >= $2 and e.changed_at < $3
            union
            select f.lead_id from private.lead_facts as f
            where f.coach_id = $1 and f.lead_magnet_day = $4 and f.lead_magnet_at >= $2
            union
            select x.id from unnest($5::uuid[]) as x (id))
    $q$ into ids using target_coach, cut, day_end, cut_day, late_ids;
    if cardinality(ids) = 0 then
        return;
    end if;
    -- the candidates' facts by primary key, and their contributions to the cut day before and after truncation
    return query
    with late_messages as (
            select x.lead_id, x.sent, x.received, x.answered
            from unnest(late_ids, late_sent, late_received, late_answered) as x (lead_id, sent, received, answered)
        ),
        truncated as (
            select f, jsonb_populate_record(f, coalesce((
                    -- every "<event>_day" whose "<event>_at" is at or after the cut is cleared (DMs, stages, lead
                    -- magnet, whatever facts a later migration adds under that naming)
                    select jsonb_object_agg(left(e.key, -3) || '_day', null)
                    from jsonb_each_text(to_jsonb(f)) as e
                    where e.key like '%\_at' and e.key not in ('created_at', 'computed_at')
                        and to_jsonb(f) ? (left(e.key, -3) || '_day') and e.value::timestamptz >= cut), '{}'::jsonb)
                || jsonb_build_object(
                    'activity', case when m.lead_id is null or not f.activity ? to_char(cut_day, 'YYYY-MM-DD') then f.activity
                        else jsonb_set(f.activity, array[to_char(cut_day, 'YYYY-MM-DD')], jsonb_build_array(
                            (f.activity -> to_char(cut_day, 'YYYY-MM-DD') ->> 0)::integer - m.sent,
                            (f.activity -> to_char(cut_day, 'YYYY-MM-DD') ->> 1)::integer - m.received,
                            (f.activity -> to_char(cut_day, 'YYYY-MM-DD') ->> 2)::integer - m.answered)) end)) as t,
                f.created_at >= cut as created_after
            from private.lead_facts as f
            left join late_messages as m on m.lead_id = f.lead_id
            where f.lead_id = any (ids)
        )
        select x.metric, sum(x.n)
        from (
            select c.metric, c.n
            from truncated as u cross join lateral private.kpi_lead_contributions(u.f) as c
            where c.day = cut_day
            union all
            select c.metric, -c.n
            from truncated as u cross join lateral private.kpi_lead_contributions(u.t) as c
            where c.day = cut_day and not u.created_after
        ) as x
        group by x.metric
        having sum(x.n) <> 0;
end;
$$;

-- comments
comment on function private.kpi_after_cut(uuid, date, timestamp with time zone) is
    'The contributions to the local day cut_day of a coach that happened at or after the instant cut, as (metric, n) in the terms of private.kpi_lead_contributions: for each lead with an event that day at or after the cut (created, a message, a status event, a lead magnet), its contributions to that day minus those of its facts truncated at the cut (a lead created after the cut has none; every <event>_day whose <event>_at is at or after it cleared; the day''s messages counted before it). Conversions and speed turns are not cut. Cost: the events of that part of the day and their leads, whatever the history (the two range reads are planned for their bounds, the rest is a generic plan over the leads found, kept for the session: planning it is about 80 ms). pgTAP 56 counts the rows it reads.';
