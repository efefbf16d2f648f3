-- Purpose: private functions that find-or-create the lead of an ingested event and place a status event in its history in time order.

-- Finds the lead of an event by its Instagram id, creating it (status new at first_seen) when unknown, and locks it
-- so every event of one lead is applied one after the other (the same FOR NO KEY UPDATE lock the message triggers
-- take). A lead of another coach is refused. When the event is older than the lead's created_at (a late delivery),
-- created_at and the lead's initial "new" event move back to it: a lead is new from the earliest thing known of it,
-- whatever order the events arrive in.
create or replace function private.ingest_lead_row(
    coach uuid,
    instagram_id text,
    first_seen timestamptz,
    out lead_id uuid,
    out created boolean
)
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    owner uuid;
    known_since timestamptz;
begin
    insert into public.leads (coach_id, user_id_instagram, created_at, status, status_changed_at)
    values (coach, instagram_id, coalesce(first_seen, now()), 'new', coalesce(first_seen, now()))
    on conflict (user_id_instagram) do nothing
    returning id into lead_id;
    created := lead_id is not null;

    select l.id, l.coach_id, l.created_at
    into lead_id, owner, known_since
    from public.leads as l
    where l.user_id_instagram = instagram_id
    for no key update;

    if owner is distinct from coach then
        raise exception using
            errcode = 'P0001',
            message = format('invalid field "user_id_instagram": lead %s belongs to another coach', instagram_id),
            hint = 'An Instagram user id identifies one lead of one coach; check the coach_id of the workflow.';
    end if;

    if first_seen < known_since then
        update public.lead_status_events as e
        set changed_at = first_seen
        where e.id = (
                select f.id from public.lead_status_events as f
                where f.lead_id = ingest_lead_row.lead_id
                order by f.changed_at, f.id
                limit 1
            )
            and e.from_status is null
            and e.to_status = 'new'
            and e.changed_at = known_since;
        update public.leads as l
        set created_at = first_seen,
            status_changed_at = case
                when l.status = 'new' and l.status_changed_at = known_since then first_seen
                else l.status_changed_at
            end
        where l.id = ingest_lead_row.lead_id;
    end if;
end;
$$;

comment on function private.ingest_lead_row(uuid, text, timestamptz) is
    'Finds (or creates, status new) the lead of coach with this Instagram id, locks it, refuses a lead of another coach (P0001), and moves created_at and the initial new event back to first_seen when the event is older.';

-- Places the event "the lead's status became new_status at event_time" in the lead's history, so that any
-- delivery order ends with the same history and current status as delivery in time order:
--   * the same event again (same status and time) changes nothing;
--   * the lead already had that status at that time (previous event has it) changes nothing;
--   * the newest event sets leads.status (the triggers record it in lead_status_events with the event time);
--   * an older event arriving late is inserted into the history at its time and never overwrites the current
--     status; the event after it gets it as from_status;
--   * when the next event has the same status, that status actually began earlier: that event moves back to
--     event_time (and leads.status_changed_at with it when it is the current one).
-- Returns what was done: duplicate, unchanged, applied, recorded_late or moved_earlier.
create or replace function private.apply_lead_status_event(target_lead uuid, new_status text, event_time timestamptz)
returns text
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    coach uuid;
    current_status text;
    current_since timestamptz;
    previous_status text;
    next_event record;
begin
    select l.coach_id, l.status, l.status_changed_at into coach, current_status, current_since
    from public.leads as l
    where l.id = target_lead
    for no key update;

    if exists (
        select 1 from public.lead_status_events as e
        where e.lead_id = target_lead and e.to_status = new_status and e.changed_at = event_time
    ) then
        return 'duplicate';
    end if;

    select e.to_status into previous_status
    from public.lead_status_events as e
    where e.lead_id = target_lead and e.changed_at <= event_time
    order by e.changed_at desc, e.id desc
    limit 1;

    if previous_status = new_status then
        return 'unchanged';
    end if;

    select e.id, e.to_status, e.changed_at into next_event
    from public.lead_status_events as e
    where e.lead_id = target_lead and e.changed_at > event_time
    order by e.changed_at, e.id
    limit 1;

    if next_event.id is null then
        if current_status = new_status then
            return 'unchanged';
        end if;
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
        return 'applied';
    end if;

    if next_event.to_status = new_status then
        -- delete + insert (not update) so the call-milestone trigger on insert sees the earlier time
        delete from public.lead_status_events as e where e.id = next_event.id;
        insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at)
        values (target_lead, coach, previous_status, new_status, event_time);
        update public.leads as l
        set status_changed_at = event_time
        where l.id = target_lead and l.status = new_status and l.status_changed_at = next_event.changed_at;
        return 'moved_earlier';
    end if;

    insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at)
    values (target_lead, coach, previous_status, new_status, event_time);
    update public.lead_status_events as e
    set from_status = new_status
    where e.id = next_event.id;
    return 'recorded_late';
end;
$$;

comment on function private.apply_lead_status_event(uuid, text, timestamptz) is
    'Places a status event (status, event time) in a lead''s history in time order: idempotent, never lets an older event overwrite the current status. Returns duplicate, unchanged, applied, recorded_late or moved_earlier.';
