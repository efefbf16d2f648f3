-- KPI engine: a lead's facts computed from its rows.

create or replace function private.kpi_lead_stage_facts(lead_ids uuid[])
returns table(lead_id uuid, qualified_at timestamp with time zone, proposed_at timestamp with time zone, booked_at timestamp with time zone, won_at timestamp with time zone, lost_at timestamp with time zone, booked_event_at timestamp with time zone)
language sql
stable
security invoker
set search_path = ''
as $$
    select
        e.lead_id,
        min(e.changed_at) filter (where public.lead_status_rank(e.to_status) >= 3),
        min(e.changed_at) filter (where public.lead_status_rank(e.to_status) >= 4),
        min(e.changed_at) filter (where public.lead_status_rank(e.to_status) >= 5),
        min(e.changed_at) filter (where e.to_status = 'won'),
        min(e.changed_at) filter (where e.to_status = 'lost'),
        min(e.changed_at) filter (where e.to_status = 'call_booked')
    from public.lead_status_events as e
    where e.lead_id = any (lead_ids)
    group by e.lead_id;
$$;

comment on function private.kpi_lead_stage_facts(uuid[]) is
    'Per lead with a status history: first time it reached qualified, call_proposed, call_booked (or a later stage), first won, first lost, and its first call_booked event.';

revoke execute on function private.kpi_lead_stage_facts(uuid[]) from public;

create or replace function private.kpi_lead_message_facts(lead_ids uuid[])
returns table(lead_id uuid, activity jsonb, turns jsonb)
language sql
stable
security invoker
set search_path = ''
as $$
    with m as (
        select
            x.lead_id,
            x.direction,
            x.created_at,
            to_char(x.created_at at time zone c.timezone, 'YYYY-MM-DD') as day,
            max(x.created_at) filter (where x.direction = 'out') over (partition by x.lead_id) as last_out_at,
            lag(x.direction) over w as previous_direction,
            min(x.created_at) filter (where x.direction = 'out')
                over (w rows between 1 following and unbounded following) as next_out_at
        from public.messages as x
        join public.coachs as c on c.id = x.coach_id
        where x.lead_id = any (lead_ids)
        window w as (partition by x.lead_id order by x.created_at, x.id)
    ),
    days as (
        select m.lead_id, m.day, jsonb_build_array(
                count(*) filter (where m.direction = 'out'),
                count(*) filter (where m.direction = 'in'),
                count(*) filter (where m.direction = 'in' and m.created_at < m.last_out_at)) as counts
        from m
        group by m.lead_id, m.day
    ),
    turn_buckets as (
        select m.lead_id, m.day,
            private.kpi_speed_bucket(extract(epoch from m.next_out_at - m.created_at) / 60.0) as bucket, count(*) as n
        from m
        where m.direction = 'in' and m.previous_direction is distinct from 'in' and m.next_out_at is not null
        group by 1, 2, 3
    ),
    turn_days as (
        select t.lead_id, t.day, jsonb_object_agg(t.bucket::text, t.n) as buckets
        from turn_buckets as t
        group by t.lead_id, t.day
    )
    select d.lead_id, d.activity, coalesce(t.turns, '{}'::jsonb)
    from (select lead_id, jsonb_object_agg(day, counts) as activity from days group by lead_id) as d
    left join (select lead_id, jsonb_object_agg(day, buckets) as turns from turn_days group by lead_id) as t
        on t.lead_id = d.lead_id;
$$;

comment on function private.kpi_lead_message_facts(uuid[]) is
    'Per lead with messages: activity {"YYYY-MM-DD": [sent, received, answered]} and turns {"YYYY-MM-DD": {"<bucket>": n}} in the coach''s local days. answered: an inbound message before the lead''s last outbound one; a turn: an inbound message not preceded by an inbound one and followed by an outbound one, its wait bucketed by private.kpi_speed_bucket.';

revoke execute on function private.kpi_lead_message_facts(uuid[]) from public;

create or replace function private.kpi_lead_variant_facts(lead_ids uuid[])
returns table(lead_id uuid, dm1_variant text, dm2_variant text, dm3_variant text, dm4_variant text)
language sql
stable
security invoker
set search_path = ''
as $$
    select
        m.lead_id,
        max(m.variant) filter (where m.message_number = 1),
        max(m.variant) filter (where m.message_number = 2),
        max(m.variant) filter (where m.message_number = 3),
        max(m.variant) filter (where m.message_number = 4)
    from public.messages as m
    where m.lead_id = any (lead_ids) and m.direction = 'out' and m.message_number <= 4 and m.variant is not null
    group by m.lead_id;
$$;

comment on function private.kpi_lead_variant_facts(uuid[]) is
    'Per lead with a variant on one of its outbound DMs 1 to 4: the variant of each (messages.variant of the outbound message numbered N, null when it has none).';

revoke execute on function private.kpi_lead_variant_facts(uuid[]) from public;

create or replace function private.kpi_compute_lead_facts(lead_ids uuid[])
returns setof private.lead_facts
language sql
stable
security invoker
set search_path = ''
as $$
    select
        l.id, l.coach_id, l.status, l.instagram_username, l.first_name,
        l.created_at, (l.created_at at time zone c.timezone)::date,
        l.source, l.gender, l.age, nullif(lower(btrim(l.job_title)), ''), l.email is not null,
        l.time_to_action_minutes, l.deal_value, l.call_showed, l.lost_reason,
        l.lead_magnet_sent_at, (l.lead_magnet_sent_at at time zone c.timezone)::date,
        (greatest(coalesce(l.last_contact_at, l.created_at), l.followed_up_at) at time zone c.timezone)::date,
        l.total_messages_sent + l.total_messages_received,
        s.msg1_sent_at, (s.msg1_sent_at at time zone c.timezone)::date, coalesce(s.msg1_replied, false),
        s.msg2_sent_at, (s.msg2_sent_at at time zone c.timezone)::date, coalesce(s.msg2_replied, false),
        s.msg3_sent_at, (s.msg3_sent_at at time zone c.timezone)::date, coalesce(s.msg3_replied, false),
        s.msg4_sent_at, (s.msg4_sent_at at time zone c.timezone)::date, coalesce(s.msg4_replied, false),
        e.qualified_at, (e.qualified_at at time zone c.timezone)::date,
        e.proposed_at, (e.proposed_at at time zone c.timezone)::date,
        e.booked_at, (e.booked_at at time zone c.timezone)::date,
        e.won_at, (e.won_at at time zone c.timezone)::date,
        e.lost_at, (e.lost_at at time zone c.timezone)::date,
        (e.booked_event_at at time zone c.timezone)::date,
        ((extract(isodow from e.booked_event_at at time zone c.timezone) - 1) * 24
            + extract(hour from e.booked_event_at at time zone c.timezone))::smallint,
        ((extract(isodow from e.won_at at time zone c.timezone) - 1) * 24
            + extract(hour from e.won_at at time zone c.timezone))::smallint,
        coalesce(m.activity, '{}'::jsonb), coalesce(m.turns, '{}'::jsonb),
        now(),
        v.dm1_variant, v.dm2_variant, v.dm3_variant, v.dm4_variant,
        l.deal_value_source
    from public.leads as l
    join public.coachs as c on c.id = l.coach_id
    left join public.message_sequences as s on s.lead_id = l.id
    left join private.kpi_lead_stage_facts(lead_ids) as e on e.lead_id = l.id
    left join private.kpi_lead_message_facts(lead_ids) as m on m.lead_id = l.id
    left join private.kpi_lead_variant_facts(lead_ids) as v on v.lead_id = l.id
    where l.id = any (lead_ids);
$$;

comment on function private.kpi_compute_lead_facts(uuid[]) is
    'The private.lead_facts rows of the given leads, computed now from leads, coachs (time zone), message_sequences, lead_status_events and messages (activity, turns, the variants of DMs 1 to 4); the last contact is the later of the last message and the coach''s follow-up (followed_up_at). A lead that no longer exists has no row.';

revoke execute on function private.kpi_compute_lead_facts(uuid[]) from public;
