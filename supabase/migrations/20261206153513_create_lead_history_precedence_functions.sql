-- Purpose: a lead's history with sources: places a status of n8n, the coach, Calendly or Stripe at the time it happened, applies the precedence of the coach's and Stripe's outcomes (contradicting entries set aside, never lost) and keeps the statuses of the entries consistent.

set lock_timeout = '500ms';

-- The rules (written once, docs/kpis.md "Outcomes: who wins when sources disagree"):
--   1. Entries are ordered by the time they happened (changed_at), not by arrival.
--   2. A decision is a status entry of the coach or Stripe to won, lost or relance (back to follow-up).
--   3. After a decision to won or lost, a status of n8n or Calendly dated later is set aside (kept in
--      public.lead_events_set_aside, not in the history): it cannot undo the outcome, whatever order they arrive in.
--      The coach's back to follow-up ends that: later statuses of n8n apply again.
--   4. A decision replaces the contradicting outcomes before it: won sets aside earlier lost entries; lost sets aside
--      earlier won entries; back to follow-up sets aside both. A won of Stripe (a payment) is never set aside.
--   5. The same status twice counts once (every KPI counts the first time a stage is reached).

-- The latest decision at or before a time (rule 2), or null.
create or replace function private.lead_decision_at(target_lead uuid, at_time timestamptz)
returns public.lead_status_events
language sql
stable
security invoker
set search_path = ''
as $$
    select e.*
    from public.lead_status_events as e
    where e.lead_id = target_lead
        and e.kind = 'status'
        and e.source in ('coach', 'stripe')
        and e.to_status in ('won', 'lost', 'relance')
        and e.changed_at <= at_time
    order by e.changed_at desc, e.id desc
    limit 1;
$$;

comment on function private.lead_decision_at(uuid, timestamptz) is
    'The latest decision of a lead at or before at_time: a status entry of the coach or Stripe to won, lost or relance; null when none.';

-- The status in effect at a time: the latest status entry at or before it.
create or replace function private.lead_status_at(target_lead uuid, at_time timestamptz)
returns text
language sql
stable
security invoker
set search_path = ''
as $$
    select e.to_status
    from public.lead_status_events as e
    where e.lead_id = target_lead and e.kind = 'status' and e.changed_at <= at_time
    order by e.changed_at desc, e.id desc
    limit 1;
$$;

comment on function private.lead_status_at(uuid, timestamptz) is
    'The status of a lead in effect at at_time: to_status of its latest status entry at or before it (null before its first).';

-- Moves entries out of the history into public.lead_events_set_aside, whole. Returns the set-aside rows' ids.
create or replace function private.set_aside_lead_events(event_ids bigint[], set_reason text, by_event bigint)
returns bigint[]
language sql
volatile
security invoker
set search_path = ''
as $$
    with moved as (
        delete from public.lead_status_events as e
        where e.id = any (event_ids)
        returning e.*
    ),
    kept as (
        insert into public.lead_events_set_aside (lead_id, coach_id, event_id, from_status, to_status, changed_at,
            recorded_at, source, author_id, kind, details, reason, set_aside_by)
        select m.lead_id, m.coach_id, m.id, m.from_status, m.to_status, m.changed_at, m.recorded_at, m.source,
            m.author_id, m.kind, m.details, set_reason, by_event
        from moved as m
        order by m.changed_at, m.id
        returning id
    )
    select coalesce(array_agg(k.id), '{}') from kept as k;
$$;

comment on function private.set_aside_lead_events(bigint[], text, bigint) is
    'Moves the given lead_status_events entries, whole, to public.lead_events_set_aside with the reason and the decision that took precedence. Returns their ids there.';

-- A status of n8n or Calendly that arrives after a won or lost decision dated before it (rule 3): kept aside at once.
-- The same entry again (same source, status and time) is recognised.
create or replace function private.set_aside_arriving_status(
    target_lead uuid,
    new_status text,
    event_time timestamptz,
    event_source text,
    event_details jsonb,
    decision_id bigint
)
returns text
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
    if exists (
        select 1 from public.lead_events_set_aside as a
        where a.lead_id = target_lead and a.kind = 'status' and a.source = event_source
            and a.to_status = new_status and a.changed_at = event_time
    ) then
        return 'duplicate';
    end if;
    insert into public.lead_events_set_aside (lead_id, coach_id, from_status, to_status, changed_at, recorded_at,
        source, kind, details, reason, set_aside_by)
    select l.id, l.coach_id, private.lead_status_at(target_lead, event_time), new_status, event_time, now(),
        event_source, 'status', event_details, 'after_outcome', decision_id
    from public.leads as l
    where l.id = target_lead;
    return 'set_aside';
end;
$$;

comment on function private.set_aside_arriving_status(uuid, text, timestamptz, text, jsonb, bigint) is
    'Keeps a status of n8n or Calendly dated after a won or lost decision in public.lead_events_set_aside (reason after_outcome) instead of the history. Returns set_aside, or duplicate when the same entry was already set aside.';

-- After entries moved: each status entry's from_status is the status before it, and an entry of another kind
-- carries the status in effect at its time (so no entry can make a lead look won or lost once its outcome was set
-- aside). The first status entry is left as it is.
create or replace function private.normalize_lead_history(target_lead uuid)
returns void
language sql
volatile
security invoker
set search_path = ''
as $$
    with ordered as (
        select e.id, e.kind, e.from_status, e.to_status,
            count(*) filter (where e.kind = 'status') over (
                order by e.changed_at, e.id rows between unbounded preceding and current row) as grp
        from public.lead_status_events as e
        where e.lead_id = target_lead
    ),
    statuses as (
        select o.grp, o.to_status, lag(o.to_status) over (order by o.grp) as previous
        from ordered as o
        where o.kind = 'status'
    ),
    expected as (
        select o.id,
            case when o.kind = 'status' then coalesce(s.previous, o.from_status) else s.to_status end as from_status,
            case when o.kind = 'status' then o.to_status else s.to_status end as to_status
        from ordered as o
        join statuses as s on s.grp = o.grp
    )
    update public.lead_status_events as e
    set from_status = x.from_status, to_status = x.to_status
    from expected as x
    where e.id = x.id and (e.from_status, e.to_status) is distinct from (x.from_status, x.to_status);
$$;

comment on function private.normalize_lead_history(uuid) is
    'Makes a lead''s history consistent after entries were set aside or inserted late: from_status of each status entry = the status before it; from_status = to_status of every other entry = the status in effect at its time.';

-- Rule 3 for a decision arriving late (Stripe): the statuses of n8n and Calendly dated after it, up to the next
-- decision, are set aside. Returns their ids in public.lead_events_set_aside.
create or replace function private.set_aside_after_decision(target_lead uuid, event_time timestamptz)
returns bigint[]
language sql
volatile
security invoker
set search_path = ''
as $$
    select private.set_aside_lead_events(array(
        select e.id from public.lead_status_events as e
        where e.lead_id = target_lead
            and e.kind = 'status'
            and e.source in ('n8n', 'calendly')
            and e.changed_at > event_time
            and e.changed_at < coalesce((
                select min(d.changed_at) from public.lead_status_events as d
                where d.lead_id = target_lead and d.kind = 'status' and d.source in ('coach', 'stripe')
                    and d.to_status in ('won', 'lost', 'relance') and d.changed_at > event_time
            ), 'infinity')
    ), 'after_outcome', null);
$$;

comment on function private.set_aside_after_decision(uuid, timestamptz) is
    'For a won or lost decision at event_time: sets aside the status entries of n8n and Calendly dated after it and before the next decision (rule 3). Returns their ids in public.lead_events_set_aside.';

-- Rule 4: the outcomes before a decision that contradict it. Returns their ids in public.lead_events_set_aside.
create or replace function private.set_aside_replaced_outcomes(target_lead uuid, decision public.lead_status_events)
returns bigint[]
language sql
volatile
security invoker
set search_path = ''
as $$
    select private.set_aside_lead_events(array(
        select e.id from public.lead_status_events as e
        where e.lead_id = target_lead
            and e.kind = 'status'
            and e.id <> decision.id
            and e.changed_at <= decision.changed_at
            and (
                (e.to_status = 'lost' and decision.to_status in ('won', 'relance'))
                or (e.to_status = 'won' and e.source <> 'stripe' and decision.to_status in ('lost', 'relance'))
            )
    ), 'replaced_by_outcome', decision.id);
$$;

comment on function private.set_aside_replaced_outcomes(uuid, public.lead_status_events) is
    'For a decision: sets aside the status entries at or before it that it replaces (rule 4): lost ones for won or back to follow-up, won ones (not Stripe''s) for lost or back to follow-up. Returns their ids in public.lead_events_set_aside.';

revoke all on function private.lead_decision_at(uuid, timestamptz) from public;
revoke all on function private.lead_status_at(uuid, timestamptz) from public;
revoke all on function private.set_aside_lead_events(bigint[], text, bigint) from public;
revoke all on function private.set_aside_arriving_status(uuid, text, timestamptz, text, jsonb, bigint) from public;
revoke all on function private.normalize_lead_history(uuid) from public;
revoke all on function private.set_aside_after_decision(uuid, timestamptz) from public;
revoke all on function private.set_aside_replaced_outcomes(uuid, public.lead_status_events) from public;

-- n8n's ingest_lead (security invoker, service_role) places its statuses through these.
grant execute on function private.lead_decision_at(uuid, timestamptz) to service_role;
grant execute on function private.lead_status_at(uuid, timestamptz) to service_role;
grant execute on function private.set_aside_lead_events(bigint[], text, bigint) to service_role;
grant execute on function private.set_aside_arriving_status(uuid, text, timestamptz, text, jsonb, bigint) to service_role;
grant execute on function private.normalize_lead_history(uuid) to service_role;
grant execute on function private.set_aside_after_decision(uuid, timestamptz) to service_role;
grant execute on function private.set_aside_replaced_outcomes(uuid, public.lead_status_events) to service_role;
