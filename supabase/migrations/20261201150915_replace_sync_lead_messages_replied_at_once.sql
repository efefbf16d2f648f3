-- Purpose: private.sync_lead_messages evaluates each outbound message's replied_at once instead of four times.

set local lock_timeout = '3s';
set local statement_timeout = '30s';

-- The derivation read replied_at from a scalar subquery in a CTE that PostgreSQL inlines into the update: the
-- subquery was copied into the SET list (is_replied, replied_at) and the WHERE clause (two "is distinct from"), so it
-- ran four times per message, most of the cost of the legacy backfill and of the live ingest path (issue 14). The
-- first answer of each outbound message is now a lateral join in a materialized CTE, one evaluation per outbound
-- message (not inlined: the generic plan would re-run it for every message of the leads); the result is the same
-- (pgTAP 03, 31, 34 and the bench generator's verify_coach hold it). Everything else is unchanged.
create or replace function private.sync_lead_messages(lead_ids uuid[])
returns void
language plpgsql
security invoker
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
begin
    if lead_ids is null or cardinality(lead_ids) = 0 then
        return;
    end if;

    perform 1 from public.leads as l where l.id = any (lead_ids) order by l.id for no key update;

    -- Tell the messages and leads triggers that the writes below are this function's own.
    perform set_config('coach_setter.syncing_messages', 'on', true);

    with outbound as (
        select
            m.id,
            m.lead_id,
            m.created_at,
            row_number() over w as message_number,
            lead(m.created_at) over w as next_outbound_at
        from public.messages as m
        where m.lead_id = any (lead_ids) and m.direction = 'out'
        window w as (partition by m.lead_id order by m.created_at, m.id)
    ),
    replies as materialized (
        -- each outbound message's first answer, computed once (materialized: a scalar subquery was copied into
        -- every place the update reads replied_at, and an inlined join is re-run for every message by a nested loop)
        select o.id, o.message_number, r.replied_at
        from outbound as o
        left join lateral (
            select min(i.created_at) as replied_at
            from public.messages as i
            where i.lead_id = o.lead_id
                and i.direction = 'in'
                and i.created_at > o.created_at
                and (o.next_outbound_at is null or i.created_at < o.next_outbound_at)
        ) as r on true
    ),
    derived as (
        select m.id, p.message_number, p.replied_at
        from public.messages as m
        left join replies as p on p.id = m.id
        where m.lead_id = any (lead_ids)
    )
    update public.messages as m
    set message_number = d.message_number,
        is_replied = d.replied_at is not null,
        replied_at = d.replied_at
    from derived as d
    where m.id = d.id
        and m.lead_id = any (lead_ids)
        and (
            m.message_number is distinct from d.message_number
            or m.is_replied is distinct from (d.replied_at is not null)
            or m.replied_at is distinct from d.replied_at
        );

    with totals as (
        select
            l.id,
            count(m.id) filter (where m.direction = 'out')::integer as sent,
            count(m.id) filter (where m.direction = 'in')::integer as received,
            max(m.created_at) as last_contact_at
        from public.leads as l
        left join public.messages as m on m.lead_id = l.id
        where l.id = any (lead_ids)
        group by l.id
    )
    update public.leads as l
    set total_messages_sent = t.sent,
        total_messages_received = t.received,
        last_contact_at = t.last_contact_at
    from totals as t
    where l.id = t.id
        and (
            l.total_messages_sent is distinct from t.sent
            or l.total_messages_received is distinct from t.received
            or l.last_contact_at is distinct from t.last_contact_at
        );

    insert into public.message_sequences as s (
        lead_id, coach_id,
        msg1_sent_at, msg1_replied, msg1_replied_at,
        msg2_sent_at, msg2_replied, msg2_replied_at,
        msg3_sent_at, msg3_replied, msg3_replied_at,
        msg4_sent_at, msg4_replied, msg4_replied_at
    )
    select
        l.id,
        l.coach_id,
        max(m.created_at) filter (where m.message_number = 1),
        coalesce(bool_or(m.is_replied) filter (where m.message_number = 1), false),
        max(m.replied_at) filter (where m.message_number = 1),
        max(m.created_at) filter (where m.message_number = 2),
        coalesce(bool_or(m.is_replied) filter (where m.message_number = 2), false),
        max(m.replied_at) filter (where m.message_number = 2),
        max(m.created_at) filter (where m.message_number = 3),
        coalesce(bool_or(m.is_replied) filter (where m.message_number = 3), false),
        max(m.replied_at) filter (where m.message_number = 3),
        max(m.created_at) filter (where m.message_number = 4),
        coalesce(bool_or(m.is_replied) filter (where m.message_number = 4), false),
        max(m.replied_at) filter (where m.message_number = 4)
    from public.leads as l
    left join public.messages as m
        on m.lead_id = l.id and m.direction = 'out' and m.message_number <= 4
    where l.id = any (lead_ids)
    group by l.id, l.coach_id
    having count(m.id) > 0
        or exists (select 1 from public.message_sequences as e where e.lead_id = l.id)
    on conflict (lead_id) do update
    set msg1_sent_at = excluded.msg1_sent_at,
        msg1_replied = excluded.msg1_replied,
        msg1_replied_at = excluded.msg1_replied_at,
        msg2_sent_at = excluded.msg2_sent_at,
        msg2_replied = excluded.msg2_replied,
        msg2_replied_at = excluded.msg2_replied_at,
        msg3_sent_at = excluded.msg3_sent_at,
        msg3_replied = excluded.msg3_replied,
        msg3_replied_at = excluded.msg3_replied_at,
        msg4_sent_at = excluded.msg4_sent_at,
        msg4_replied = excluded.msg4_replied,
        msg4_replied_at = excluded.msg4_replied_at
    where (s.msg1_sent_at, s.msg1_replied, s.msg1_replied_at, s.msg2_sent_at, s.msg2_replied, s.msg2_replied_at,
           s.msg3_sent_at, s.msg3_replied, s.msg3_replied_at, s.msg4_sent_at, s.msg4_replied, s.msg4_replied_at)
        is distinct from
          (excluded.msg1_sent_at, excluded.msg1_replied, excluded.msg1_replied_at,
           excluded.msg2_sent_at, excluded.msg2_replied, excluded.msg2_replied_at,
           excluded.msg3_sent_at, excluded.msg3_replied, excluded.msg3_replied_at,
           excluded.msg4_sent_at, excluded.msg4_replied, excluded.msg4_replied_at);

    perform set_config('coach_setter.syncing_messages', 'off', true);
end;
$$;

comment on function private.sync_lead_messages(uuid[]) is
    'Recomputes, for the given leads, messages.message_number/is_replied/replied_at, leads.total_messages_sent/received/last_contact_at and message_sequences DM 1-4 columns from the messages table. Serializes on the lead rows. Keeps one generic plan per session (plan_cache_mode).';
