-- A lead's history with its sources (n8n, the coach, Calendly, Stripe): who wins when they disagree (docs/kpis.md).

-- The writers of outcomes (the coach's RPCs, the webhooks) stamp leads.outcome_recorded_at in the same update; any
-- other update changing an outcome field is n8n's and cannot overwrite a value the coach, Calendly or Stripe gave.
create or replace function private.keep_outcome_fields()
returns trigger
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
    if old.deal_value_source in ('coach', 'stripe') then
        new.deal_value := old.deal_value;
    elsif new.deal_value is distinct from old.deal_value then
        new.deal_value_source := case when new.deal_value is not null then 'setter' end;
    end if;
    if old.call_showed_source in ('coach', 'calendly') then
        new.call_showed := old.call_showed;
    elsif new.call_showed is distinct from old.call_showed then
        new.call_showed_source := case when new.call_showed is not null then 'setter' end;
    end if;
    if old.lost_reason_source = 'coach' then
        new.lost_reason := old.lost_reason;
    elsif new.lost_reason is distinct from old.lost_reason then
        new.lost_reason_source := case when new.lost_reason is not null then 'setter' end;
    end if;
    return new;
end;
$$;

comment on function private.keep_outcome_fields() is
    'Trigger function before an update of leads that changes deal_value, call_showed or lost_reason without stamping outcome_recorded_at (an n8n write): keeps a value the coach, Calendly or Stripe gave, else marks the new value as the setter''s.';

revoke execute on function private.keep_outcome_fields() from public;

create trigger leads_keep_outcome_fields
    before update of deal_value, call_showed, lost_reason on public.leads
    for each row
    when (new.outcome_recorded_at is not distinct from old.outcome_recorded_at
        and (new.deal_value, new.call_showed, new.lost_reason) is distinct from (old.deal_value, old.call_showed, old.lost_reason))
    execute function private.keep_outcome_fields();

comment on trigger leads_keep_outcome_fields on public.leads is
    'n8n cannot overwrite the deal value, call showed or lost reason the coach, Calendly or Stripe recorded (private.keep_outcome_fields).';

-- The rules (written once, docs/kpis.md "Outcomes: who wins when sources disagree"):
--   1. Entries are ordered by the time they happened (changed_at), not by arrival.
--   2. A decision is a status entry of the coach or Stripe to won, lost or relance (back to follow-up).
--   3. After a decision to won or lost, a status of n8n or Calendly dated later is set aside (kept in
--      public.lead_events_set_aside, not in the history), whatever order they arrive in. The coach's back to
--      follow-up ends that: later statuses of n8n apply again.
--   4. A decision replaces the contradicting outcomes before it: won sets aside earlier lost entries; lost sets aside
--      earlier won entries; back to follow-up sets aside both. A won of Stripe (a payment) is never set aside.
--   5. The same status twice counts once (every KPI counts the first time a stage is reached).
create or replace function private.lead_decision_at(target_lead uuid, at_time timestamp with time zone)
returns public.lead_status_events
language sql
stable
security invoker
set search_path = ''
as $$
    select e.*
    from public.lead_status_events as e
    where e.lead_id = target_lead
        and e.kind = 'status'
        and e.source in ('coach', 'stripe')
        and e.to_status in ('won', 'lost', 'relance')
        and e.changed_at <= at_time
    order by e.changed_at desc, e.id desc
    limit 1;
$$;

comment on function private.lead_decision_at(uuid, timestamp with time zone) is
    'The latest decision of a lead at or before at_time: a status entry of the coach or Stripe to won, lost or relance; null when none.';

revoke execute on function private.lead_decision_at(uuid, timestamp with time zone) from public;
grant execute on function private.lead_decision_at(uuid, timestamp with time zone) to service_role;

create or replace function private.lead_status_at(target_lead uuid, at_time timestamp with time zone)
returns text
language sql
stable
security invoker
set search_path = ''
as $$
    select e.to_status
    from public.lead_status_events as e
    where e.lead_id = target_lead and e.kind = 'status' and e.changed_at <= at_time
    order by e.changed_at desc, e.id desc
    limit 1;
$$;

comment on function private.lead_status_at(uuid, timestamp with time zone) is
    'The status of a lead in effect at at_time: to_status of its latest status entry at or before it (null before its first).';

revoke execute on function private.lead_status_at(uuid, timestamp with time zone) from public;
grant execute on function private.lead_status_at(uuid, timestamp with time zone) to service_role;

create or replace function private.set_aside_lead_events(event_ids bigint[], set_reason text, by_event bigint)
returns bigint[]
language sql
volatile
security invoker
set search_path = ''
as $$
    with moved as (
        delete from public.lead_status_events as e
        where e.id = any (event_ids)
        returning e.*
    ),
    kept as (
        insert into public.lead_events_set_aside (lead_id, coach_id, event_id, from_status, to_status, changed_at,
            recorded_at, source, author_id, kind, details, reason, set_aside_by)
        select m.lead_id, m.coach_id, m.id, m.from_status, m.to_status, m.changed_at, m.recorded_at, m.source,
            m.author_id, m.kind, m.details, set_reason, by_event
        from moved as m
        order by m.changed_at, m.id
        returning id
    )
    select coalesce(array_agg(k.id), '{}') from kept as k;
$$;

comment on function private.set_aside_lead_events(bigint[], text, bigint) is
    'Moves the given lead_status_events entries, whole, to public.lead_events_set_aside with the reason and the decision that took precedence. Returns their ids there.';

revoke execute on function private.set_aside_lead_events(bigint[], text, bigint) from public;
grant execute on function private.set_aside_lead_events(bigint[], text, bigint) to service_role;

create or replace function private.set_aside_arriving_status(target_lead uuid, new_status text, event_time timestamp with time zone, event_source text, event_details jsonb, decision_id bigint)
returns text
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
    if exists (
        select 1 from public.lead_events_set_aside as a
        where a.lead_id = target_lead and a.kind = 'status' and a.source = event_source
            and a.to_status = new_status and a.changed_at = event_time
    ) then
        return 'duplicate';
    end if;
    insert into public.lead_events_set_aside (lead_id, coach_id, from_status, to_status, changed_at, recorded_at,
        source, kind, details, reason, set_aside_by)
    select l.id, l.coach_id, private.lead_status_at(target_lead, event_time), new_status, event_time, now(),
        event_source, 'status', event_details, 'after_outcome', decision_id
    from public.leads as l
    where l.id = target_lead;
    return 'set_aside';
end;
$$;

comment on function private.set_aside_arriving_status(uuid, text, timestamp with time zone, text, jsonb, bigint) is
    'Keeps a status of n8n or Calendly dated after a won or lost decision in public.lead_events_set_aside (reason after_outcome) instead of the history. Returns set_aside, or duplicate when the same entry was already set aside.';

revoke execute on function private.set_aside_arriving_status(uuid, text, timestamp with time zone, text, jsonb, bigint) from public;
grant execute on function private.set_aside_arriving_status(uuid, text, timestamp with time zone, text, jsonb, bigint) to service_role;

create or replace function private.normalize_lead_history(target_lead uuid)
returns void
language sql
volatile
security invoker
set search_path = ''
as $$
    with ordered as (
        select e.id, e.kind, e.from_status, e.to_status,
            count(*) filter (where e.kind = 'status') over (
                order by e.changed_at, e.id rows between unbounded preceding and current row) as grp
        from public.lead_status_events as e
        where e.lead_id = target_lead
    ),
    statuses as (
        select o.grp, o.to_status, lag(o.to_status) over (order by o.grp) as previous
        from ordered as o
        where o.kind = 'status'
    ),
    expected as (
        select o.id,
            case when o.kind = 'status' then coalesce(s.previous, o.from_status) else s.to_status end as from_status,
            case when o.kind = 'status' then o.to_status else s.to_status end as to_status
        from ordered as o
        join statuses as s on s.grp = o.grp
    )
    update public.lead_status_events as e
    set from_status = x.from_status, to_status = x.to_status
    from expected as x
    where e.id = x.id and (e.from_status, e.to_status) is distinct from (x.from_status, x.to_status);
$$;

comment on function private.normalize_lead_history(uuid) is
    'Makes a lead''s history consistent after entries were set aside or inserted late: from_status of each status entry = the status before it; from_status = to_status of every other entry = the status in effect at its time.';

revoke execute on function private.normalize_lead_history(uuid) from public;
grant execute on function private.normalize_lead_history(uuid) to service_role;

create or replace function private.set_aside_after_decision(target_lead uuid, event_time timestamp with time zone)
returns bigint[]
language sql
volatile
security invoker
set search_path = ''
as $$
    select private.set_aside_lead_events(array(
        select e.id from public.lead_status_events as e
        where e.lead_id = target_lead
            and e.kind = 'status'
            and e.source in ('n8n', 'calendly')
            and e.changed_at > event_time
            and e.changed_at < coalesce((
                select min(d.changed_at) from public.lead_status_events as d
                where d.lead_id = target_lead and d.kind = 'status' and d.source in ('coach', 'stripe')
                    and d.to_status in ('won', 'lost', 'relance') and d.changed_at > event_time
            ), 'infinity')
    ), 'after_outcome', null);
$$;

comment on function private.set_aside_after_decision(uuid, timestamp with time zone) is
    'For a won or lost decision at event_time: sets aside the status entries of n8n and Calendly dated after it and before the next decision (rule 3). Returns their ids in public.lead_events_set_aside.';

revoke execute on function private.set_aside_after_decision(uuid, timestamp with time zone) from public;
grant execute on function private.set_aside_after_decision(uuid, timestamp with time zone) to service_role;

create or replace function private.set_aside_replaced_outcomes(target_lead uuid, decision public.lead_status_events)
returns bigint[]
language sql
volatile
security invoker
set search_path = ''
as $$
    select private.set_aside_lead_events(array(
        select e.id from public.lead_status_events as e
        where e.lead_id = target_lead
            and e.kind = 'status'
            and e.id <> decision.id
            and e.changed_at <= decision.changed_at
            and (
                (e.to_status = 'lost' and decision.to_status in ('won', 'relance'))
                or (e.to_status = 'won' and e.source <> 'stripe' and decision.to_status in ('lost', 'relance'))
            )
    ), 'replaced_by_outcome', decision.id);
$$;

comment on function private.set_aside_replaced_outcomes(uuid, public.lead_status_events) is
    'For a decision: sets aside the status entries at or before it that it replaces (rule 4): lost ones for won or back to follow-up, won ones (not Stripe''s) for lost or back to follow-up. Returns their ids in public.lead_events_set_aside.';

revoke execute on function private.set_aside_replaced_outcomes(uuid, public.lead_status_events) from public;
grant execute on function private.set_aside_replaced_outcomes(uuid, public.lead_status_events) to service_role;

create or replace function private.place_lead_status_event(target_lead uuid, new_status text, event_time timestamp with time zone, event_source text, author uuid default null::uuid, event_details jsonb default null::jsonb)
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

comment on function private.place_lead_status_event(uuid, text, timestamp with time zone, text, uuid, jsonb) is
    'The one writer of a lead''s status history: places "the status became new_status at event_time" from event_source (n8n, coach, calendly, stripe; author and details recorded with it) in time order, idempotently, with the precedence of the coach''s and Stripe''s outcomes (docs/kpis.md, "Outcomes: who wins"). Returns duplicate, unchanged, applied, confirmed, recorded_late, moved_earlier or set_aside.';

revoke execute on function private.place_lead_status_event(uuid, text, timestamp with time zone, text, uuid, jsonb) from public;
grant execute on function private.place_lead_status_event(uuid, text, timestamp with time zone, text, uuid, jsonb) to service_role;
