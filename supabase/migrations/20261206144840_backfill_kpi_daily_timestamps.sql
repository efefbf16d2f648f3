-- Purpose: step 2 of 4 of the kpi_daily timestamps convergence: the legacy nulls of created_at/updated_at filled, their originals kept in private.legacy_values.

-- As 20261201135542 does for leads: created_at takes the row's updated_at, else now(); the update stamps updated_at
-- (trigger kpi_daily_set_updated_at), so the row's legacy updated_at is recorded too (null or not), and a synthesized
-- value can always be told from a real one. On a database without such rows (any fresh one) nothing changes; row
-- locks only, on the rows it fills. scripts/upgrade/prepare.js runs this statement ahead of the push (the push runs
-- it again and finds nothing).
set lock_timeout = '500ms';

with touched as (
    select k.id, k.created_at, k.updated_at
    from public.kpi_daily as k
    where k.created_at is null or k.updated_at is null
),
kept as (
    insert into private.legacy_values (table_name, row_id, column_name, original_value)
    select 'public.kpi_daily', t.id, c.column_name, c.original_value
    from touched as t
    cross join lateral (values ('created_at', t.created_at::text, t.created_at is null), ('updated_at', t.updated_at::text, true))
        as c (column_name, original_value, changes)
    where c.changes
)
update public.kpi_daily as k
set created_at = coalesce(k.created_at, k.updated_at, now())
from touched as t
where k.id = t.id;
