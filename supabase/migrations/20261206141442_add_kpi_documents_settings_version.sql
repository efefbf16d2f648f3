-- Purpose: a stored period document carries the version of the coach's settings it was computed from (settings_version), is served and kept only while that is the current one, and the upkeep computes it again otherwise (a save during a pass no longer leaves it stale).

set lock_timeout = '500ms';

-- Before: a change of the coach row (name, time zone) or of its settings deleted the stored documents (triggers
-- private.kpi_forget_documents), and the upkeep stored them again when fewer than 5 were stored for today. A pass that
-- read the settings before the save committed re-inserted documents computed from the old ones after the delete, and
-- the next pass found 5 and kept them: stale ROI, acquisition cost, time saved or time zone until the data changed or
-- local midnight (issue 23). Now each document says what it was computed from, read in the same snapshot as the
-- document itself, and whoever reads it compares with the current version.

-- The version of what a period document reads besides the facts: the coach row (name, time zone) and its settings row
-- (setter cost and whether it is confirmed, minutes per message, no-show rate, currency), whole, so a column added to
-- either later is covered too. A digest of the rows' JSON, written in UTC so that it does not depend on the session's
-- TimeZone (the upkeep's and PostgREST's sessions must compute the same one). Any committed change of either row
-- (updated_at moves with every update) or within a transaction (the values move) gives another version.
create or replace function private.kpi_settings_version(target_coach uuid)
returns text
language sql
stable
security invoker
set search_path = ''
set timezone = 'UTC'
as $$
    select md5(jsonb_build_array(to_jsonb(c), to_jsonb(s))::text)
    from public.coachs as c
    left join public.coach_settings as s on s.coach_id = c.id
    where c.id = target_coach;
$$;

comment on function private.kpi_settings_version(uuid) is
    'Version of the settings a period document is computed from: md5 of the coach row and its coach_settings row as JSON (timestamps in UTC whatever the session). Changes with any change of either row; null for an unknown coach.';

revoke all on function private.kpi_settings_version(uuid) from public;

alter table private.kpi_documents add column settings_version text;

comment on column private.kpi_documents.settings_version is
    'private.kpi_settings_version() of the coach as the document read it (same snapshot): the document is served and kept only while it equals the current one; null (documents stored before the column) never does.';

comment on table private.kpi_documents is
    'The period documents of the preset periods of a coach, as the upkeep computed them after the coach''s facts last changed (and when its local day or its settings change): get_dashboard returns the one of the caller''s period when it is for today and from the current settings (settings_version), else computes the document.';

-- True when the coach's five preset documents are stored for this local day and from its current settings.
create or replace function private.kpi_documents_current(target_coach uuid, today date)
returns boolean
language sql
stable
security invoker
set search_path = ''
as $$
    select count(*) = 5
    from private.kpi_documents as d
    where d.coach_id = target_coach and d.day = today
        and d.settings_version = (select private.kpi_settings_version(target_coach));
$$;

comment on function private.kpi_documents_current(uuid, date) is
    'True when the five preset period documents of the coach are stored for its local day today and computed from its current settings (private.kpi_settings_version); the upkeep computes them again otherwise.';

revoke all on function private.kpi_documents_current(uuid, date) from public;

-- The documents of the preset periods of a coach, computed now for its local today, each with the settings version
-- read in the same statement (the same snapshot as the document). Under the writers' lock: the upkeep and the rebuild
-- hold it already (it is re-entrant); a direct call waits for the pass in progress.
create or replace function private.kpi_refresh_documents(target_coach uuid)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
    written integer;
begin
    perform pg_catalog.pg_advisory_xact_lock(private.kpi_upkeep_lock());
    insert into private.kpi_documents as d (coach_id, period, day, document, computed_at, settings_version)
    select target_coach, x.key, p.today, private.kpi_period_document(target_coach, p), now(),
        private.kpi_settings_version(target_coach)
    from unnest(array['today', '7d', '30d', '90d', 'all']) as x (key)
    cross join lateral private.kpi_resolve_period(target_coach, x.key, null, null) as p
    on conflict (coach_id, period) do update
    set day = excluded.day, document = excluded.document, computed_at = excluded.computed_at,
        settings_version = excluded.settings_version;
    get diagnostics written = row_count;
    return written;
end;
$$;

comment on function private.kpi_refresh_documents(uuid) is
    'Computes the period documents of the preset periods (today, 7d, 30d, 90d, all) of a coach for its local today into private.kpi_documents, each with the settings version it read (private.kpi_settings_version, same snapshot). Takes the KPI writers'' lock. Run by the upkeep for the coaches whose facts changed, whose local day changed, or whose stored documents are not from their current settings.';

-- One pass of the upkeep (20261201150902), the stored documents now recomputed when they are not from the current
-- settings (private.kpi_documents_current) rather than only when fewer than 5 exist for today.
create or replace function private.kpi_upkeep(max_rows integer default 20000, backfill_batch integer default 2000)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
set jit = off
as $$
declare
    started timestamptz := clock_timestamp();
    drained integer;
    ids uuid[];
    walked integer := 0;
begin
    perform pg_advisory_xact_lock(private.kpi_upkeep_lock());
    with d as (
        delete from private.kpi_dirty_leads as q
        where q.id in (select x.id from private.kpi_dirty_leads as x order by x.id limit max_rows)
        returning q.lead_id
    )
    select count(*), array_agg(distinct d.lead_id) into drained, ids from d;
    perform private.kpi_apply_lead_facts(ids);
    -- the windows of the preset periods, the follow-up list and the stored documents of the coaches whose local
    -- day changed, or whose documents are missing or not from their current settings (new coaches, a settings save
    -- that committed while a pass was computing them)
    perform private.kpi_refresh_windows(n.coach_id), private.kpi_refresh_follow_up(n.coach_id),
        private.kpi_refresh_documents(n.coach_id)
    from private.kpi_coach_now as n
    join public.coachs as c on c.id = n.coach_id
    where n.follow_up_day is distinct from (now() at time zone c.timezone)::date
        or not exists (
            select 1 from private.kpi_facts as w
            where w.coach_id = n.coach_id and w.grain = 'today' and w.end_day = (now() at time zone c.timezone)::date)
        or not private.kpi_documents_current(n.coach_id, (now() at time zone c.timezone)::date);
    if (select s.backfill_done_at is null from private.kpi_upkeep_state as s) then
        walked := private.kpi_walk(backfill_batch);
    end if;
    update private.kpi_upkeep_state
    set last_pass_at = case when drained < max_rows then now() else last_pass_at end,
        last_pass_leads = coalesce(cardinality(ids), 0),
        last_pass_ms = round(extract(epoch from clock_timestamp() - started) * 1000, 1);
    return jsonb_build_object('queued', drained, 'leads', coalesce(cardinality(ids), 0), 'walked', walked,
        'ms', round(extract(epoch from clock_timestamp() - started) * 1000, 1));
end;
$$;

comment on function private.kpi_upkeep(integer, integer) is
    'One upkeep pass: drains up to max_rows rows of private.kpi_dirty_leads, recomputes those leads'' facts and applies the differences; recomputes the preset windows, follow-up list and stored documents of coaches whose local day changed or whose stored documents are missing or not from their current settings (private.kpi_documents_current); while the backfill is not done, also walks backfill_batch older leads. Sets last_pass_at (the last_updated of period documents) when the queue was emptied. Cost: proportional to the leads changed, not to the history. Returns {queued, leads, walked, ms}.';

-- get_dashboard with a period (20261201150912): the stored document is served only when it was computed from the
-- coach's current settings; otherwise (a save since the last pass) the document is computed now.
create or replace function private.kpi_period_dashboard(coach_id uuid, period text, period_start date, period_end date)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
set plan_cache_mode = force_generic_plan
as $$
declare
    target uuid := private.check_coach_access(kpi_period_dashboard.coach_id);
    p private.kpi_period := private.kpi_resolve_period(target, period, period_start, period_end);
    cached jsonb;
begin
    select d.document || jsonb_build_object('last_updated', (select u.last_pass_at from private.kpi_upkeep_state as u))
    into cached
    from private.kpi_documents as d
    where d.coach_id = target and d.period = p.key and d.day = p.today
        and d.settings_version = (select private.kpi_settings_version(target));
    return coalesce(cached, private.kpi_period_document(target, p));
end;
$$;

comment on function private.kpi_period_dashboard(uuid, text, date, date) is
    'get_dashboard with a period: checks the caller (private.check_coach_access), resolves the period, returns the document of that preset period the upkeep computed for the coach''s today from its current settings (private.kpi_documents, settings_version; last_updated = the last upkeep pass), else computes it (private.kpi_period_document). Security definer: reads the private facts tables after the check. Generic plans for every statement (left to choose, PL/pgSQL re-planned the follow-up list on every call: 0.7 ms of planning for 0.3 ms of work).';
