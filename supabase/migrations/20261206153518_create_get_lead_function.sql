-- Purpose: public.get_lead, one lead as one JSON document (profile, outcome, conversation page, history with sources, entries set aside, notes, payments, webhook events), and public.get_lead_messages for the older pages of its conversation.

set lock_timeout = '500ms';

-- The lead a read is about, when the caller may read it: its coach, an admin (app_metadata), or a trusted role
-- (service_role, the owner). 22004 no id, PT404 no such lead, 42501 another coach's lead.
create or replace function private.readable_lead(target_lead uuid)
returns public.leads
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    lead public.leads;
begin
    if target_lead is null then
        raise exception 'lead_id is required' using errcode = '22004';
    end if;
    select l.* into lead from public.leads as l where l.id = target_lead;
    if lead.id is null then
        raise exception 'lead not found' using errcode = 'PT404';
    end if;
    if coalesce(nullif(current_setting('role', true), ''), 'none') in ('anon', 'authenticated')
        and lead.coach_id is distinct from auth.uid()
        and not public.is_admin() then
        raise exception 'permission denied: a coach can only read its own leads' using errcode = '42501';
    end if;
    return lead;
end;
$$;

comment on function private.readable_lead(uuid) is
    'The lead when the caller may read it (its coach, an admin, service_role), else raises: 22004 no lead id, PT404 no such lead (HTTP 404), 42501 another coach''s lead.';

-- One page of a conversation, oldest first: the page_size messages before a message (the latest without one).
-- An inbound message is unanswered when no outbound message came after it; an outbound one, when the lead never
-- answered it (is_replied).
create or replace function private.lead_messages_page(lead public.leads, before_message uuid, page_size integer)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
    with cursor_row as (
        select m.created_at, m.id from public.messages as m
        where m.id = before_message and m.lead_id = lead.id and m.coach_id = lead.coach_id
    ),
    last_out as (
        select max(m.created_at) as at from public.messages as m
        where m.lead_id = lead.id and m.coach_id = lead.coach_id and m.direction = 'out'
    ),
    page as (
        select m.* from public.messages as m
        where m.lead_id = lead.id and m.coach_id = lead.coach_id
            and (before_message is null
                or exists (select 1 from cursor_row as c where (m.created_at, m.id) < (c.created_at, c.id)))
        order by m.created_at desc, m.id desc
        limit page_size + 1
    ),
    numbered as (
        select p.*, row_number() over (order by p.created_at desc, p.id desc) as n from page as p
    )
    select jsonb_build_object(
        'items', coalesce(jsonb_agg(jsonb_build_object(
                'id', x.id,
                'direction', x.direction,
                'text', x.text,
                'created_at', x.created_at,
                'message_number', x.message_number,
                'is_replied', x.is_replied,
                'replied_at', x.replied_at,
                'unanswered', case when x.direction = 'in' then x.created_at > coalesce(o.at, '-infinity')
                    else not x.is_replied end)
            order by x.created_at, x.id) filter (where x.n <= page_size), '[]'::jsonb),
        'has_more', count(*) > page_size)
    from numbered as x
    cross join last_out as o;
$$;

comment on function private.lead_messages_page(public.leads, uuid, integer) is
    'A page of a lead''s conversation as get_lead returns it: {items: [{id, direction, text, created_at, message_number, is_replied, replied_at, unanswered}] oldest first, has_more}; the page_size messages before before_message (the latest when null).';

create or replace function private.lead_profile_json(lead public.leads)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
    select jsonb_build_object(
        'id', lead.id,
        'coach_id', lead.coach_id,
        'user_id_instagram', lead.user_id_instagram,
        'contact_id', lead.contact_id,
        'instagram_username', lead.instagram_username,
        'first_name', lead.first_name,
        'last_name', lead.last_name,
        'email', lead.email,
        'age', lead.age,
        'gender', lead.gender,
        'job_title', lead.job_title,
        'source', lead.source,
        'created_at', lead.created_at,
        'last_contact_at', lead.last_contact_at,
        'total_messages_sent', lead.total_messages_sent,
        'total_messages_received', lead.total_messages_received,
        'time_to_action_minutes', lead.time_to_action_minutes,
        'lead_magnet_sent_at', lead.lead_magnet_sent_at)
        || private.lead_outcome_json(lead.id);
$$;

comment on function private.lead_profile_json(public.leads) is
    'The lead part of get_lead: the profile the setter extracted and its outcome fields with their sources (LeadDocument.lead in web/src/lead-types.ts).';

-- The history with its sources, and the entries set aside, oldest first.
create or replace function private.lead_history_json(lead public.leads)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
    select jsonb_build_object(
        'status_events', coalesce((
            select jsonb_agg(jsonb_build_object(
                    'id', e.id, 'kind', e.kind, 'from_status', e.from_status, 'to_status', e.to_status,
                    'changed_at', e.changed_at, 'recorded_at', e.recorded_at, 'source', e.source,
                    'author_id', e.author_id, 'details', e.details)
                order by e.changed_at, e.id)
            from public.lead_status_events as e
            where e.lead_id = lead.id and e.coach_id = lead.coach_id), '[]'::jsonb),
        'set_aside', coalesce((
            select jsonb_agg(jsonb_build_object(
                    'id', a.id, 'event_id', a.event_id, 'kind', a.kind, 'from_status', a.from_status,
                    'to_status', a.to_status, 'changed_at', a.changed_at, 'source', a.source,
                    'author_id', a.author_id, 'details', a.details, 'set_aside_at', a.set_aside_at,
                    'reason', a.reason, 'set_aside_by', a.set_aside_by)
                order by a.changed_at, a.id)
            from public.lead_events_set_aside as a
            where a.lead_id = lead.id), '[]'::jsonb));
$$;

comment on function private.lead_history_json(public.leads) is
    'The history part of get_lead: status_events (every entry with kind, statuses, time, source, author, details) and set_aside (entries an outcome took precedence over, with why), oldest first.';

-- Notes, payments and webhook events of the lead.
create or replace function private.lead_records_json(lead public.leads)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
    select jsonb_build_object(
        'notes', coalesce((
            select jsonb_agg(private.lead_note_json(n) order by n.created_at, n.id)
            from public.lead_notes as n
            where n.lead_id = lead.id), '[]'::jsonb),
        'payments', coalesce((
            select jsonb_agg(jsonb_build_object(
                    'payment_ref', p.payment_ref, 'amount_minor', p.amount_minor,
                    'refunded_minor', p.refunded_minor, 'currency', p.currency, 'paid_at', p.paid_at)
                order by p.paid_at, p.id)
            from public.lead_payments as p
            where p.lead_id = lead.id), '[]'::jsonb),
        'provider_events', coalesce((
            select jsonb_agg(jsonb_build_object(
                    'id', v.id, 'provider', v.provider, 'event_type', v.event_type,
                    'occurred_at', v.occurred_at, 'matched_by', v.matched_by)
                order by v.occurred_at, v.id)
            from public.provider_events as v
            where v.lead_id = lead.id), '[]'::jsonb));
$$;

comment on function private.lead_records_json(public.leads) is
    'The notes, payments (amounts in the currency''s smallest unit) and webhook events of a lead, for get_lead.';

create or replace function private.lead_document(target_lead uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    lead constant public.leads := private.readable_lead(target_lead);
begin
    return jsonb_build_object(
            'lead', private.lead_profile_json(lead),
            'coach', (select jsonb_build_object('id', c.id, 'name', c.name, 'timezone', c.timezone, 'currency', s.currency)
                from public.coachs as c left join public.coach_settings as s on s.coach_id = c.id
                where c.id = lead.coach_id),
            'messages', private.lead_messages_page(lead, null, 100))
        || private.lead_history_json(lead)
        || private.lead_records_json(lead);
end;
$$;

comment on function private.lead_document(uuid) is
    'The document of public.get_lead. Security definer: checks the caller (private.readable_lead).';

create or replace function private.lead_messages(target_lead uuid, before_message uuid, page_size integer)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    lead constant public.leads := private.readable_lead(target_lead);
begin
    if page_size is null or page_size not between 1 and 500 then
        raise exception using errcode = '22023', message = 'invalid field "page_size": must be 1 to 500',
            detail = 'got ' || coalesce(page_size::text, 'null');
    end if;
    if before_message is not null and not exists (
        select 1 from public.messages as m where m.id = before_message and m.lead_id = lead.id
    ) then
        raise exception using errcode = '22023', message = 'invalid field "before": not a message of this lead';
    end if;
    return private.lead_messages_page(lead, before_message, page_size);
end;
$$;

comment on function private.lead_messages(uuid, uuid, integer) is
    'The page of public.get_lead_messages. Security definer: checks the caller (private.readable_lead).';

revoke all on function private.readable_lead(uuid) from public;
revoke all on function private.lead_messages_page(public.leads, uuid, integer) from public;
revoke all on function private.lead_profile_json(public.leads) from public;
revoke all on function private.lead_history_json(public.leads) from public;
revoke all on function private.lead_records_json(public.leads) from public;
revoke all on function private.lead_document(uuid) from public, anon;
revoke all on function private.lead_messages(uuid, uuid, integer) from public, anon;
grant execute on function private.lead_document(uuid) to authenticated, service_role;
grant execute on function private.lead_messages(uuid, uuid, integer) to authenticated, service_role;

create or replace function public.get_lead(lead_id uuid)
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select private.lead_document(get_lead.lead_id);
end;

create or replace function public.get_lead_messages(lead_id uuid, before uuid default null, page_size integer default 100)
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select private.lead_messages(get_lead_messages.lead_id, get_lead_messages.before, get_lead_messages.page_size);
end;

comment on function public.get_lead(uuid) is
    'One lead as one JSON document (LeadDocument in web/src/lead-types.ts): lead (profile, status, outcome fields with their sources), coach (name, time zone, currency), messages (the latest 100, oldest first, with DM number and unanswered; has_more: older pages from get_lead_messages), status_events (the history with kind, source, author and details), set_aside (entries an outcome of the coach or Stripe took precedence over), notes, payments, provider_events. A coach reads its own leads, an admin any (read-only), service_role any. Errors: 22004 no lead id, 42501 another coach''s lead (403), PT404 no such lead (404).';
comment on function public.get_lead_messages(uuid, uuid, integer) is
    'An older page of a lead''s conversation: the page_size (1 to 500, default 100) messages before the message before (the latest when null), oldest first: {items, has_more}. Errors: 22023 a bad page_size or a before that is not a message of this lead; then as get_lead.';

revoke execute on function public.get_lead(uuid) from public, anon;
revoke execute on function public.get_lead_messages(uuid, uuid, integer) from public, anon;
grant execute on function public.get_lead(uuid) to authenticated, service_role;
grant execute on function public.get_lead_messages(uuid, uuid, integer) to authenticated, service_role;
