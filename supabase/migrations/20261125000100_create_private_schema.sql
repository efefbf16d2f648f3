-- Purpose: a schema outside the API for internal functions, trigger functions and materialized views.

create schema if not exists private;

comment on schema private is
    'Internal objects of the dashboard: trigger functions, helpers and materialized views. Not exposed by the API: no grants to anon or authenticated.';

revoke all on schema private from public;
grant usage on schema private to service_role;

create or replace function private.set_updated_at()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
    new.updated_at := now();
    return new;
end;
$$;

comment on function private.set_updated_at() is
    'Trigger function: stamps updated_at with the transaction time on every update.';

create or replace function private.is_valid_timezone(tz text)
returns boolean
language plpgsql
immutable
security invoker
set search_path = ''
as $$
begin
    perform now() at time zone tz;
    return true;
exception when invalid_parameter_value then
    return false;
end;
$$;

comment on function private.is_valid_timezone(text) is
    'True when the text is a time zone name PostgreSQL knows (e.g. Europe/Paris). Used by check constraints.';

