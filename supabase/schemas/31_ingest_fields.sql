-- Ingestion: the readers of n8n payload fields (types, bounds, 22023 errors naming the field).

create or replace function private.ingest_raise_field(field text, problem text, got jsonb default null::jsonb)
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
    if got is null then
        raise exception using errcode = '22023', message = format('invalid field "%s": %s', field, problem);
    end if;
    raise exception using
        errcode = '22023',
        message = format('invalid field "%s": %s', field, problem),
        detail = 'got ' || left(got::text, 200);
end;
$$;

comment on function private.ingest_raise_field(text, text, jsonb) is
    'Raises SQLSTATE 22023 with the message ''invalid field "<field>": <problem>'' and the offending value (cut to 200 characters) as detail.';

create or replace function private.ingest_number_as_text(field text, value jsonb)
returns text
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    digits text := value #>> '{}';
    fix text := format('send %s as a string: put the variable in quotes in ManyChat''s body ("%s": "{{...}}")',
        case when field in ('user_id_instagram', 'external_id', 'contact_id') then 'the id' else 'it' end, field);
begin
    if digits !~ '^-?[0-9]+$' then
        perform private.ingest_raise_field(field,
            format('the number %s is not a whole number; %s', digits, fix), value);
    end if;
    if abs(digits::numeric) > 9007199254740991 then
        perform private.ingest_raise_field(field,
            format('the number %s may have been rounded (JavaScript, so ManyChat and n8n, rounds numbers above 9007199254740991); %s',
                digits, fix), value);
    end if;
    return digits;
end;
$$;

comment on function private.ingest_number_as_text(text, jsonb) is
    'The digits of a JSON number given for a text field when it is a whole number within +/- 9007199254740991 (2^53 - 1, exact in JavaScript); 22023 naming the field otherwise (larger, or with a fraction), with the fix: send it as a string.';

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

create or replace function private.ingest_check_payload(payload jsonb, allowed text[])
returns void
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    unknown text;
begin
    if payload is null or jsonb_typeof(payload) <> 'object' then
        perform private.ingest_raise_field('payload', 'must be a JSON object', payload);
    end if;
    select k into unknown
    from jsonb_object_keys(payload) as k
    where k <> all (allowed)
    order by k
    limit 1;
    if unknown is not null then
        raise exception using
            errcode = '22023',
            message = format('invalid field "%s": unknown field', unknown),
            hint = 'known fields: ' || array_to_string(allowed, ', ');
    end if;
end;
$$;

comment on function private.ingest_check_payload(jsonb, text[]) is
    'Raises 22023 unless payload is a JSON object whose keys are all in allowed (a misspelt field is an error, not silently ignored).';

create or replace function private.ingest_text(payload jsonb, field text, max_length integer, required boolean default false)
returns text
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    value jsonb := payload -> field;
    result text;
begin
    if value is null or jsonb_typeof(value) = 'null' or (jsonb_typeof(value) = 'string' and btrim(value #>> '{}') = '') then
        if required then
            perform private.ingest_raise_field(field, 'is required');
        end if;
        return null;
    end if;
    if jsonb_typeof(value) = 'number' then
        result := private.ingest_number_as_text(field, value);
    elsif jsonb_typeof(value) = 'string' then
        result := value #>> '{}';
    else
        perform private.ingest_raise_field(field, 'must be a string', value);
    end if;
    if char_length(result) > max_length then
        perform private.ingest_raise_field(field, format('is longer than %s characters (%s)', max_length, char_length(result)));
    end if;
    return result;
end;
$$;

comment on function private.ingest_text(jsonb, text, integer, boolean) is
    'Reads a text field (a JSON string, or a whole JSON number within +/- 2^53 - 1 taken as its digits) of at most max_length characters; null when absent, null or blank; 22023 when required and missing, of another type, a number JavaScript may have rounded, or too long.';

create or replace function private.ingest_choice(payload jsonb, field text, choices text[], required boolean default false)
returns text
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    result text := private.ingest_text(payload, field, 100, required);
begin
    if result is not null and result <> all (choices) then
        perform private.ingest_raise_field(field, 'must be one of ' || array_to_string(choices, ', '), payload -> field);
    end if;
    return result;
end;
$$;

comment on function private.ingest_choice(jsonb, text, text[], boolean) is
    'Reads a text field that must be one of choices (exact spelling); 22023 otherwise.';

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

create or replace function private.ingest_uuid(payload jsonb, field text, required boolean default false)
returns uuid
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    result text := private.ingest_text(payload, field, 100, required);
begin
    if result is not null
        and result !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
        perform private.ingest_raise_field(field, 'must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)', payload -> field);
    end if;
    return result::uuid;
end;
$$;

comment on function private.ingest_uuid(jsonb, text, boolean) is
    'Reads a UUID field written as a JSON string; 22023 when malformed.';

create or replace function private.ingest_timestamptz(payload jsonb, field text, required boolean default false)
returns timestamp with time zone
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    raw text := private.ingest_text(payload, field, 100, required);
    result timestamptz;
begin
    if raw is null then
        return null;
    end if;
    -- ISO 8601 only (2026-07-01T08:00:00Z, with an offset or Z); other spellings PostgreSQL would guess are refused.
    if raw !~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|z|[+-]\d{2}(:?\d{2})?)$' then
        perform private.ingest_raise_field(field,
            'must be an ISO 8601 timestamp with a time zone, e.g. 2026-07-01T08:00:00Z', payload -> field);
    end if;
    begin
        result := raw::timestamptz;
    exception when others then
        perform private.ingest_raise_field(field, 'is not a valid date and time', payload -> field);
    end;
    -- Nothing an n8n workflow records is older than Instagram: an earlier time is an empty or mistyped date.
    if result < timestamptz '2010-01-01 00:00:00+00' then
        perform private.ingest_raise_field(field,
            'is before 2010-01-01T00:00:00Z, the earliest event time accepted (an empty date, or a Unix time read in the wrong unit?)',
            payload -> field);
    end if;
    -- An event cannot come from the future (5 minutes of clock skew allowed): it would win every later update.
    if result > now() + interval '5 minutes' then
        perform private.ingest_raise_field(field, 'is in the future', payload -> field);
    end if;
    return result;
end;
$$;

comment on function private.ingest_timestamptz(jsonb, text, boolean) is
    'Reads an ISO 8601 timestamp with time zone; 22023 when malformed, before 2010-01-01T00:00:00Z (the earliest event time accepted) or more than 5 minutes in the future.';

create or replace function private.ingest_numeric(payload jsonb, field text, min_value numeric, max_value numeric)
returns numeric
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    value jsonb := payload -> field;
    result numeric;
begin
    if value is null or jsonb_typeof(value) = 'null' or (jsonb_typeof(value) = 'string' and btrim(value #>> '{}') = '') then
        return null;
    end if;
    if jsonb_typeof(value) = 'number'
        or (jsonb_typeof(value) = 'string' and btrim(value #>> '{}') ~ '^-?\d{1,12}(\.\d+)?$') then
        result := btrim(value #>> '{}')::numeric;
    else
        perform private.ingest_raise_field(field, 'must be a number', value);
    end if;
    if result < min_value or result > max_value then
        perform private.ingest_raise_field(field, format('must be between %s and %s', min_value, max_value), value);
    end if;
    return result;
end;
$$;

comment on function private.ingest_numeric(jsonb, text, numeric, numeric) is
    'Reads a number (a JSON number or a numeric string) between min_value and max_value; 22023 otherwise.';

create or replace function private.ingest_integer(payload jsonb, field text, min_value integer, max_value integer)
returns integer
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    result numeric := private.ingest_numeric(payload, field, min_value, max_value);
begin
    if result is not null and result <> trunc(result) then
        perform private.ingest_raise_field(field, 'must be a whole number', payload -> field);
    end if;
    return result::integer;
end;
$$;

comment on function private.ingest_integer(jsonb, text, integer, integer) is
    'Reads a whole number between min_value and max_value; 22023 otherwise.';

create or replace function private.ingest_boolean(payload jsonb, field text)
returns boolean
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    value jsonb := payload -> field;
begin
    if value is null or jsonb_typeof(value) = 'null' or (jsonb_typeof(value) = 'string' and btrim(value #>> '{}') = '') then
        return null;
    end if;
    if jsonb_typeof(value) = 'boolean' then
        return value::text::boolean;
    end if;
    if jsonb_typeof(value) = 'string' and lower(btrim(value #>> '{}')) in ('true', 'false') then
        return lower(btrim(value #>> '{}'))::boolean;
    end if;
    perform private.ingest_raise_field(field, 'must be true or false', value);
    return null;
end;
$$;

comment on function private.ingest_boolean(jsonb, text) is
    'Reads a boolean (true/false, or the strings "true"/"false"); 22023 otherwise.';
