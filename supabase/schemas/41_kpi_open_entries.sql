-- KPI engine: the open-key entries of a day, week or month row of private.kpi_facts (the counts without a typed column
-- and the maps whose keys are free text or unbounded) kept as two arrays, so a range sums array elements instead of
-- expanding every map of every row (private.kpi_range_sums).

create or replace function private.kpi_typed_count_keys()
returns text[]
language sql
immutable
security invoker
set search_path = ''
as $$
    select array['new_leads', 'cohort_messages', 'tta_sum', 'tta_count', 'emails', 'men', 'women', 'other_gender',
        'unknown_gender', 'age_sum', 'age_count', 'messages_sent', 'messages_received', 'inbound_answered', 'dm1_sent',
        'dm1_replied', 'dm2_sent', 'dm2_replied', 'dm3_sent', 'dm3_replied', 'dm4_sent', 'dm4_replied',
        'cohort_qualified', 'cohort_proposed', 'cohort_booked', 'cohort_won', 'cohort_lost', 'qualified',
        'calls_proposed', 'calls_booked', 'deals_won', 'revenue', 'won_valued', 'lost', 'lead_magnets', 'call_outcomes',
        'no_shows'];
$$;

comment on function private.kpi_typed_count_keys() is
    'The keys of private.kpi_facts.counts that have a typed column (generated from counts, same name): a range sums those as columns and every other key of counts as an open entry (private.kpi_open_entries). pgTAP 78 checks the list against the table''s generated columns.';

revoke execute on function private.kpi_typed_count_keys() from public;

create or replace function private.kpi_open_entries(f private.kpi_facts)
returns table (keys text[], counts numeric[])
language sql
stable
security invoker
set search_path = ''
as $$
    -- one list, each key prefixed by its map: c: counts without a typed column, s: sources, p: professions,
    -- l: lost reasons, v: speed buckets without a slot (beyond 30 days); both arrays in the same order
    select coalesce(array_agg(e.key), '{}'), coalesce(array_agg(e.n), '{}')
    from (
        select 'c:' || x.key as key, x.value::numeric as n
        from jsonb_each(f.counts - private.kpi_typed_count_keys()) as x
        union all
        select 's:' || x.key, x.value::numeric from jsonb_each(f.sources) as x
        union all
        select 'p:' || x.key, x.value::numeric from jsonb_each(f.professions) as x
        union all
        select 'l:' || x.key, x.value::numeric from jsonb_each(f.lost_reasons) as x
        union all
        select 'v:' || x.key, x.value::numeric from jsonb_each(f.speed - private.kpi_speed_slot_keys()) as x
    ) as e;
$$;

comment on function private.kpi_open_entries(private.kpi_facts) is
    'The open entries of a row of private.kpi_facts as two arrays in the same order: keys prefixed by their map (c: the counts without a typed column, private.kpi_typed_count_keys; s: sources; p: professions; l: lost reasons; v: the speed buckets without a slot, beyond 30 days) and their numbers as in the maps. What a range adds besides the typed columns and the packed slots (private.kpi_range_sums); kept in open_keys and open_counts by the triggers kpi_facts_open_entries_insert and _update.';

revoke execute on function private.kpi_open_entries(private.kpi_facts) from public;

create or replace function private.kpi_facts_open_entries()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
    select x.keys, x.counts into new.open_keys, new.open_counts from private.kpi_open_entries(new) as x;
    return new;
end;
$$;

comment on function private.kpi_facts_open_entries() is
    'Trigger function of private.kpi_facts (before an insert of a day, week or month row, and before an update of one that changes counts or an open-key map): sets open_keys and open_counts from the row (private.kpi_open_entries), so every writer of the maps (the upkeep''s private.kpi_add_contributions, a rebuild) keeps them. Window rows are left empty: a range reads day, week and month rows only.';

revoke execute on function private.kpi_facts_open_entries() from public;

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
