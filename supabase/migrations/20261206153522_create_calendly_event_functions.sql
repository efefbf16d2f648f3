-- Purpose: Calendly's verified webhook events (invitee.created, invitee.canceled, invitee_no_show.created / .deleted) become call booked, back to call proposed, no-show and its undo, with the meeting's time: kept once per event, any delivery order giving the same lead.

set lock_timeout = '500ms';

-- What one Calendly event says. Calendly sends no event id: an event is its name and the uri of what it is about
-- (the invitee, or the no-show for no-show events). The invitee is the subject shared by a booking's events.
create or replace function private.calendly_event_fields(event jsonb)
returns table (event_key text, subject text, occurred_at timestamptz, refs text[], emails text[], handles text[])
language sql
immutable
security invoker
set search_path = ''
as $$
    select
        (event ->> 'event') || ':' || coalesce(p -> 'no_show' ->> 'uri', p ->> 'uri'),
        coalesce(case when p ->> 'uri' like '%/invitees/%' then p ->> 'uri' end, p ->> 'invitee', p -> 'invitee' ->> 'uri'),
        coalesce(
            case event ->> 'event'
                when 'invitee.created' then p ->> 'created_at'
                when 'invitee.canceled' then p -> 'cancellation' ->> 'created_at'
                when 'invitee_no_show.created' then p -> 'no_show' ->> 'created_at'
            end,
            event ->> 'created_at')::timestamptz,
        array_remove(array[p -> 'tracking' ->> 'utm_content'], null),
        array_remove(array[p ->> 'email'], null),
        array(select qa ->> 'answer' from jsonb_array_elements(coalesce(p -> 'questions_and_answers', '[]')) as qa
            where qa ->> 'answer' is not null)
    from (select event -> 'payload' as p) as x;
$$;

comment on function private.calendly_event_fields(jsonb) is
    'The fields of a Calendly webhook event that matter here: event_key (event name and the uri of the invitee or no-show: Calendly sends no event id), subject (the invitee uri), occurred_at (invitee created, cancellation or no-show time, else the event''s created_at), lead references (tracking.utm_content), emails (the invitee''s), handles (every answer of the booking form).';

-- The meeting time of a lead: the start of its latest booking (by time) that was not cancelled; null when every
-- booking was cancelled. Leads without Calendly bookings keep theirs.
create or replace function private.derive_call_at(target_lead uuid)
returns void
language sql
volatile
security invoker
set search_path = ''
as $$
    update public.leads as l
    set call_at = x.start_time, outcome_recorded_at = clock_timestamp()
    from (
        select (
            select (b.payload -> 'payload' -> 'scheduled_event' ->> 'start_time')::timestamptz
            from public.provider_events as b
            where b.lead_id = target_lead and b.provider = 'calendly' and b.event_type = 'invitee.created'
                and not exists (
                    select 1 from public.provider_events as c
                    where c.coach_id = b.coach_id and c.provider = 'calendly' and c.subject_ref = b.subject_ref
                        and c.event_type = 'invitee.canceled')
            order by b.occurred_at desc, b.id desc
            limit 1) as start_time
    ) as x
    where l.id = target_lead
        and exists (select 1 from public.provider_events as v where v.lead_id = target_lead and v.provider = 'calendly')
        and l.call_at is distinct from x.start_time;
$$;

comment on function private.derive_call_at(uuid) is
    'Sets leads.call_at to the start of the lead''s latest Calendly booking not cancelled (null when all were), from the stored events: the same whatever order they arrived in.';

-- One Calendly event applied to its lead. Idempotent (a status already placed is a duplicate, an entry is written
-- once per event key): applying an event again, or its booking's events in any order, gives the same lead.
create or replace function private.apply_calendly_event(v public.provider_events)
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    p constant jsonb := v.payload -> 'payload';
    entry jsonb := jsonb_build_object('event_key', v.event_key);
    result text;
    lead public.leads;
begin
    if v.lead_id is null then
        return;
    end if;
    if v.event_type = 'invitee.created' then
        result := private.place_lead_status_event(v.lead_id, 'call_booked', v.occurred_at, 'calendly', null,
            entry || jsonb_build_object('start_time', p -> 'scheduled_event' ->> 'start_time'));
        if result = 'unchanged' then
            entry := entry || jsonb_build_object('start_time', p -> 'scheduled_event' ->> 'start_time');
        end if;
    elsif v.event_type = 'invitee.canceled' and coalesce((p ->> 'rescheduled')::boolean, false) is false then
        -- a reschedule cancels the old booking and books the new one: only a plain cancellation reopens the call
        perform private.place_lead_status_event(v.lead_id, 'call_proposed', v.occurred_at, 'calendly', null, entry);
    end if;
    if v.event_type in ('invitee_no_show.created', 'invitee_no_show.deleted')
        or (v.event_type = 'invitee.created' and result = 'unchanged') then
        select l.* into lead from public.leads as l where l.id = v.lead_id for no key update;
        insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at, source, kind, details)
        select lead.id, lead.coach_id, lead.status, lead.status, v.occurred_at, 'calendly',
            case v.event_type when 'invitee_no_show.created' then 'call_no_show'
                when 'invitee_no_show.deleted' then 'call_no_show_undone' else 'call_scheduled' end,
            entry
        where not exists (
            select 1 from public.lead_status_events as e
            where e.lead_id = lead.id and e.source = 'calendly' and e.details ->> 'event_key' = v.event_key);
        perform private.normalize_lead_history(lead.id);
        perform private.derive_call_showed(lead.id);
    end if;
    perform private.derive_call_at(v.lead_id);
end;
$$;

comment on function private.apply_calendly_event(public.provider_events) is
    'Applies a stored Calendly event to its lead: invitee.created places call_booked (source calendly, at the booking time; a lead already past it gets a call_scheduled entry), a plain invitee.canceled places call_proposed (a reschedule does not), invitee_no_show.created / .deleted add call_no_show / call_no_show_undone entries and recompute call_showed; then the meeting time. Idempotent.';

-- The entry point of the calendly-webhook function (its signature already verified).
create or replace function private.receive_calendly_event(coach uuid, event jsonb)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    fields record;
    match record;
    stored public.provider_events;
    earlier public.provider_events;
begin
    if not exists (select 1 from public.coachs as c where c.id = coach) then
        raise exception 'coach not found' using errcode = 'PT404';
    end if;
    if jsonb_typeof(event) is distinct from 'object' or jsonb_typeof(event -> 'payload') is distinct from 'object'
        or event ->> 'event' is null or event ->> 'created_at' is null then
        raise exception using errcode = '22023', message = 'invalid field "event": not a Calendly webhook event (event, created_at, payload)';
    end if;
    if event ->> 'event' not in ('invitee.created', 'invitee.canceled', 'invitee_no_show.created', 'invitee_no_show.deleted') then
        return jsonb_build_object('status', 'ignored', 'type', event ->> 'event');
    end if;
    select * into fields from private.calendly_event_fields(event);
    if fields.subject is null or fields.event_key is null then
        raise exception using errcode = '22023', message = 'invalid field "payload": no invitee uri';
    end if;
    -- the booking's lead, when an earlier event of it was matched or attached
    select v.lead_id, v.matched_by into match
    from public.provider_events as v
    where v.coach_id = coach and v.provider = 'calendly' and v.subject_ref = fields.subject and v.lead_id is not null
    order by v.occurred_at, v.id
    limit 1;
    if match.lead_id is null then
        select * into match from private.provider_match(coach, fields.refs, fields.emails, fields.handles, null);
    end if;
    insert into public.provider_events (coach_id, provider, event_key, event_type, subject_ref, occurred_at, payload,
        lead_id, matched_by)
    values (coach, 'calendly', fields.event_key, event ->> 'event', fields.subject, fields.occurred_at, event,
        match.lead_id, match.matched_by)
    on conflict (coach_id, provider, event_key) do nothing
    returning * into stored;
    if stored.id is null then
        return jsonb_build_object('status', 'duplicate', 'event_key', fields.event_key);
    end if;
    perform private.apply_calendly_event(stored);
    -- events of the booking that came before and matched nothing now have its lead (the no-show events carry no
    -- email)
    for earlier in
        update public.provider_events as u
        set lead_id = stored.lead_id, matched_by = stored.matched_by
        where u.coach_id = coach and u.provider = 'calendly' and u.subject_ref = fields.subject
            and u.lead_id is null and stored.lead_id is not null
        returning u.*
    loop
        perform private.apply_calendly_event(earlier);
    end loop;
    return jsonb_build_object('status', 'recorded', 'event_id', stored.id, 'lead_id', stored.lead_id,
        'matched_by', stored.matched_by);
end;
$$;

comment on function private.receive_calendly_event(uuid, jsonb) is
    'Records a verified Calendly event for a coach (the calendly-webhook function calls it after checking the signature): invitee.created, invitee.canceled, invitee_no_show.created and .deleted are kept once per event (name + uri: a replay answers duplicate and writes nothing), matched to a lead (the booking''s earlier events, then tracking.utm_content = lead id, the invitee''s email, an answer naming the lead''s Instagram handle) or kept unmatched, and applied. Other events answer ignored. Returns {status: recorded|duplicate|ignored, event_id, lead_id, matched_by}. Errors: PT404 unknown coach, 22023 not a Calendly event.';

revoke all on function private.calendly_event_fields(jsonb) from public;
revoke all on function private.derive_call_at(uuid) from public;
revoke all on function private.apply_calendly_event(public.provider_events) from public;
revoke all on function private.receive_calendly_event(uuid, jsonb) from public, anon, authenticated;
