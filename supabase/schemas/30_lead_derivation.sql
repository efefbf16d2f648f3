-- Triggers that derive lead and sequence fields from statuses and messages.

create or replace function private.stamp_lead_status_change()
returns trigger
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
    if tg_op = 'INSERT' then
        new.status_changed_at := coalesce(new.status_changed_at, new.created_at, now());
    elsif new.status is distinct from old.status
        and new.status_changed_at is not distinct from old.status_changed_at then
        new.status_changed_at := now();
    end if;
    return new;
end;
$$;

comment on function private.stamp_lead_status_change() is
    'Trigger function: sets leads.status_changed_at on insert (from created_at) and on a status change (now()) unless the writer gave the event time.';

create trigger leads_stamp_status_change
    before insert or update of status on public.leads
    for each row execute function private.stamp_lead_status_change();

create or replace function private.record_lead_status_event()
returns trigger
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
    if tg_op = 'INSERT' or new.status is distinct from old.status then
        insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at)
        values (
            new.id,
            new.coach_id,
            case when tg_op = 'UPDATE' then old.status end,
            new.status,
            new.status_changed_at
        );
    end if;
    return null;
end;
$$;

comment on function private.record_lead_status_event() is
    'Trigger function: appends a lead_status_events row for a new lead and for every status change.';

create trigger leads_record_status_event
    after insert or update of status on public.leads
    for each row execute function private.record_lead_status_event();

create or replace function private.protect_lead_counters()
returns trigger
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
    if current_setting('coach_setter.syncing_messages', true) = 'on' then
        return new;
    end if;
    if tg_op = 'INSERT' then
        new.total_messages_sent := 0;
        new.total_messages_received := 0;
        new.last_contact_at := null;
    else
        new.total_messages_sent := old.total_messages_sent;
        new.total_messages_received := old.total_messages_received;
        new.last_contact_at := old.last_contact_at;
    end if;
    return new;
end;
$$;

comment on function private.protect_lead_counters() is
    'Trigger function: keeps leads.total_messages_sent/received and last_contact_at as derived from messages; other writers'' values are ignored.';

create trigger leads_protect_counters
    before insert or update on public.leads
    for each row execute function private.protect_lead_counters();

create or replace function private.sync_lead_messages(lead_ids uuid[])
returns void
language plpgsql
volatile
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

create or replace function private.sync_messages_after_write()
returns trigger
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    touched uuid[];
begin
    if current_setting('coach_setter.syncing_messages', true) = 'on' then
        return null;
    end if;
    if tg_op = 'INSERT' then
        select array_agg(distinct n.lead_id) into touched from new_rows as n;
    elsif tg_op = 'DELETE' then
        select array_agg(distinct o.lead_id) into touched from old_rows as o;
    else
        select array_agg(distinct x.lead_id) into touched
        from (select o.lead_id from old_rows as o union select n.lead_id from new_rows as n) as x;
    end if;
    -- A statement that touched no row (e.g. filtered out by RLS) has nothing to derive.
    if touched is not null then
        perform private.sync_lead_messages(touched);
    end if;
    return null;
end;
$$;

comment on function private.sync_messages_after_write() is
    'Statement trigger function on messages: re-derives the touched leads once per statement (set-based, whatever the write path).';

create trigger messages_sync_after_delete
    after delete on public.messages referencing old table as old_rows
    for each statement execute function private.sync_messages_after_write();

create trigger messages_sync_after_insert
    after insert on public.messages referencing new table as new_rows
    for each statement execute function private.sync_messages_after_write();

create trigger messages_sync_after_update
    after update on public.messages referencing old table as old_rows new table as new_rows
    for each statement execute function private.sync_messages_after_write();

create or replace function private.sync_sequence_call_milestones()
returns trigger
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
    if coalesce(public.lead_status_rank(new.to_status), 0) < 4 then
        return null;
    end if;
    insert into public.message_sequences as s (lead_id, coach_id, call_proposed_at, call_booked_at)
    values (
        new.lead_id,
        new.coach_id,
        new.changed_at,
        case when public.lead_status_rank(new.to_status) >= 5 then new.changed_at end
    )
    on conflict (lead_id) do update
    set call_proposed_at = least(s.call_proposed_at, excluded.call_proposed_at),
        call_booked_at = least(s.call_booked_at, excluded.call_booked_at)
    where s.call_proposed_at is distinct from least(s.call_proposed_at, excluded.call_proposed_at)
        or s.call_booked_at is distinct from least(s.call_booked_at, excluded.call_booked_at);
    return null;
end;
$$;

comment on function private.sync_sequence_call_milestones() is
    'Trigger function on lead_status_events: stamps message_sequences.call_proposed_at / call_booked_at with the earliest time the lead reached those stages.';

create trigger lead_status_events_sync_call_milestones
    after insert on public.lead_status_events
    for each row execute function private.sync_sequence_call_milestones();
