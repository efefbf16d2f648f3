-- Purpose: the upkeep pass drains its queue rows by key (an array of ids): the semi-join on the queue, estimated empty, was a nested loop comparing every queued row with every other (4.4 s for 2,500 rows after 1,000 messages).

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_upkeep(integer, integer), as supabase/schemas/47_kpi_upkeep.sql defines it
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
    -- the first max_rows queue rows by key (an array: a semi-join on the queue, estimated empty, was a nested loop
    -- comparing every row with every row, 4.4 s for 2,500 rows)
    with d as (
        delete from private.kpi_dirty_leads as q
        where q.id = any (array(select x.id from private.kpi_dirty_leads as x order by x.id limit max_rows))
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
    -- the alerts of the coaches of those leads, and of every coach not evaluated for a minute
    perform private.alert_upkeep(ids);
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
