-- Purpose: a lead's stage and variant facts are read lead by lead on the (lead_id, ...) indexes: with a few thousand leads (a reconcile batch) the planner scanned every coach's status events and messages, a cost that grew with the history.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_lead_stage_facts(uuid[]), as supabase/schemas/41_kpi_lead_facts.sql defines it
create or replace function private.kpi_lead_stage_facts(lead_ids uuid[])
returns table(lead_id uuid, qualified_at timestamp with time zone, proposed_at timestamp with time zone, booked_at timestamp with time zone, won_at timestamp with time zone, lost_at timestamp with time zone, booked_event_at timestamp with time zone)
language sql
stable
security invoker
set search_path = ''
as $$
    -- lead by lead on lead_status_events (lead_id, coach_id): with a few thousand leads, = any (lead_ids) was planned
    -- as a scan of every coach's status history, whose cost grew with it
    select i.id, e.qualified_at, e.proposed_at, e.booked_at, e.won_at, e.lost_at, e.booked_event_at
    from (select distinct x.id from unnest(lead_ids) as x (id)) as i
    cross join lateral (
        select
            min(e.changed_at) filter (where public.lead_status_rank(e.to_status) >= 3) as qualified_at,
            min(e.changed_at) filter (where public.lead_status_rank(e.to_status) >= 4) as proposed_at,
            min(e.changed_at) filter (where public.lead_status_rank(e.to_status) >= 5) as booked_at,
            min(e.changed_at) filter (where e.to_status = 'won') as won_at,
            min(e.changed_at) filter (where e.to_status = 'lost') as lost_at,
            min(e.changed_at) filter (where e.to_status = 'call_booked') as booked_event_at
        from public.lead_status_events as e
        where e.lead_id = i.id
        having count(*) > 0
    ) as e;
$$;

comment on function private.kpi_lead_stage_facts(uuid[]) is
    'Per lead with a status history: first time it reached qualified, call_proposed, call_booked (or a later stage), first won, first lost, and its first call_booked event.';

revoke execute on function private.kpi_lead_stage_facts(uuid[]) from public;

-- function private.kpi_lead_variant_facts(uuid[]), as supabase/schemas/41_kpi_lead_facts.sql defines it
create or replace function private.kpi_lead_variant_facts(lead_ids uuid[])
returns table(lead_id uuid, dm1_variant text, dm2_variant text, dm3_variant text, dm4_variant text)
language sql
stable
security invoker
set search_path = ''
as $$
    -- lead by lead on messages (lead_id, coach_id, created_at): with a few thousand leads, = any (lead_ids) was planned
    -- as a scan of every coach's messages, whose cost grew with the history
    select i.id, v.dm1_variant, v.dm2_variant, v.dm3_variant, v.dm4_variant
    from (select distinct x.id from unnest(lead_ids) as x (id)) as i
    cross join lateral (
        select
            max(m.variant) filter (where m.message_number = 1) as dm1_variant,
            max(m.variant) filter (where m.message_number = 2) as dm2_variant,
            max(m.variant) filter (where m.message_number = 3) as dm3_variant,
            max(m.variant) filter (where m.message_number = 4) as dm4_variant
        from public.messages as m
        where m.lead_id = i.id and m.direction = 'out' and m.message_number <= 4 and m.variant is not null
        having count(*) > 0
    ) as v;
$$;

comment on function private.kpi_lead_variant_facts(uuid[]) is
    'Per lead with a variant on one of its outbound DMs 1 to 4: the variant of each (messages.variant of the outbound message numbered N, null when it has none).';

revoke execute on function private.kpi_lead_variant_facts(uuid[]) from public;
