-- Purpose: private.place_lead_status_event, the one writer of a lead's status history for every source (n8n, the coach, Calendly, Stripe): in time order, idempotent, with the precedence of outcomes.

set lock_timeout = '500ms';

-- The status part of the history (kind = 'status') as private.apply_lead_status_event has kept it since the first
-- ingestion: any delivery order gives the same history and current status as delivery in time order. To it, the
-- sources add:
--   * a status of n8n or Calendly dated after a won or lost decision of the coach or Stripe is set aside (rule 3);
--   * a decision (coach or Stripe: won, lost, relance) is always recorded, also when the status does not change
--     ('confirmed': the coach's won of a lead n8n said won records its deal), and never merged into another
--     source's entry; a late one (Stripe) sets aside the statuses of n8n and Calendly after it (rule 3);
--   * a decision sets aside the earlier outcomes it replaces (rule 4).
-- The new entries get the source, author and details. Returns duplicate, unchanged, applied, confirmed,
-- recorded_late, moved_earlier or set_aside. The caller holds no lock: the lead is locked here (FOR NO KEY UPDATE,
-- the lock of every writer of a lead).
create or replace function private.place_lead_status_event(
    target_lead uuid,
    new_status text,
    event_time timestamptz,
    event_source text,
    author uuid default null,
    event_details jsonb default null
)
returns text
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    is_decision constant boolean := event_source in ('coach', 'stripe') and new_status in ('won', 'lost', 'relance');
    coach uuid;
    current_status text;
    current_since timestamptz;
    decision public.lead_status_events;
    previous_status text;
    next_event record;
    before_id bigint;
    set_aside bigint[] := '{}';
    result text;
begin
    select l.coach_id, l.status, l.status_changed_at into coach, current_status, current_since
    from public.leads as l
    where l.id = target_lead
    for no key update;

    if not is_decision and event_source in ('n8n', 'calendly') then
        decision := private.lead_decision_at(target_lead, event_time);
        if decision.to_status in ('won', 'lost') then
            return private.set_aside_arriving_status(target_lead, new_status, event_time, event_source, event_details, decision.id);
        end if;
    end if;
    if is_decision and new_status <> 'relance' then
        set_aside := private.set_aside_after_decision(target_lead, event_time);
        select l.status, l.status_changed_at into current_status, current_since
        from public.leads as l where l.id = target_lead;
    end if;

    before_id := coalesce((select max(e.id) from public.lead_status_events as e where e.lead_id = target_lead), 0);

    select e.to_status into previous_status
    from public.lead_status_events as e
    where e.lead_id = target_lead and e.kind = 'status' and e.changed_at <= event_time
    order by e.changed_at desc, e.id desc
    limit 1;

    select e.id, e.to_status, e.changed_at, e.source into next_event
    from public.lead_status_events as e
    where e.lead_id = target_lead and e.kind = 'status' and e.changed_at > event_time
    order by e.changed_at, e.id
    limit 1;

    if exists (
        select 1 from public.lead_status_events as e
        where e.lead_id = target_lead and e.kind = 'status' and e.to_status = new_status
            and e.changed_at = event_time and (not is_decision or e.source = event_source)
    ) then
        result := 'duplicate';
    elsif previous_status = new_status and not is_decision then
        result := 'unchanged';
    elsif next_event.id is null and current_status = new_status then
        if is_decision then
            insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at)
            values (target_lead, coach, new_status, new_status, event_time);
            result := 'confirmed';
        else
            result := 'unchanged';
        end if;
    elsif next_event.id is null then
        -- private.stamp_lead_status_change replaces an unchanged status_changed_at with now(); an event at the
        -- very time of the previous one keeps its own time by stepping the old one back a microsecond first.
        if current_since = event_time then
            update public.leads as l
            set status_changed_at = event_time - interval '1 microsecond'
            where l.id = target_lead;
        end if;
        update public.leads as l
        set status = new_status,
            status_changed_at = event_time
        where l.id = target_lead;
        result := 'applied';
    elsif next_event.to_status = new_status and next_event.source = event_source and not is_decision then
        -- that status began earlier: its entry moves back (delete + insert, so the call-milestone trigger on
        -- insert sees the earlier time)
        delete from public.lead_status_events as e where e.id = next_event.id;
        insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at)
        values (target_lead, coach, previous_status, new_status, event_time);
        update public.leads as l
        set status_changed_at = event_time
        where l.id = target_lead and l.status = new_status and l.status_changed_at = next_event.changed_at;
        result := 'moved_earlier';
    else
        insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at)
        values (target_lead, coach, previous_status, new_status, event_time);
        result := 'recorded_late';
    end if;

    update public.lead_status_events as e
    set source = event_source, author_id = author, details = event_details
    where e.lead_id = target_lead and e.id > before_id;

    if is_decision and result <> 'duplicate' then
        select e.* into decision
        from public.lead_status_events as e
        where e.lead_id = target_lead and e.id > before_id
        order by e.id desc
        limit 1;
        update public.lead_events_set_aside as a set set_aside_by = decision.id where a.id = any (set_aside);
        perform private.set_aside_replaced_outcomes(target_lead, decision);
    end if;
    if is_decision or result in ('confirmed', 'recorded_late', 'moved_earlier') then
        perform private.normalize_lead_history(target_lead);
    end if;
    return result;
end;
$$;

comment on function private.place_lead_status_event(uuid, text, timestamptz, text, uuid, jsonb) is
    'The one writer of a lead''s status history: places "the status became new_status at event_time" from event_source (n8n, coach, calendly, stripe; author and details recorded with it) in time order, idempotently, with the precedence of the coach''s and Stripe''s outcomes (docs/kpis.md, "Outcomes: who wins"). Returns duplicate, unchanged, applied, confirmed, recorded_late, moved_earlier or set_aside.';

revoke all on function private.place_lead_status_event(uuid, text, timestamptz, text, uuid, jsonb) from public;
grant execute on function private.place_lead_status_event(uuid, text, timestamptz, text, uuid, jsonb) to service_role;

-- n8n's entry point (public.ingest_lead) keeps its name and answers.
create or replace function private.apply_lead_status_event(target_lead uuid, new_status text, event_time timestamptz)
returns text
language sql
volatile
security invoker
set search_path = ''
as $$
    select private.place_lead_status_event(target_lead, new_status, event_time, 'n8n');
$$;

comment on function private.apply_lead_status_event(uuid, text, timestamptz) is
    'Places a status event of n8n (status, event time) in a lead''s history: private.place_lead_status_event with source n8n. Idempotent, never lets an older event overwrite the current status, and never undoes a won or lost of the coach or Stripe (set aside). Returns duplicate, unchanged, applied, recorded_late, moved_earlier or set_aside.';
