-- The coach records outcomes: one RPC per intent over private definers that check the caller.

create or replace function private.outcome_lead(target_lead uuid)
returns public.leads
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    lead public.leads;
begin
    if target_lead is null then
        raise exception 'lead_id is required' using errcode = '22004';
    end if;
    if auth.uid() is null or not exists (select 1 from public.coachs as c where c.id = auth.uid()) then
        raise exception 'permission denied: only a signed-in coach can record outcomes' using errcode = '42501';
    end if;
    select l.* into lead from public.leads as l where l.id = target_lead for no key update;
    if lead.id is null then
        raise exception 'lead not found' using errcode = 'PT404';
    end if;
    if lead.coach_id <> auth.uid() then
        raise exception 'permission denied: this lead belongs to another coach' using errcode = '42501';
    end if;
    return lead;
end;
$$;

comment on function private.outcome_lead(uuid) is
    'The lead (locked) that the signed-in coach records an outcome on. Errors: 22004 no lead id; 42501 the caller is not a signed-in coach (admins are read-only) or the lead is another coach''s; PT404 no such lead (HTTP 404).';

revoke execute on function private.outcome_lead(uuid) from public;

create or replace function private.lead_outcome_json(target_lead uuid)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
    select jsonb_build_object(
        'lead_id', l.id,
        'status', l.status,
        'status_changed_at', l.status_changed_at,
        'call_at', l.call_at,
        'call_showed', l.call_showed,
        'call_showed_source', l.call_showed_source,
        'deal_value', l.deal_value,
        'deal_value_source', l.deal_value_source,
        'payment_plan', l.payment_plan,
        'instalment_count', l.instalment_count,
        'lost_reason', l.lost_reason,
        'lost_reason_source', l.lost_reason_source,
        'followed_up_at', l.followed_up_at,
        'outcome_recorded_at', l.outcome_recorded_at)
    from public.leads as l
    where l.id = target_lead;
$$;

comment on function private.lead_outcome_json(uuid) is
    'A lead''s status and outcome fields with their sources, as the outcome RPCs and get_lead return them (LeadOutcome in web/src/lead-types.ts).';

revoke execute on function private.lead_outcome_json(uuid) from public;

create or replace function private.derive_call_showed(target_lead uuid)
returns void
language sql
volatile
security invoker
set search_path = ''
as $$
    update public.leads as l
    set call_showed = x.showed,
        call_showed_source = x.source,
        outcome_recorded_at = clock_timestamp()
    from (
        select case e.kind when 'call_showed' then true when 'call_no_show' then false end as showed, e.source
        from public.lead_status_events as e
        where e.lead_id = target_lead and e.kind in ('call_showed', 'call_no_show', 'call_no_show_undone')
        order by e.changed_at desc, e.id desc
        limit 1
    ) as x
    where l.id = target_lead
        and (l.call_showed, l.call_showed_source) is distinct from (x.showed, x.source);
$$;

comment on function private.derive_call_showed(uuid) is
    'Sets leads.call_showed and call_showed_source from the lead''s latest call entry by time: call_showed true, call_no_show false, call_no_show_undone null.';

revoke execute on function private.derive_call_showed(uuid) from public;

create or replace function private.record_lead_entry(lead public.leads, entry_kind text, entry_source text, entry_details jsonb)
returns bigint
language sql
volatile
security invoker
set search_path = ''
as $$
    insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at, source, author_id, kind, details)
    values (lead.id, lead.coach_id, lead.status, lead.status, now(), entry_source,
        case when entry_source = 'coach' then auth.uid() end, entry_kind, entry_details)
    returning id;
$$;

comment on function private.record_lead_entry(public.leads, text, text, jsonb) is
    'Appends an entry of another kind than status (call_showed, followed_up, …) to a lead''s history at now(), with the current status, its source, the coach as author and its details. Returns its id.';

revoke execute on function private.record_lead_entry(public.leads, text, text, jsonb) from public;

create or replace function private.record_call_outcome(target_lead uuid, showed boolean)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    lead public.leads := private.outcome_lead(target_lead);
    entry_kind constant text := case when showed then 'call_showed' else 'call_no_show' end;
begin
    if lead.call_showed is not distinct from showed and lead.call_showed_source = 'coach' then
        return private.lead_outcome_json(lead.id);
    end if;
    if lead.status not in ('won', 'lost') and not exists (
        select 1 from public.lead_status_events as e
        where e.lead_id = lead.id and e.kind = 'status' and public.lead_status_rank(e.to_status) >= 5
    ) then
        perform private.place_lead_status_event(lead.id, 'call_booked', now(), 'coach', auth.uid());
        select l.* into lead from public.leads as l where l.id = lead.id;
    end if;
    perform private.record_lead_entry(lead, entry_kind, 'coach', null);
    perform private.derive_call_showed(lead.id);
    return private.lead_outcome_json(lead.id);
end;
$$;

comment on function private.record_call_outcome(uuid, boolean) is
    'Records that the lead''s call took place (showed) or not (no-show), for the signed-in coach: an entry call_showed / call_no_show in the history (source coach, author), leads.call_showed from the latest call entry; a lead still open that never reached call_booked is marked call_booked first. The same outcome again changes nothing. Security definer: checks the caller (private.outcome_lead).';

revoke execute on function private.record_call_outcome(uuid, boolean) from public;
grant execute on function private.record_call_outcome(uuid, boolean) to authenticated;

create or replace function private.check_deal(amount numeric, plan text, instalments integer)
returns void
language plpgsql
immutable
security invoker
set search_path = ''
as $$
begin
    if amount is null or amount <= 0 or amount > 1000000 then
        raise exception using errcode = '22023',
            message = 'invalid field "deal_value": must be above 0 and at most 1000000 (in the coach''s currency)',
            detail = 'got ' || coalesce(amount::text, 'null');
    end if;
    if amount <> round(amount, 2) then
        raise exception using errcode = '22023', message = 'invalid field "deal_value": must have at most 2 decimals',
            detail = 'got ' || amount::text;
    end if;
    if plan is null or plan not in ('paid_now', 'instalments') then
        raise exception using errcode = '22023',
            message = 'invalid field "payment_plan": must be paid_now or instalments',
            detail = 'got ' || coalesce(plan, 'null');
    end if;
    if instalments is not null and (plan <> 'instalments' or instalments not between 2 and 60) then
        raise exception using errcode = '22023',
            message = 'invalid field "instalment_count": must be 2 to 60, with payment_plan instalments',
            detail = 'got ' || instalments::text;
    end if;
end;
$$;

comment on function private.check_deal(numeric, text, integer) is
    'Raises 22023 ''invalid field "<name>": …'' for a won deal''s bad input: deal_value not in (0, 1000000] or with more than 2 decimals, payment_plan not paid_now/instalments, instalment_count not 2..60 or without instalments.';

revoke execute on function private.check_deal(numeric, text, integer) from public;

create or replace function private.record_lead_won(target_lead uuid, amount numeric, plan text, instalments integer)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    lead public.leads := private.outcome_lead(target_lead);
    deal constant jsonb := jsonb_build_object('deal_value', amount, 'payment_plan', plan, 'instalment_count', instalments);
    latest public.lead_status_events;
begin
    perform private.check_deal(amount, plan, instalments);
    latest := private.lead_decision_at(lead.id, 'infinity');
    if lead.status = 'won' and latest.source = 'coach' and latest.to_status = 'won' and latest.details = deal then
        return private.lead_outcome_json(lead.id);
    end if;
    perform private.place_lead_status_event(lead.id, 'won', now(), 'coach', auth.uid(), deal);
    update public.leads as l
    set deal_value = case when l.deal_value_source = 'stripe' then l.deal_value else amount end,
        deal_value_source = case when l.deal_value_source = 'stripe' then 'stripe' else 'coach' end,
        payment_plan = plan,
        instalment_count = instalments,
        outcome_recorded_at = clock_timestamp()
    where l.id = lead.id;
    return private.lead_outcome_json(lead.id);
end;
$$;

comment on function private.record_lead_won(uuid, numeric, text, integer) is
    'Records that the lead was won, for the signed-in coach: a won decision in the history (source coach, author, details {deal_value, payment_plan, instalment_count}; earlier lost entries set aside), leads.deal_value (unless Stripe''s payments give it), payment_plan, instalment_count. The same deal again changes nothing. Security definer: checks the caller (private.outcome_lead).';

revoke execute on function private.record_lead_won(uuid, numeric, text, integer) from public;
grant execute on function private.record_lead_won(uuid, numeric, text, integer) to authenticated;

create or replace function private.record_lead_lost(target_lead uuid, reason text, note text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    lead public.leads := private.outcome_lead(target_lead);
    note_text constant text := nullif(btrim(note), '');
    latest public.lead_status_events;
begin
    if reason is null or reason not in ('price', 'time', 'already_tried', 'hesitation', 'other') then
        raise exception using errcode = '22023',
            message = 'invalid field "reason": must be one of price, time, already_tried, hesitation, other',
            detail = 'got ' || coalesce(reason, 'null');
    end if;
    if char_length(note_text) > 2000 then
        raise exception using errcode = '22023', message = 'invalid field "note": must have at most 2000 characters';
    end if;
    latest := private.lead_decision_at(lead.id, 'infinity');
    if lead.status = 'lost' and latest.source = 'coach' and latest.to_status = 'lost'
        and latest.details = jsonb_build_object('lost_reason', reason) and note_text is null then
        return private.lead_outcome_json(lead.id);
    end if;
    perform private.place_lead_status_event(lead.id, 'lost', now(), 'coach', auth.uid(),
        jsonb_build_object('lost_reason', reason));
    if note_text is not null then
        insert into public.lead_notes (lead_id, coach_id, author_id, body, event_id)
        select lead.id, lead.coach_id, auth.uid(), note_text, max(e.id)
        from public.lead_status_events as e
        where e.lead_id = lead.id and e.kind = 'status' and e.source = 'coach' and e.to_status = 'lost';
    end if;
    update public.leads as l
    set lost_reason = reason,
        lost_reason_source = 'coach',
        deal_value = case when l.deal_value_source = 'stripe' then l.deal_value end,
        deal_value_source = case when l.deal_value_source = 'stripe' then 'stripe' end,
        payment_plan = null,
        instalment_count = null,
        outcome_recorded_at = clock_timestamp()
    where l.id = lead.id;
    return private.lead_outcome_json(lead.id);
end;
$$;

comment on function private.record_lead_lost(uuid, text, text) is
    'Records that the lead was lost, for the signed-in coach: a lost decision in the history (source coach, author, details {lost_reason}; earlier won entries not from Stripe set aside), leads.lost_reason, the deal value cleared unless Stripe gave it; a non-blank note (at most 2000 characters) becomes a lead note tied to the entry. Errors: 22023 invalid field "reason" / "note". Security definer: checks the caller (private.outcome_lead).';

revoke execute on function private.record_lead_lost(uuid, text, text) from public;
grant execute on function private.record_lead_lost(uuid, text, text) to authenticated;

create or replace function private.record_lead_back_to_follow_up(target_lead uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    lead public.leads := private.outcome_lead(target_lead);
    latest public.lead_status_events;
begin
    latest := private.lead_decision_at(lead.id, 'infinity');
    if lead.status = 'relance' and latest.source = 'coach' and latest.to_status = 'relance' then
        return private.lead_outcome_json(lead.id);
    end if;
    perform private.place_lead_status_event(lead.id, 'relance', now(), 'coach', auth.uid());
    update public.leads as l
    set lost_reason = null,
        lost_reason_source = null,
        deal_value = case when l.deal_value_source = 'stripe' then l.deal_value end,
        deal_value_source = case when l.deal_value_source = 'stripe' then 'stripe' end,
        payment_plan = null,
        instalment_count = null,
        outcome_recorded_at = clock_timestamp()
    where l.id = lead.id;
    return private.lead_outcome_json(lead.id);
end;
$$;

comment on function private.record_lead_back_to_follow_up(uuid) is
    'Puts the lead back to follow-up (status relance), for the signed-in coach: a decision in the history (source coach, author) that sets aside earlier won (not Stripe''s) and lost entries, so the lead counts as open again; lost reason and deal value cleared (unless Stripe gave it). Again on a lead the coach already put back changes nothing. Security definer: checks the caller (private.outcome_lead).';

revoke execute on function private.record_lead_back_to_follow_up(uuid) from public;
grant execute on function private.record_lead_back_to_follow_up(uuid) to authenticated;

create or replace function private.record_lead_followed_up(target_lead uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    lead public.leads := private.outcome_lead(target_lead);
begin
    perform private.record_lead_entry(lead, 'followed_up', 'coach', null);
    update public.leads as l set followed_up_at = now() where l.id = lead.id;
    return private.lead_outcome_json(lead.id);
end;
$$;

comment on function private.record_lead_followed_up(uuid) is
    'Records that the signed-in coach contacted the lead now ("Relancé"): an entry followed_up in the history (source coach, author) and leads.followed_up_at. Security definer: checks the caller (private.outcome_lead).';

revoke execute on function private.record_lead_followed_up(uuid) from public;
grant execute on function private.record_lead_followed_up(uuid) to authenticated;

create or replace function public.mark_call_showed(lead_id uuid)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.record_call_outcome(mark_call_showed.lead_id, true);
end;

comment on function public.mark_call_showed(uuid) is
    'The signed-in coach records that the lead came to its call. Returns the lead''s outcome (status, call_showed and its source, deal, lost reason, followed_up_at). A lead still open that never reached call_booked becomes call_booked (source coach). The same call again changes nothing. Errors: 22004 no lead id, 42501 not a signed-in coach (admins are read-only) or another coach''s lead (403), PT404 no such lead (404).';

revoke execute on function public.mark_call_showed(uuid) from public, anon, service_role;
grant execute on function public.mark_call_showed(uuid) to authenticated;

create or replace function public.mark_call_no_show(lead_id uuid)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.record_call_outcome(mark_call_no_show.lead_id, false);
end;

comment on function public.mark_call_no_show(uuid) is
    'The signed-in coach records that the lead did not come to its call (no-show); a correction of mark_call_showed (the history keeps both). Returns the lead''s outcome. Errors as mark_call_showed.';

revoke execute on function public.mark_call_no_show(uuid) from public, anon, service_role;
grant execute on function public.mark_call_no_show(uuid) to authenticated;

create or replace function public.mark_lead_won(
    lead_id uuid,
    deal_value numeric,
    payment_plan text default 'paid_now',
    instalment_count integer default null
)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.record_lead_won(mark_lead_won.lead_id, mark_lead_won.deal_value, mark_lead_won.payment_plan,
        mark_lead_won.instalment_count);
end;

comment on function public.mark_lead_won(uuid, numeric, text, integer) is
    'The signed-in coach records that the lead was won, with the deal value in the coach''s currency (above 0, at most 1000000, 2 decimals), paid_now (default) or instalments (instalment_count 2 to 60, optional). Earlier lost entries are set aside (docs/kpis.md, "Outcomes: who wins"); later statuses from n8n no longer change the lead. Returns the lead''s outcome. Errors: 22023 ''invalid field "deal_value" | "payment_plan" | "instalment_count": …'', then as mark_call_showed. Nothing is written on error.';

revoke execute on function public.mark_lead_won(uuid, numeric, text, integer) from public, anon, service_role;
grant execute on function public.mark_lead_won(uuid, numeric, text, integer) to authenticated;

create or replace function public.mark_lead_lost(lead_id uuid, reason text, note text default null)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.record_lead_lost(mark_lead_lost.lead_id, mark_lead_lost.reason, mark_lead_lost.note);
end;

comment on function public.mark_lead_lost(uuid, text, text) is
    'The signed-in coach records that the lead was lost, with a reason (price, time, already_tried, hesitation, other) and an optional note (at most 2000 characters, kept as a lead note). Earlier won entries (not Stripe''s) are set aside. Returns the lead''s outcome. Errors: 22023 ''invalid field "reason" | "note": …'', then as mark_call_showed.';

revoke execute on function public.mark_lead_lost(uuid, text, text) from public, anon, service_role;
grant execute on function public.mark_lead_lost(uuid, text, text) to authenticated;

create or replace function public.move_lead_back_to_follow_up(lead_id uuid)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.record_lead_back_to_follow_up(move_lead_back_to_follow_up.lead_id);
end;

comment on function public.move_lead_back_to_follow_up(uuid) is
    'The signed-in coach puts the lead back to follow-up (status relance): it counts as open again (earlier won and lost entries set aside, lost reason and deal value cleared unless Stripe paid), and n8n''s statuses apply again. Returns the lead''s outcome. Errors as mark_call_showed.';

revoke execute on function public.move_lead_back_to_follow_up(uuid) from public, anon, service_role;
grant execute on function public.move_lead_back_to_follow_up(uuid) to authenticated;

create or replace function public.mark_lead_followed_up(lead_id uuid)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.record_lead_followed_up(mark_lead_followed_up.lead_id);
end;

comment on function public.mark_lead_followed_up(uuid) is
    'The signed-in coach records that it contacted the lead itself now ("Relancé"): an entry followed_up (source coach) and leads.followed_up_at. Returns the lead''s outcome. Errors as mark_call_showed.';

revoke execute on function public.mark_lead_followed_up(uuid) from public, anon, service_role;
grant execute on function public.mark_lead_followed_up(uuid) to authenticated;
