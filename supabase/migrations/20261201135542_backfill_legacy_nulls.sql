-- Purpose: step 2 of 4 of the convergence: the nulls a legacy database holds where the fresh schema says NOT NULL get a value, their originals kept in private.legacy_values.

-- Rows from the brief's legacy tables may lack what a fresh row always has. Each is filled with the closest thing the
-- database knows, and the original (null) is recorded, so a synthesized value can always be told from a real one:
--   coachs.name         'Coach ' and the email's local part (else the id's first 8 characters)
--   coachs.email        legacy-<id>@coach.invalid (the reserved .invalid domain: never anyone's address)
--   coachs.created_at   its first lead's created_at, else now()
--   leads.created_at    its updated_at, else now(); updating the row stamps updated_at (trigger), so the row's legacy
--                       updated_at is recorded too
--   leads.updated_at    now() (the same trigger)
--   messages.created_at its lead's created_at (the message's derived columns follow, by trigger)
-- On a database without such rows (any fresh one) nothing changes. Row locks only, on the rows it fills.
set lock_timeout = '500ms';

-- One update per table: a row is checked against every constraint of step 1 when it is written, so all its nulls
-- are filled at once.
with touched as (
    select c.id, c.name, c.email, c.created_at
    from public.coachs as c
    where c.name is null or c.email is null or c.created_at is null
),
kept as (
    insert into private.legacy_values (table_name, row_id, column_name, original_value)
    select 'public.coachs', t.id, c.column_name, null
    from touched as t
    cross join lateral (values ('name', t.name is null), ('email', t.email is null), ('created_at', t.created_at is null))
        as c (column_name, was_null)
    where c.was_null
)
update public.coachs as c
set name = coalesce(c.name, 'Coach ' || coalesce(nullif(split_part(c.email, '@', 1), ''), left(c.id::text, 8))),
    email = coalesce(c.email, 'legacy-' || c.id || '@coach.invalid'),
    created_at = coalesce(c.created_at, (select min(l.created_at) from public.leads as l where l.coach_id = c.id), now())
from touched as t
where c.id = t.id;

with touched as (
    select l.id, l.created_at, l.updated_at
    from public.leads as l
    where l.created_at is null or l.updated_at is null
),
kept as (
    insert into private.legacy_values (table_name, row_id, column_name, original_value)
    select 'public.leads', t.id, c.column_name, c.original_value
    from touched as t
    cross join lateral (values ('created_at', t.created_at::text, t.created_at is null), ('updated_at', t.updated_at::text, true))
        as c (column_name, original_value, changes)
    where c.changes
)
update public.leads as l
set created_at = coalesce(l.created_at, l.updated_at, now())
from touched as t
where l.id = t.id;

select private.quarantine_legacy_values('public.messages', 'created_at', 't.created_at is null',
    'coalesce((select l.created_at from public.leads as l where l.id = t.lead_id), now())');
