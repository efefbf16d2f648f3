-- Purpose: private.kpi_variant_facts, the per-day and per-month sums of DM variants, kept by the upkeep pass from the lead facts and filled once from the current ones.

-- The table, the functions that keep it, the upkeep's hook (private.kpi_apply_lead_facts) and the fill are one step:
-- the upkeep adds differences between a lead's new and stored facts, so the table must hold the contributions of
-- every stored lead fact from the moment the hook is in. The fill runs under the upkeep's advisory lock (no pass
-- runs meanwhile: ingestion is not blocked, it only queues leads) and reads private.lead_facts only, one aggregate
-- (a few seconds for 500,000 leads; lock_timeout makes the migration fail rather than wait for a long pass, and
-- scripts/upgrade/push.sh retries it). private.kpi_rebuild clears the coach's rows before rebuilding.
set lock_timeout = '500ms';

create table private.kpi_variant_facts (
    coach_id uuid not null,
    grain text not null,
    day date not null,
    step smallint not null,
    variant text not null,
    sent integer not null default 0,
    replied integer not null default 0,
    qualified integer not null default 0,
    booked integer not null default 0,
    won integer not null default 0,
    updated_at timestamptz not null default now(),
    constraint kpi_variant_facts_grain_valid check (grain = 'day' or (grain = 'month' and extract(day from day) = 1)),
    constraint kpi_variant_facts_step_valid check (step between 1 and 4),
    constraint kpi_variant_facts_pkey primary key (coach_id, grain, day, step, variant),
    constraint kpi_variant_facts_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

alter table private.kpi_variant_facts enable row level security;

comment on table private.kpi_variant_facts is
    'Additive KPI facts of a coach''s DM variants over one local day (grain day) or one local month (grain month): the leads whose DM N (step) was sent that day with that variant, and how many of them replied to it and reached qualified, call_booked and won since. The upkeep adds the differences of the contributions of changed leads (private.kpi_add_variant_contributions, from private.lead_facts.dmN_variant); a period sums its whole months and remaining days (private.kpi_variant_sums). Rebuilt by private.kpi_rebuild(). No policy: read only through private.kpi_variant_report.';
comment on column private.kpi_variant_facts.coach_id is 'The coach.';
comment on column private.kpi_variant_facts.grain is 'day or month.';
comment on column private.kpi_variant_facts.day is 'The local day, or the first day of the local month.';
comment on column private.kpi_variant_facts.step is 'The DM step, 1 to 4 (the outbound message numbered so).';
comment on column private.kpi_variant_facts.variant is 'messages.variant of that DM; the empty string for the DMs without one ("sans variante").';
comment on column private.kpi_variant_facts.sent is 'Leads whose DM of that step was sent in the range with that variant.';
comment on column private.kpi_variant_facts.replied is 'Of those, leads who answered that DM.';
comment on column private.kpi_variant_facts.qualified is 'Of those, leads who reached qualified (or a later stage) since, whenever.';
comment on column private.kpi_variant_facts.booked is 'Of those, leads who reached call_booked (or a later stage) since, whenever.';
comment on column private.kpi_variant_facts.won is 'Of those, leads who were won since, whenever.';
comment on column private.kpi_variant_facts.updated_at is 'When the upkeep last changed the row.';

create or replace function private.kpi_variant_contributions(f private.lead_facts)
returns table(day date, step smallint, variant text, sent integer, replied integer, qualified integer, booked integer, won integer)
language sql
immutable
security invoker
set search_path = ''
as $$
    select x.day, x.step, coalesce(x.variant, ''), 1,
        x.replied::integer, (f.qualified_at is not null)::integer, (f.booked_at is not null)::integer,
        (f.won_at is not null)::integer
    from (values
        (f.dm1_day, 1::smallint, f.dm1_variant, f.dm1_replied),
        (f.dm2_day, 2::smallint, f.dm2_variant, f.dm2_replied),
        (f.dm3_day, 3::smallint, f.dm3_variant, f.dm3_replied),
        (f.dm4_day, 4::smallint, f.dm4_variant, f.dm4_replied)
    ) as x (day, step, variant, replied)
    where x.day is not null;
$$;

comment on function private.kpi_variant_contributions(private.lead_facts) is
    'What one lead adds to private.kpi_variant_facts: for each DM step N it received, on the local day of DM N and under DM N''s own variant (empty: none), one send, whether it replied to DM N, and whether it reached qualified, call_booked and won since. The lead''s variant is its DM 1''s: step 1''s downstream counts are those of the lead''s variant.';

revoke execute on function private.kpi_variant_contributions(private.lead_facts) from public;

create or replace function private.kpi_add_variant_contributions(new_rows private.lead_facts[], old_rows private.lead_facts[])
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    changed integer;
    empty_coaches uuid[];
    empty_grains text[];
    empty_days date[];
    empty_steps smallint[];
    empty_variants text[];
begin
    with delta as (
        select t.coach_id, t.grain, t.day, t.step, t.variant,
            sum(t.sent) as sent, sum(t.replied) as replied, sum(t.qualified) as qualified, sum(t.booked) as booked,
            sum(t.won) as won
        from (
            select x.coach_id, g.grain, g.day, x.step, x.variant, x.sent, x.replied, x.qualified, x.booked, x.won
            from (
                select f.coach_id, c.day, c.step, c.variant, c.sent, c.replied, c.qualified, c.booked, c.won
                from unnest(new_rows) as f cross join lateral private.kpi_variant_contributions(f) as c
                union all
                select f.coach_id, c.day, c.step, c.variant, -c.sent, -c.replied, -c.qualified, -c.booked, -c.won
                from unnest(old_rows) as f cross join lateral private.kpi_variant_contributions(f) as c
            ) as x
            cross join lateral (values ('day', x.day), ('month', date_trunc('month', x.day)::date)) as g (grain, day)
        ) as t
        group by 1, 2, 3, 4, 5
        having (sum(t.sent), sum(t.replied), sum(t.qualified), sum(t.booked), sum(t.won)) <> (0, 0, 0, 0, 0)
    ),
    written as (
        insert into private.kpi_variant_facts as k (coach_id, grain, day, step, variant, sent, replied, qualified,
            booked, won)
        select d.coach_id, d.grain, d.day, d.step, d.variant, d.sent, d.replied, d.qualified, d.booked, d.won
        from delta as d
        order by d.coach_id, d.grain, d.day, d.step, d.variant
        on conflict (coach_id, grain, day, step, variant) do update
        set sent = k.sent + excluded.sent,
            replied = k.replied + excluded.replied,
            qualified = k.qualified + excluded.qualified,
            booked = k.booked + excluded.booked,
            won = k.won + excluded.won,
            updated_at = now()
        returning k.coach_id, k.grain, k.day, k.step, k.variant,
            (k.sent, k.replied, k.qualified, k.booked, k.won) = (0, 0, 0, 0, 0) as empty
    )
    select count(*), array_agg(w.coach_id) filter (where w.empty), array_agg(w.grain) filter (where w.empty),
        array_agg(w.day) filter (where w.empty), array_agg(w.step) filter (where w.empty),
        array_agg(w.variant) filter (where w.empty)
    into changed, empty_coaches, empty_grains, empty_days, empty_steps, empty_variants
    from written as w;
    -- rows left with nothing
    if empty_coaches is not null then
        delete from private.kpi_variant_facts as k
        using unnest(empty_coaches, empty_grains, empty_days, empty_steps, empty_variants) as e (coach_id, grain, day, step, variant)
        where k.coach_id = e.coach_id and k.grain = e.grain and k.day = e.day and k.step = e.step
            and k.variant = e.variant;
    end if;
    return changed;
end;
$$;

comment on function private.kpi_add_variant_contributions(private.lead_facts[], private.lead_facts[]) is
    'Adds the variant contributions of new_rows minus those of old_rows (private.kpi_variant_contributions) to the day and month rows of private.kpi_variant_facts (inserted when missing, in key order; deleted when left with nothing). Returns the rows written.';

revoke execute on function private.kpi_add_variant_contributions(private.lead_facts[], private.lead_facts[]) from public;

create or replace function private.kpi_apply_lead_facts(lead_ids uuid[])
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
set jit = off
as $$
declare
    new_rows private.lead_facts[];
    old_rows private.lead_facts[];
begin
    if lead_ids is null or cardinality(lead_ids) = 0 then
        return 0;
    end if;
    new_rows := array(select f from private.kpi_compute_lead_facts(lead_ids) as f);
    old_rows := array(select f from private.lead_facts as f where f.lead_id = any (lead_ids));
    perform private.kpi_add_contributions(new_rows, old_rows);
    perform private.kpi_add_variant_contributions(new_rows, old_rows);
    perform private.kpi_add_pipeline(new_rows, old_rows);
    delete from private.lead_facts as f where f.lead_id = any (lead_ids);
    insert into private.lead_facts select * from unnest(new_rows);
    -- the follow-up list and the stored documents of the coaches whose facts changed (not those only re-checked)
    perform private.kpi_refresh_follow_up(x.coach_id), private.kpi_refresh_documents(x.coach_id)
    from (
        select distinct coalesce(n.coach_id, o.coach_id) as coach_id
        from unnest(new_rows) as n
        full join unnest(old_rows) as o on o.lead_id = n.lead_id
        where (to_jsonb(n) - 'computed_at') is distinct from (to_jsonb(o) - 'computed_at')
    ) as x;
    return cardinality(lead_ids);
end;
$$;

comment on function private.kpi_apply_lead_facts(uuid[]) is
    'Recomputes private.lead_facts for the given leads (deleted leads lose their row), adds the difference of their contributions to private.kpi_facts, private.kpi_variant_facts and private.kpi_coach_now, and recomputes the follow-up list and the stored documents of the coaches whose facts changed. The caller holds the upkeep lock. Returns the number of leads.';

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
    'Rebuilds a coach''s KPI facts from scratch (lead facts, day and month sums, variant sums, current pipeline) from the source tables, chunk leads at a time, in one transaction. Equal to the incremental state (pgTAP 23). Returns the leads rebuilt.';

select pg_advisory_xact_lock(private.kpi_upkeep_lock());

insert into private.kpi_variant_facts (coach_id, grain, day, step, variant, sent, replied, qualified, booked, won)
select f.coach_id, g.grain, g.day, c.step, c.variant, sum(c.sent), sum(c.replied), sum(c.qualified), sum(c.booked),
    sum(c.won)
from private.lead_facts as f
cross join lateral private.kpi_variant_contributions(f) as c
cross join lateral (values ('day', c.day), ('month', date_trunc('month', c.day)::date)) as g (grain, day)
group by 1, 2, 3, 4, 5
order by 1, 2, 3, 4, 5;
