-- Purpose: public.ingest_messages(payloads), the batch form of ingest_message: up to 1,000 DMs recorded in one statement, all or nothing.

-- One ingest_message call re-derives its lead once (numbers, reply flags, counters, sequences) and is planned
-- anew each time; a batch reads and checks every element with the same field readers, locks its leads once, in
-- one order (so concurrent batches cannot deadlock), inserts every message in one statement and lets the message
-- triggers derive every touched lead once. The outcome is the one the same messages delivered one by one, in any
-- order, would give; created_at is required here, since one call has one now().

create or replace function private.ingest_reraise_at(element_index integer, state text, message text, detail text, hint text)
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    located text := format('payloads[%s]: %s', element_index, message);
begin
    if nullif(detail, '') is not null and nullif(hint, '') is not null then
        raise exception using errcode = state, message = located, detail = detail, hint = hint;
    elsif nullif(detail, '') is not null then
        raise exception using errcode = state, message = located, detail = detail;
    elsif nullif(hint, '') is not null then
        raise exception using errcode = state, message = located, hint = hint;
    end if;
    raise exception using errcode = state, message = located;
end;
$$;

comment on function private.ingest_reraise_at(integer, text, text, text, text) is
    'Raises again an ingestion error of one element of a batch, its message prefixed with "payloads[<element_index>]: " (0-based), same SQLSTATE, detail and hint.';

create or replace function public.ingest_messages(payloads jsonb)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    max_batch constant integer := 1000;
    fields constant text[] := array['coach_id', 'user_id_instagram', 'external_id', 'direction', 'text', 'created_at'];
    batch_size integer;
    item jsonb;
    element integer := -1;
    coach_ids uuid[] := '{}';
    instagram_ids text[] := '{}';
    external_ids text[] := '{}';
    directions text[] := '{}';
    texts text[] := '{}';
    created_ats timestamptz[] := '{}';
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
            k.lead_id, b.coach_id, b.external_id, b.direction, b.text, b.created_at, b.n
        from unnest(coach_ids, instagram_ids, external_ids, directions, texts, created_ats)
            with ordinality as b(coach_id, instagram_id, external_id, direction, text, created_at, n)
        join unnest(lead_instagram_ids, lead_ids) as k(instagram_id, lead_id) on k.instagram_id = b.instagram_id
        order by b.coach_id, b.external_id, b.n
    ),
    inserted as (
        insert into public.messages (lead_id, coach_id, external_id, direction, text, created_at)
        select b.lead_id, b.coach_id, b.external_id, b.direction, b.text, b.created_at
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
POST /rest/v1/rpc/ingest_messages with body {"payloads": [{coach_id, user_id_instagram, external_id, direction, text, created_at}, ...]}. Same outcome as the messages sent one by one to ingest_message, in any order, in a fraction of the time: every lead is locked and re-derived once per call.
Returns {received, inserted, duplicates, leads_created, messages: [{index, external_id, message_id, lead_id, inserted, message_number, is_replied}]} in the order received; an element whose external_id is already stored, or repeats an earlier element, has inserted false and changes nothing.
Errors (HTTP 400), nothing written: 22023 ''invalid field "payloads": ...'' for a body that is not an array or has more than 1,000 elements; the errors of ingest_message prefixed with the 0-based position of a bad element, e.g. ''payloads[3]: invalid field "direction": must be one of in, out'' (field checks first, in array order; then coaches, leads and external ids). See docs/n8n.md.';

revoke execute on function public.ingest_messages(jsonb) from public, anon, authenticated;
grant execute on function public.ingest_messages(jsonb) to service_role;
