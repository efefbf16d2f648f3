-- Purpose: ingestion event times earlier than 2010-01-01T00:00:00Z (before Instagram) are refused, like a missing time zone.

set lock_timeout = '500ms';

-- A payload's created_at of 0001-01-01 (an empty date the workflow filled in) was accepted: one such message made its
-- coach's all-time KPI document 4.67 MB and every shared upkeep pass touching that coach 100 times slower. No
-- Instagram DM, lead or status change is older than Instagram (October 2010): a time before 2010-01-01T00:00:00Z is
-- an input error, refused with the same 22023 as a malformed time. Values stored before this check are kept as they
-- are (docs/n8n.md, "Event times before 2010": how to list and correct them).
create or replace function private.ingest_timestamptz(payload jsonb, field text, required boolean default false)
returns timestamptz
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
