-- Purpose: the coach's "à rattacher": public.get_unmatched_provider_events lists the payments and bookings that matched no lead, public.attach_provider_event attaches one to a lead in one step.

set lock_timeout = '500ms';

-- One row per payment or booking (subject) none of whose events has a lead, latest first, with what the coach
-- needs to recognise it.
create or replace function private.unmatched_provider_events(coach_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
    select coalesce(jsonb_agg(x.item order by x.occurred_at desc, x.id desc), '[]'::jsonb)
    from (
        select distinct on (v.provider, v.subject_ref) v.id, v.occurred_at,
            jsonb_build_object(
                'event_id', v.id,
                'provider', v.provider,
                'event_type', v.event_type,
                'subject_ref', v.subject_ref,
                'occurred_at', v.occurred_at,
                'email', coalesce(o -> 'customer_details' ->> 'email', o ->> 'customer_email',
                    o -> 'billing_details' ->> 'email', o ->> 'receipt_email', o ->> 'email'),
                'name', coalesce(o ->> 'name', o -> 'customer_details' ->> 'name', o -> 'billing_details' ->> 'name'),
                'amount_minor', coalesce(o ->> 'amount_received', o ->> 'amount_total', o ->> 'amount')::bigint,
                'currency', upper(o ->> 'currency'),
                'start_time', o -> 'scheduled_event' ->> 'start_time') as item
        from public.provider_events as v
        cross join lateral (select coalesce(v.payload -> 'data' -> 'object', v.payload -> 'payload') as o) as p (o)
        where v.coach_id = private.check_coach_access(unmatched_provider_events.coach_id)
            and v.lead_id is null
            and not exists (
                select 1 from public.provider_events as m
                where m.coach_id = v.coach_id and m.provider = v.provider and m.subject_ref = v.subject_ref
                    and m.lead_id is not null)
        order by v.provider, v.subject_ref, v.occurred_at desc, v.id desc
    ) as x;
$$;

comment on function private.unmatched_provider_events(uuid) is
    'The document of public.get_unmatched_provider_events. Security definer: checks the caller (private.check_coach_access).';

-- Attaching: every event of the payment or booking gets the lead (matched_by coach), then is applied.
create or replace function private.attach_event_to_lead(target_event bigint, target_lead uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    lead public.leads := private.outcome_lead(target_lead);
    event public.provider_events;
    attached public.provider_events;
begin
    if target_event is null then
        raise exception 'event_id is required' using errcode = '22004';
    end if;
    select v.* into event from public.provider_events as v where v.id = target_event for update;
    if event.id is null then
        raise exception 'event not found' using errcode = 'PT404';
    end if;
    if event.coach_id <> lead.coach_id then
        raise exception 'permission denied: this event belongs to another coach' using errcode = '42501';
    end if;
    if exists (
        select 1 from public.provider_events as m
        where m.coach_id = event.coach_id and m.provider = event.provider and m.subject_ref = event.subject_ref
            and m.lead_id is not null
    ) then
        raise exception using errcode = '22023', message = 'invalid field "event_id": already attached to a lead';
    end if;
    for attached in
        update public.provider_events as v
        set lead_id = lead.id, matched_by = 'coach', attached_by = auth.uid(), attached_at = now()
        where v.coach_id = event.coach_id and v.provider = event.provider and v.subject_ref = event.subject_ref
        returning v.*
    loop
        if attached.provider = 'calendly' then
            perform private.apply_calendly_event(attached);
        end if;
    end loop;
    if event.provider = 'stripe' then
        perform private.settle_stripe_payment(event.coach_id, event.subject_ref);
    end if;
    return private.lead_outcome_json(lead.id);
end;
$$;

comment on function private.attach_event_to_lead(bigint, uuid) is
    'Attaches an unmatched webhook event, with every event of its payment or booking, to one of the signed-in coach''s leads (matched_by coach) and applies them. Security definer: checks the caller (private.outcome_lead; 22004, PT404 no such event, 42501 another coach''s event, 22023 already attached).';

revoke all on function private.unmatched_provider_events(uuid) from public, anon;
revoke all on function private.attach_event_to_lead(bigint, uuid) from public, anon;
grant execute on function private.unmatched_provider_events(uuid) to authenticated, service_role;
grant execute on function private.attach_event_to_lead(bigint, uuid) to authenticated;

create or replace function public.get_unmatched_provider_events(coach_id uuid default auth.uid())
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select private.unmatched_provider_events(get_unmatched_provider_events.coach_id);
end;

create or replace function public.attach_provider_event(event_id bigint, lead_id uuid)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.attach_event_to_lead(attach_provider_event.event_id, attach_provider_event.lead_id);
end;

comment on function public.get_unmatched_provider_events(uuid) is
    'The coach''s "à rattacher" (default: the caller''s): the Stripe payments and Calendly bookings that matched no lead, one per payment or booking, latest first: [{event_id, provider, event_type, subject_ref, occurred_at, email, name, amount_minor, currency, start_time}]. Errors: 42501 another coach''s id (admins may read any), 22004 no coach id, PT404 unknown coach.';
comment on function public.attach_provider_event(bigint, uuid) is
    'The signed-in coach attaches an unmatched Stripe or Calendly event (and every event of its payment or booking) to one of its leads, which then gets the payment or the booking as if it had matched. Returns the lead''s outcome. Errors: 22023 ''invalid field "event_id": already attached to a lead'', 22004 no id, 42501 not a signed-in coach, another coach''s lead or event (403), PT404 no such lead or event (404).';

revoke execute on function public.get_unmatched_provider_events(uuid) from public, anon;
revoke execute on function public.attach_provider_event(bigint, uuid) from public, anon, service_role;
grant execute on function public.get_unmatched_provider_events(uuid) to authenticated, service_role;
grant execute on function public.attach_provider_event(bigint, uuid) to authenticated;
