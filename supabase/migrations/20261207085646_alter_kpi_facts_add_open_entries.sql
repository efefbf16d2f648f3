-- Purpose: private.kpi_facts gains open_keys and open_counts (the open entries of a day, week or month row, kept by a trigger) so a range sums array elements instead of expanding its rows' maps; the existing rows are filled by the next migration.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- constant defaults: no rewrite of the table (the existing rows read empty arrays until the backfill that follows)
alter table private.kpi_facts
    add column open_keys text[] not null default '{}'::text[],
    add column open_counts numeric[] not null default '{}'::numeric[];

comment on table private.kpi_facts is
    'Additive KPI facts of a coach over a range of local days [day, end_day]: one local day (grain day), one ISO week (grain week, Monday to Sunday: the weekly trend and the whole weeks of a range), one local month (grain month), or the current preset periods and their previous periods (grains today, 7d, 30d, 90d, all and previous_*: the windows, recomputed when the coach''s day changes). The upkeep adds the differences of the contributions of changed leads to every row whose range holds the day (private.kpi_add_contributions); the typed columns are generated from counts, conversion_slots and speed_slots kept from conversions and speed by a trigger (private.kpi_facts_pack_slots), and open_keys and open_counts from counts and the open-key maps by another (private.kpi_facts_open_entries). A preset period reads its window row; any other period sums its whole months, whole weeks and remaining days (private.kpi_range_cover). Rebuilt from scratch by private.kpi_rebuild().';

comment on column private.kpi_facts.open_keys is 'Of a day, week or month row: the keys of its open entries, each prefixed by its map (c: the counts without a typed column, s: sources, p: professions, l: lost reasons, v: the speed buckets beyond 30 days), in the order of open_counts; kept by the triggers kpi_facts_open_entries_insert and _update (private.kpi_open_entries), so a range sums array elements instead of expanding every map of every row (private.kpi_range_sums). Empty in window rows.';
comment on column private.kpi_facts.open_counts is 'Of a day, week or month row: the numbers of its open entries, in the order of open_keys (the values of the maps, exact).';

-- from now on every insert of a day, week or month row and every change of its counts or maps sets the open entries
-- (supabase/schemas/41_kpi_open_entries.sql)
create trigger kpi_facts_open_entries_insert
    before insert on private.kpi_facts
    for each row
    when (new.grain in ('day', 'week', 'month'))
    execute function private.kpi_facts_open_entries();

create trigger kpi_facts_open_entries_update
    before update on private.kpi_facts
    for each row
    when (new.grain in ('day', 'week', 'month') and (new.counts is distinct from old.counts
        or new.sources is distinct from old.sources or new.professions is distinct from old.professions
        or new.lost_reasons is distinct from old.lost_reasons or new.speed is distinct from old.speed))
    execute function private.kpi_facts_open_entries();
