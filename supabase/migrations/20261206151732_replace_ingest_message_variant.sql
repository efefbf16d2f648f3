-- Purpose: ingest_message and ingest_messages accept an optional variant on outbound messages (issue 22), read by private.ingest_variant.

set lock_timeout = '500ms';

create or replace function private.ingest_variant(payload jsonb, direction text)
returns text
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    result text := btrim(private.ingest_text(payload, 'variant', 100));
begin
    if result is not null and direction is distinct from 'out' then
        perform private.ingest_raise_field('variant', 'only an outbound message (direction "out") has a variant',
            payload -> 'variant');
    end if;
    return result;
end;
$$;

comment on function private.ingest_variant(jsonb, text) is
    'Reads the optional variant of a message (issue 22): a text of at most 100 characters, trimmed; null when absent, null or blank; 22023 as ingest_text, or when the message is not outbound.';

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
    v_variant text;
    target record;
    message_id uuid;
    inserted boolean;
    existing record;
begin
    perform private.ingest_check_payload(payload, array[
        'coach_id', 'user_id_instagram', 'external_id', 'direction', 'text', 'created_at', 'variant']);

    coach := private.ingest_uuid(payload, 'coach_id', true);
    instagram_id := private.ingest_text(payload, 'user_id_instagram', 100, true);
    v_external_id := private.ingest_text(payload, 'external_id', 200, true);
    v_direction := private.ingest_choice(payload, 'direction', array['in', 'out'], true);
    v_text := private.ingest_text(payload, 'text', 4000);
    v_created_at := coalesce(private.ingest_timestamptz(payload, 'created_at'), now());
    v_variant := private.ingest_variant(payload, v_direction);
    coach := private.ingest_coach(payload);

    -- The lead is created (status new) when its first message arrives before the lead event.
    select * into target from private.ingest_lead_row(coach, instagram_id, v_created_at);

    -- Idempotent: one row per (coach, ManyChat id). The message triggers re-derive numbers, reply flags, counters
    -- and sequences of the lead from all its messages, so a reply delivered before its outbound message is linked
    -- once both are in.
    insert into public.messages (lead_id, coach_id, external_id, direction, text, created_at, variant)
    values (target.lead_id, coach, v_external_id, v_direction, v_text, v_created_at, v_variant)
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
    'n8n ingestion (service_role only): records one DM {coach_id, user_id_instagram, external_id, direction in|out, text, created_at, variant} once per (coach, external_id); variant (outbound only, up to 100 characters) is the A/B branch of the script.
POST /rest/v1/rpc/ingest_message with body {"payload": {...}}. Creates the lead (status new) when unknown; message numbers, reply flags, counters and sequences are re-derived by trigger whatever the order.
Returns {message_id, lead_id, inserted, lead_created, message_number, is_replied}; a redelivery returns inserted false and changes nothing.
Errors (HTTP 400): 22023 ''invalid field "<name>": ...''; P0001 for an unknown coach, a lead of another coach, or an external_id already used for another lead. See docs/n8n.md.';

create or replace function public.ingest_messages(payloads jsonb)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    max_batch constant integer := 1000;
    fields constant text[] := array['coach_id', 'user_id_instagram', 'external_id', 'direction', 'text', 'created_at',
        'variant'];
    batch_size integer;
    item jsonb;
    element integer := -1;
    coach_ids uuid[] := '{}';
    instagram_ids text[] := '{}';
    external_ids text[] := '{}';
    directions text[] := '{}';
    texts text[] := '{}';
    created_ats timestamptz[] := '{}';
    variants text[] := '{}';
    lead_row record;
    target record;
    lead_instagram_ids text[] := '{}';
    lead_ids uuid[] := '{}';
    leads_created integer := 0;
    inserted_ids uuid[];
    result jsonb;
    error_state text;
    error_message text;
    error_detail text;
    error_hint text;
begin
    if payloads is null or jsonb_typeof(payloads) <> 'array' then
        perform private.ingest_raise_field('payloads', 'must be a JSON array of message payloads', payloads);
    end if;
    batch_size := jsonb_array_length(payloads);
    if batch_size > max_batch then
        raise exception using
            errcode = '22023',
            message = format('invalid field "payloads": %s messages, at most %s per call', batch_size, max_batch),
            hint = 'Split the batch; each call is one transaction.';
    end if;

    begin
        -- 1. Every element is read and checked, with ingest_message's own readers, before anything is written.
        for item in select e.value from jsonb_array_elements(payloads) as e loop
            element := element + 1;
            perform private.ingest_check_payload(item, fields);
            coach_ids := coach_ids || private.ingest_uuid(item, 'coach_id', true);
            instagram_ids := instagram_ids || private.ingest_text(item, 'user_id_instagram', 100, true);
            external_ids := external_ids || private.ingest_text(item, 'external_id', 200, true);
            directions := directions || private.ingest_choice(item, 'direction', array['in', 'out'], true);
            texts := texts || private.ingest_text(item, 'text', 4000);
            -- required here: one call has one now(), so messages without their time could not be ordered
            created_ats := created_ats || private.ingest_timestamptz(item, 'created_at', true);
            variants := variants || private.ingest_variant(item, directions[element + 1]);
        end loop;

        -- 2. Every coach exists.
        select b.n - 1 into element
        from unnest(coach_ids) with ordinality as b(coach_id, n)
        where not exists (select 1 from public.coachs as c where c.id = b.coach_id)
        order by b.n
        limit 1;
        if found then
            raise exception using
                errcode = 'P0001',
                message = format('invalid field "coach_id": unknown coach %s', coach_ids[element + 1]),
                hint = 'coach_id is the coach''s id in public.coachs (the id create-coach returned).';
        end if;

        -- 3. The leads, found or created (status new, from their earliest message of the batch) and locked, in the
        --    order of their Instagram id: two batches lock their common leads in the same order.
        for lead_row in
            select b.instagram_id, b.coach_id, min(b.created_at) as first_seen, min(b.n) - 1 as first_position
            from unnest(coach_ids, instagram_ids, created_ats) with ordinality as b(coach_id, instagram_id, created_at, n)
            group by b.instagram_id, b.coach_id
            order by b.instagram_id, b.coach_id
        loop
            element := lead_row.first_position;
            select * into target from private.ingest_lead_row(lead_row.coach_id, lead_row.instagram_id, lead_row.first_seen);
            lead_instagram_ids := lead_instagram_ids || lead_row.instagram_id;
            lead_ids := lead_ids || target.lead_id;
            leads_created := leads_created + target.created::integer;
        end loop;
    exception when sqlstate '22023' or sqlstate 'P0001' then
        get stacked diagnostics
            error_state = returned_sqlstate,
            error_message = message_text,
            error_detail = pg_exception_detail,
            error_hint = pg_exception_hint;
        perform private.ingest_reraise_at(element, error_state, error_message, error_detail, error_hint);
    end;

    -- 4. One insert: the first element of each (coach, external_id) is the message, a later one or one already
    --    stored is a redelivery. The statement triggers derive every touched lead once.
    with batch as (
        select distinct on (b.coach_id, b.external_id)
            k.lead_id, b.coach_id, b.external_id, b.direction, b.text, b.created_at, b.variant, b.n
        from unnest(coach_ids, instagram_ids, external_ids, directions, texts, created_ats, variants)
            with ordinality as b(coach_id, instagram_id, external_id, direction, text, created_at, variant, n)
        join unnest(lead_instagram_ids, lead_ids) as k(instagram_id, lead_id) on k.instagram_id = b.instagram_id
        order by b.coach_id, b.external_id, b.n
    ),
    inserted as (
        insert into public.messages (lead_id, coach_id, external_id, direction, text, created_at, variant)
        select b.lead_id, b.coach_id, b.external_id, b.direction, b.text, b.created_at, b.variant
        from batch as b
        order by b.n
        on conflict (coach_id, external_id) do nothing
        returning id
    )
    select coalesce(array_agg(i.id), '{}') into inserted_ids from inserted as i;

    -- 5. One external_id is one message: an element not inserted because its external_id is stored for another
    --    lead (before this call, by a concurrent one since, or by an earlier element of this batch) is refused, as
    --    ingest_message refuses it after its own insert: the call fails and nothing of it is written.
    select min(b.n) - 1 into element
    from unnest(coach_ids, external_ids, instagram_ids) with ordinality as b(coach_id, external_id, instagram_id, n)
    join public.messages as m on m.coach_id = b.coach_id and m.external_id = b.external_id
    join public.leads as l on l.id = m.lead_id
    where l.user_id_instagram <> b.instagram_id;
    if element is not null then
        raise exception using
            errcode = 'P0001',
            message = format('payloads[%s]: invalid field "external_id": message %s is already recorded for another lead',
                element, external_ids[element + 1]),
            hint = 'external_id is the ManyChat message id, unique per coach.';
    end if;

    -- 6. The outcome of every element, in the order received.
    select jsonb_build_object(
        'received', batch_size,
        'inserted', cardinality(inserted_ids),
        'duplicates', batch_size - cardinality(inserted_ids),
        'leads_created', leads_created,
        'messages', coalesce(jsonb_agg(jsonb_build_object(
            'index', r.n - 1,
            'external_id', r.external_id,
            'message_id', r.id,
            'lead_id', r.lead_id,
            'inserted', r.inserted,
            'message_number', r.message_number,
            'is_replied', r.is_replied
        ) order by r.n), '[]'::jsonb)
    )
    into result
    from (
        select
            b.n,
            m.external_id,
            m.id,
            m.lead_id,
            m.id = any (inserted_ids) and b.n = min(b.n) over (partition by m.id) as inserted,
            m.message_number,
            m.is_replied
        from unnest(coach_ids, external_ids) with ordinality as b(coach_id, external_id, n)
        join public.messages as m on m.coach_id = b.coach_id and m.external_id = b.external_id
    ) as r;
    return result;
end;
$$;

comment on function public.ingest_messages(jsonb) is
    'n8n batch ingestion (service_role only): records up to 1,000 DMs, each shaped as ingest_message''s payload with created_at required, in one transaction, all or nothing.
POST /rest/v1/rpc/ingest_messages with body {"payloads": [{coach_id, user_id_instagram, external_id, direction, text, created_at, variant}, ...]}. Same outcome as the messages sent one by one to ingest_message, in any order, in a fraction of the time: every lead is locked and re-derived once per call.
Returns {received, inserted, duplicates, leads_created, messages: [{index, external_id, message_id, lead_id, inserted, message_number, is_replied}]} in the order received; an element whose external_id is already stored, or repeats an earlier element, has inserted false and changes nothing.
Errors (HTTP 400), nothing written: 22023 ''invalid field "payloads": ...'' for a body that is not an array or has more than 1,000 elements; the errors of ingest_message prefixed with the 0-based position of a bad element, e.g. ''payloads[3]: invalid field "direction": must be one of in, out'' (field checks first, in array order; then coaches, leads and external ids). See docs/n8n.md.';

