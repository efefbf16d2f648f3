-- Purpose: ingestion text fields (user_id_instagram, external_id, contact_id, ...) refuse a JSON number that JavaScript may have rounded.

set lock_timeout = '500ms';

-- ManyChat and n8n are JavaScript: a number is a double, exact only up to 2^53 - 1 = 9007199254740991. An Instagram
-- id sent unquoted (17841400000000031) is already 17841400000000032 when n8n sends it on, and taking it as text filed
-- the DM under a new, wrong lead without any error. PostgreSQL receives the JSON text as the client wrote it (jsonb
-- keeps the decimal value exactly, not its spelling: 1e3 arrives as 1000), so it can tell the numbers that cannot
-- have been rounded: a whole number within +/- 9007199254740991 is still taken as its digits (a ManyChat contact id
-- of 10 digits sent unquoted keeps working); any other number (larger, or with a fraction) is refused, naming the
-- field, with the fix: send it as a string.
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
