-- Purpose: public.ingest_lead(payload), the service_role RPC n8n calls to upsert a lead and record its status changes.

create or replace function public.ingest_lead(payload jsonb)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    statuses constant text[] := array['new', 'engaged', 'qualified', 'call_proposed', 'call_booked', 'won', 'lost', 'relance'];
    coach uuid;
    instagram_id text;
    v_contact_id text;
    v_instagram_username text;
    v_first_name text;
    v_last_name text;
    v_email text;
    v_age integer;
    v_gender text;
    v_job_title text;
    v_source text;
    v_status text;
    v_status_changed_at timestamptz;
    v_lost_reason text;
    v_deal_value numeric;
    v_call_showed boolean;
    v_lead_magnet_sent_at timestamptz;
    v_time_to_action_minutes integer;
    v_created_at timestamptz;
    target record;
    status_result text;
    result jsonb;
begin
    perform private.ingest_check_payload(payload, array[
        'coach_id', 'user_id_instagram', 'contact_id', 'instagram_username', 'first_name', 'last_name', 'email',
        'age', 'gender', 'job_title', 'source', 'status', 'status_changed_at', 'lost_reason', 'deal_value',
        'call_showed', 'lead_magnet_sent_at', 'time_to_action_minutes', 'created_at']);

    -- Every field is read and checked before anything is written.
    coach := private.ingest_uuid(payload, 'coach_id', true);
    instagram_id := private.ingest_text(payload, 'user_id_instagram', 100, true);
    v_contact_id := private.ingest_text(payload, 'contact_id', 100);
    v_instagram_username := private.ingest_text(payload, 'instagram_username', 100);
    v_first_name := private.ingest_text(payload, 'first_name', 200);
    v_last_name := private.ingest_text(payload, 'last_name', 200);
    v_email := private.ingest_text(payload, 'email', 320);
    if v_email is not null and v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
        perform private.ingest_raise_field('email', 'is not an email address', payload -> 'email');
    end if;
    v_age := private.ingest_integer(payload, 'age', 13, 100);
    v_gender := private.ingest_choice(payload, 'gender', array['male', 'female', 'other']);
    v_job_title := private.ingest_text(payload, 'job_title', 200);
    v_source := private.ingest_text(payload, 'source', 100);
    v_status := private.ingest_choice(payload, 'status', statuses);
    v_status_changed_at := private.ingest_timestamptz(payload, 'status_changed_at');
    if v_status_changed_at is not null and v_status is null then
        perform private.ingest_raise_field('status_changed_at', 'is given without status');
    end if;
    v_lost_reason := private.ingest_choice(payload, 'lost_reason', array['price', 'time', 'already_tried', 'hesitation', 'other']);
    v_deal_value := private.ingest_numeric(payload, 'deal_value', 0, 9999999999.99);
    v_call_showed := private.ingest_boolean(payload, 'call_showed');
    v_lead_magnet_sent_at := private.ingest_timestamptz(payload, 'lead_magnet_sent_at');
    v_time_to_action_minutes := private.ingest_integer(payload, 'time_to_action_minutes', 0, 2147483647);
    v_created_at := private.ingest_timestamptz(payload, 'created_at');
    coach := private.ingest_coach(payload);

    if v_status is not null then
        v_status_changed_at := coalesce(v_status_changed_at, now());
    end if;

    select * into target
    from private.ingest_lead_row(coach, instagram_id, least(v_created_at, v_status_changed_at));

    -- Given fields overwrite, absent ones keep their value; a redelivery that changes nothing writes nothing.
    update public.leads as l
    set contact_id = coalesce(v_contact_id, l.contact_id),
        instagram_username = coalesce(v_instagram_username, l.instagram_username),
        first_name = coalesce(v_first_name, l.first_name),
        last_name = coalesce(v_last_name, l.last_name),
        email = coalesce(v_email, l.email),
        age = coalesce(v_age, l.age),
        gender = coalesce(v_gender, l.gender),
        job_title = coalesce(v_job_title, l.job_title),
        source = coalesce(v_source, l.source),
        lost_reason = coalesce(v_lost_reason, l.lost_reason),
        deal_value = coalesce(v_deal_value, l.deal_value),
        call_showed = coalesce(v_call_showed, l.call_showed),
        lead_magnet_sent_at = coalesce(v_lead_magnet_sent_at, l.lead_magnet_sent_at),
        time_to_action_minutes = coalesce(v_time_to_action_minutes, l.time_to_action_minutes)
    where l.id = target.lead_id
        and (l.contact_id, l.instagram_username, l.first_name, l.last_name, l.email, l.age, l.gender, l.job_title,
             l.source, l.lost_reason, l.deal_value, l.call_showed, l.lead_magnet_sent_at, l.time_to_action_minutes)
            is distinct from
            (coalesce(v_contact_id, l.contact_id), coalesce(v_instagram_username, l.instagram_username),
             coalesce(v_first_name, l.first_name), coalesce(v_last_name, l.last_name), coalesce(v_email, l.email),
             coalesce(v_age, l.age), coalesce(v_gender, l.gender), coalesce(v_job_title, l.job_title),
             coalesce(v_source, l.source), coalesce(v_lost_reason, l.lost_reason),
             coalesce(v_deal_value, l.deal_value), coalesce(v_call_showed, l.call_showed),
             coalesce(v_lead_magnet_sent_at, l.lead_magnet_sent_at),
             coalesce(v_time_to_action_minutes, l.time_to_action_minutes));

    if v_status is not null then
        status_result := private.apply_lead_status_event(target.lead_id, v_status, v_status_changed_at);
    end if;

    select jsonb_build_object(
        'lead_id', l.id,
        'coach_id', l.coach_id,
        'created', target.created,
        'status', l.status,
        'status_changed_at', l.status_changed_at,
        'status_event', status_result
    )
    into result
    from public.leads as l
    where l.id = target.lead_id;
    return result;
end;
$$;

comment on function public.ingest_lead(jsonb) is
    'n8n ingestion (service_role only): upserts the lead {coach_id, user_id_instagram, ...} and records a status change at its event time (status, status_changed_at).
POST /rest/v1/rpc/ingest_lead with body {"payload": {...}}. Given fields overwrite, absent/null/blank fields keep the stored value.
A status event older than the current one goes into lead_status_events without changing leads.status; the same event twice changes nothing.
Returns {lead_id, coach_id, created, status, status_changed_at, status_event: null|duplicate|unchanged|applied|recorded_late|moved_earlier}.
Errors (HTTP 400): 22023 ''invalid field "<name>": ...'' for a missing, malformed, unknown or oversized field; P0001 for an unknown coach or a lead of another coach. See docs/n8n.md.';

revoke execute on function public.ingest_lead(jsonb) from public, anon, authenticated;
grant execute on function public.ingest_lead(jsonb) to service_role;
