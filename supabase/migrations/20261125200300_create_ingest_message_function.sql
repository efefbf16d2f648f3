-- Purpose: public.ingest_message(payload), the service_role RPC n8n calls to record a DM once, whatever the delivery order.

create or replace function public.ingest_message(payload jsonb)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    coach uuid;
    instagram_id text;
    v_external_id text;
    v_direction text;
    v_text text;
    v_created_at timestamptz;
    target record;
    message_id uuid;
    inserted boolean;
    existing record;
begin
    perform private.ingest_check_payload(payload, array[
        'coach_id', 'user_id_instagram', 'external_id', 'direction', 'text', 'created_at']);

    coach := private.ingest_uuid(payload, 'coach_id', true);
    instagram_id := private.ingest_text(payload, 'user_id_instagram', 100, true);
    v_external_id := private.ingest_text(payload, 'external_id', 200, true);
    v_direction := private.ingest_choice(payload, 'direction', array['in', 'out'], true);
    v_text := private.ingest_text(payload, 'text', 4000);
    v_created_at := coalesce(private.ingest_timestamptz(payload, 'created_at'), now());
    coach := private.ingest_coach(payload);

    -- The lead is created (status new) when its first message arrives before the lead event.
    select * into target from private.ingest_lead_row(coach, instagram_id, v_created_at);

    -- Idempotent: one row per (coach, ManyChat id). The message triggers re-derive numbers, reply flags, counters
    -- and sequences of the lead from all its messages, so a reply delivered before its outbound message is linked
    -- once both are in.
    insert into public.messages (lead_id, coach_id, external_id, direction, text, created_at)
    values (target.lead_id, coach, v_external_id, v_direction, v_text, v_created_at)
    on conflict (coach_id, external_id) do nothing
    returning id into message_id;
    inserted := message_id is not null;

    if message_id is null then
        select m.id, m.lead_id into existing
        from public.messages as m
        where m.coach_id = coach and m.external_id = v_external_id;
        if existing.lead_id is distinct from target.lead_id then
            raise exception using
                errcode = 'P0001',
                message = format('invalid field "external_id": message %s is already recorded for another lead', v_external_id),
                hint = 'external_id is the ManyChat message id, unique per coach.';
        end if;
        message_id := existing.id;
    end if;

    return (
        select jsonb_build_object(
            'message_id', m.id,
            'lead_id', m.lead_id,
            'inserted', inserted,
            'lead_created', target.created,
            'message_number', m.message_number,
            'is_replied', m.is_replied
        )
        from public.messages as m
        where m.id = message_id
    );
end;
$$;

comment on function public.ingest_message(jsonb) is
    'n8n ingestion (service_role only): records one DM {coach_id, user_id_instagram, external_id, direction in|out, text, created_at} once per (coach, external_id).
POST /rest/v1/rpc/ingest_message with body {"payload": {...}}. Creates the lead (status new) when unknown; message numbers, reply flags, counters and sequences are re-derived by trigger whatever the order.
Returns {message_id, lead_id, inserted, lead_created, message_number, is_replied}; a redelivery returns inserted false and changes nothing.
Errors (HTTP 400): 22023 ''invalid field "<name>": ...''; P0001 for an unknown coach, a lead of another coach, or an external_id already used for another lead. See docs/n8n.md.';

revoke execute on function public.ingest_message(jsonb) from public, anon, authenticated;
grant execute on function public.ingest_message(jsonb) to service_role;
