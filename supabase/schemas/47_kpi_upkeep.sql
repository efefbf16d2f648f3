-- KPI engine: the upkeep pass, its loop, the backfill walk and the reconcile.

create or replace function private.kpi_upkeep_lock()
returns bigint
language sql
immutable
security invoker
set search_path = ''
as $$
    select 1420000001::bigint;
$$;

comment on function private.kpi_upkeep_lock() is
    'Key of the transaction-level advisory lock that serializes every writer of the KPI facts (upkeep pass, walk, rebuild).';

revoke execute on function private.kpi_upkeep_lock() from public;

create or replace function private.kpi_rebuild(target_coach uuid, chunk integer default 5000)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
set jit = off
as $$
declare
    ids uuid[];
    done integer := 0;
begin
    perform pg_advisory_xact_lock(private.kpi_upkeep_lock());
    delete from private.kpi_facts as k where k.coach_id = target_coach;
    delete from private.kpi_variant_facts as k where k.coach_id = target_coach;
    delete from private.kpi_cohort_facts as k where k.coach_id = target_coach;
    delete from private.kpi_coach_now as k where k.coach_id = target_coach;
    delete from private.lead_facts as f where f.coach_id = target_coach;
    ids := array(select l.id from public.leads as l where l.coach_id = target_coach order by l.id);
    for position in 1..coalesce(cardinality(ids), 0) by chunk loop
        done := done + private.kpi_apply_lead_facts(ids[position:position + chunk - 1]);
    end loop;
    perform private.kpi_refresh_windows(target_coach), private.kpi_refresh_follow_up(target_coach),
        private.kpi_refresh_documents(target_coach);
    return done;
end;
$$;

comment on function private.kpi_rebuild(uuid, integer) is
    'Rebuilds a coach''s KPI facts from scratch (lead facts, day and month sums, variant sums, cohort sums, current pipeline) from the source tables, chunk leads at a time, in one transaction. Equal to the incremental state (pgTAP 23). Returns the leads rebuilt.';

revoke execute on function private.kpi_rebuild(uuid, integer) from public;

create or replace procedure private.kpi_rebuild_all()
language plpgsql
security invoker
as $$
declare
    coach record;
begin
    for coach in select c.id from public.coachs as c order by c.id loop
        perform private.kpi_rebuild(coach.id);
        commit;
    end loop;
    update private.kpi_upkeep_state set backfill_done_at = coalesce(backfill_done_at, now());
    commit;
end;
$$;

comment on procedure private.kpi_rebuild_all() is
    'call private.kpi_rebuild_all(): rebuilds the KPI facts of every coach, one coach per transaction (online: readers keep the old facts of a coach until its rebuild commits). The fast backfill of an upgraded database; the upkeep''s walk backfills by itself otherwise. No SET clause (transaction control).';

revoke execute on procedure private.kpi_rebuild_all() from public;

create or replace function private.kpi_walk(batch integer)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
set jit = off
as $$
declare
    after_id uuid := '00000000-0000-0000-0000-000000000000';
    first_round boolean;
    ids uuid[];
begin
    perform pg_advisory_xact_lock(private.kpi_upkeep_lock());
    select coalesce(s.walk_cursor, after_id), s.walk_cursor is null into after_id, first_round
    from private.kpi_upkeep_state as s;
    select array_agg(w.id order by w.id) into ids
    from (
        select u.id
        from (
            (select l.id from public.leads as l
             where l.id >= after_id and (first_round or l.id > after_id) order by l.id limit batch)
            union
            (select f.lead_id from private.lead_facts as f
             where f.lead_id >= after_id and (first_round or f.lead_id > after_id) order by f.lead_id limit batch)
        ) as u
        order by u.id
        limit batch
    ) as w;
    perform private.kpi_apply_lead_facts(ids);
    if coalesce(cardinality(ids), 0) < batch then
        update private.kpi_upkeep_state
        set walk_cursor = null, walk_started_at = now(), backfill_done_at = coalesce(backfill_done_at, now());
    else
        update private.kpi_upkeep_state set walk_cursor = ids[cardinality(ids)];
    end if;
    return coalesce(cardinality(ids), 0);
end;
$$;

comment on function private.kpi_walk(integer) is
    'Recomputes the facts of the next batch leads in id order (existing leads and leftover facts) after private.kpi_upkeep_state.walk_cursor and moves the cursor; a round ends when fewer than batch are left (the first round completes the backfill of leads that existed before the facts tables). Returns the leads recomputed.';

revoke execute on function private.kpi_walk(integer) from public;

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

comment on function private.kpi_upkeep(integer, integer) is
    'One upkeep pass: drains up to max_rows rows of private.kpi_dirty_leads, recomputes those leads'' facts and applies the differences; recomputes the preset windows, follow-up list and stored documents of coaches whose local day changed or whose stored documents are missing or not from their current settings (private.kpi_documents_current); keeps the alerts current (private.alert_upkeep: the coaches of the changed leads and those not evaluated for a minute); while the backfill is not done, also walks backfill_batch older leads. Sets last_pass_at (the last_updated of period documents) when the queue was emptied. Cost: proportional to the leads changed, not to the history. Returns {queued, leads, walked, ms}.';

revoke execute on function private.kpi_upkeep(integer, integer) from public;

create or replace procedure private.kpi_upkeep_loop(in run_seconds integer default 58, in pause_seconds numeric default 5)
language plpgsql
security invoker
as $$
declare
    until_at timestamptz := clock_timestamp() + make_interval(secs => run_seconds);
begin
    loop
        perform private.kpi_upkeep();
        commit;
        exit when clock_timestamp() + make_interval(secs => pause_seconds) > until_at;
        perform pg_catalog.pg_sleep(pause_seconds);
    end loop;
end;
$$;

comment on procedure private.kpi_upkeep_loop(integer, numeric) is
    'Run every minute by pg_cron (job kpi-upkeep): upkeep passes (private.kpi_upkeep) every pause_seconds for run_seconds, each committed on its own. run_seconds 58 by default: the last pass of a minute comes at most about pause_seconds + 2 s before the next minute''s first, so a change waits for a pass about as long at the end of a minute as within it (it was 50: up to 15 s at the end of each minute). No SET clause (transaction control).';

revoke execute on procedure private.kpi_upkeep_loop(integer, numeric) from public;

create or replace function private.kpi_reconcile(batch integer default 2000)
returns integer
language sql
volatile
security invoker
set search_path = ''
as $$
    select private.kpi_walk(batch);
$$;

comment on function private.kpi_reconcile(integer) is
    'Reconciliation step run every 5 minutes by pg_cron (job reconcile-kpi-facts): recomputes the next batch leads of the walk and applies any difference. A full round over N leads takes N / batch runs.';

revoke execute on function private.kpi_reconcile(integer) from public;

create or replace function private.kpi_upkeep_last_pass_at()
returns timestamp with time zone
language sql
stable
security definer
set search_path = ''
as $$
    select s.last_pass_at from private.kpi_upkeep_state as s;
$$;

comment on function private.kpi_upkeep_last_pass_at() is
    'When the last KPI upkeep pass finished draining the queue (private.kpi_upkeep_state.last_pass_at; null before the first pass). Security definer so that health() can tell anyone the age of the period numbers without any right on the upkeep''s state; returns one timestamp, nothing per coach, hence no caller check.';

revoke execute on function private.kpi_upkeep_last_pass_at() from public;
grant execute on function private.kpi_upkeep_last_pass_at() to anon, authenticated, service_role;
