-- Values the legacy upgrade changed or removed, kept with where they came from (docs/upgrade.md).

create table private.legacy_values (
    id bigint not null,
    table_name text not null,
    row_id uuid not null,
    column_name text not null,
    original_value text,
    moved_at timestamptz not null default now(),
    constraint legacy_values_pkey primary key (id)
);

alter table private.legacy_values alter column id add generated always as identity (
    sequence name private.legacy_values_id_seq
    start with 1
    increment by 1
    no minvalue
    no maxvalue
    cache 1
);

comment on table private.legacy_values is
    'Values found in a legacy database that the new constraints reject (e.g. an age of 150), moved here by the upgrade before the constraint was added. The row keeps a clean value; the original stays readable here.';
comment on column private.legacy_values.id is 'Primary key.';
comment on column private.legacy_values.table_name is 'Table of the row the value came from.';
comment on column private.legacy_values.row_id is 'id of that row.';
comment on column private.legacy_values.column_name is 'Column the value came from.';
comment on column private.legacy_values.original_value is 'The value as it was, as text.';
comment on column private.legacy_values.moved_at is 'When the upgrade moved it.';

create or replace function private.quarantine_legacy_values(target text, column_name text, bad_when text, replacement text default 'null'::text)
returns bigint
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    moved bigint;
begin
    execute format(
        'with bad as (select t.id, t.%1$I::text as value from %2$s as t where %3$s),
              kept as (insert into private.legacy_values (table_name, row_id, column_name, original_value)
                       select %4$L, bad.id, %1$L, bad.value from bad)
         update %2$s as t set %1$I = %5$s from bad where t.id = bad.id',
        column_name, target::regclass, bad_when, target, replacement);
    get diagnostics moved = row_count;
    if moved > 0 then
        raise warning '% value(s) of %.% moved to private.legacy_values', moved, target, column_name;
    end if;
    return moved;
end;
$$;

comment on function private.quarantine_legacy_values(text, text, text, text) is
    'Upgrade helper: copies the values of target.column_name matching bad_when into private.legacy_values, then sets them to replacement. Returns how many moved.';

create or replace function private.quarantine_legacy_rows(target text, bad_when text)
returns bigint
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    moved bigint;
begin
    execute format(
        'with bad as (delete from %1$s as t where %2$s returning t.id, to_jsonb(t) as value)
         insert into private.legacy_values (table_name, row_id, column_name, original_value)
         select %3$L, bad.id, ''*'', bad.value::text from bad',
        target::regclass, bad_when, target);
    get diagnostics moved = row_count;
    if moved > 0 then
        raise warning '% row(s) of % moved to private.legacy_values', moved, target;
    end if;
    return moved;
end;
$$;

comment on function private.quarantine_legacy_rows(text, text) is
    'Upgrade helper: moves the rows of target matching bad_when, whole (as JSON, column_name *), into private.legacy_values. Returns how many moved.';
