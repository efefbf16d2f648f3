-- Purpose: private.kpi_after_cut clears every "<event>_day" of the lead facts whose "<event>_at" is at or after the cut, found by name instead of listed, so a fact added later (a DM 5, a new stage) is cut without restating the function.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

create or replace function private.kpi_after_cut(target_coach uuid, cut_day date, cut timestamptz)
returns table (metric text, n numeric)
language sql
stable
security invoker
set search_path = ''
as $$
    with bounds as (
        select ((cut_day + 1)::timestamp at time zone c.timezone) as day_end
        from public.coachs as c
        where c.id = target_coach
    ),
    candidates as (
        select l.id as lead_id from public.leads as l, bounds as b
        where l.coach_id = target_coach and l.created_at >= cut and l.created_at < b.day_end
        union
        select m.lead_id from public.messages as m, bounds as b
        where m.coach_id = target_coach and m.created_at >= cut and m.created_at < b.day_end
        union
        select e.lead_id from public.lead_status_events as e, bounds as b
        where e.coach_id = target_coach and e.changed_at >= cut and e.changed_at < b.day_end
        union
        select f.lead_id from private.lead_facts as f
        where f.coach_id = target_coach and f.lead_magnet_day = cut_day and f.lead_magnet_at >= cut
    ),
    late_messages as (
        -- per candidate, the messages of the cut day at or after the cut: [sent, received, received then answered]
        select m.lead_id,
            count(*) filter (where m.direction = 'out') as sent,
            count(*) filter (where m.direction = 'in') as received,
            count(*) filter (where m.direction = 'in' and m.created_at < (
                select max(o.created_at) from public.messages as o
                where o.lead_id = m.lead_id and o.coach_id = target_coach and o.direction = 'out')) as answered
        from public.messages as m, bounds as b
        where m.coach_id = target_coach and m.created_at >= cut and m.created_at < b.day_end
        group by m.lead_id
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
        from candidates as c
        join private.lead_facts as f on f.lead_id = c.lead_id
        left join late_messages as m on m.lead_id = c.lead_id
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
$$;

comment on function private.kpi_after_cut(uuid, date, timestamptz) is
    'The contributions to the local day cut_day of a coach that happened at or after the instant cut, as (metric, n) in the terms of private.kpi_lead_contributions: for each lead with an event that day at or after the cut (created, a message, a status event, a lead magnet), its contributions to that day minus those of its facts truncated at the cut (a lead created after the cut has none; every <event>_day whose <event>_at is at or after it cleared; the day''s messages counted before it). Conversions and speed turns are not cut.';
