-- KPI engine: the triggers that queue changed leads.

create or replace function private.kpi_queue_leads()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    if tg_op = 'INSERT' then
        insert into private.kpi_dirty_leads (lead_id) select distinct n.id from new_rows as n;
    elsif tg_op = 'UPDATE' then
        insert into private.kpi_dirty_leads (lead_id) select distinct n.id from new_rows as n;
    else
        insert into private.kpi_dirty_leads (lead_id) select distinct o.id from old_rows as o;
    end if;
    return null;
end;
$$;

comment on function private.kpi_queue_leads() is
    'Statement trigger function on leads: queues the inserted, updated or deleted leads in private.kpi_dirty_leads for the KPI upkeep.';

revoke execute on function private.kpi_queue_leads() from public;

create trigger leads_kpi_queue_delete
    after delete on public.leads referencing old table as old_rows
    for each statement execute function private.kpi_queue_leads();

create trigger leads_kpi_queue_insert
    after insert on public.leads referencing new table as new_rows
    for each statement execute function private.kpi_queue_leads();

create trigger leads_kpi_queue_update
    after update on public.leads referencing new table as new_rows
    for each statement execute function private.kpi_queue_leads();

create or replace function private.kpi_queue_leads_of_rows()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    if tg_op = 'INSERT' then
        insert into private.kpi_dirty_leads (lead_id) select distinct n.lead_id from new_rows as n;
    elsif tg_op = 'UPDATE' then
        insert into private.kpi_dirty_leads (lead_id)
        select n.lead_id from new_rows as n union select o.lead_id from old_rows as o;
    else
        insert into private.kpi_dirty_leads (lead_id) select distinct o.lead_id from old_rows as o;
    end if;
    return null;
end;
$$;

comment on function private.kpi_queue_leads_of_rows() is
    'Statement trigger function on messages and lead_status_events: queues the leads of the written rows in private.kpi_dirty_leads for the KPI upkeep.';

revoke execute on function private.kpi_queue_leads_of_rows() from public;

create trigger lead_status_events_kpi_queue_delete
    after delete on public.lead_status_events referencing old table as old_rows
    for each statement execute function private.kpi_queue_leads_of_rows();

create trigger lead_status_events_kpi_queue_insert
    after insert on public.lead_status_events referencing new table as new_rows
    for each statement execute function private.kpi_queue_leads_of_rows();

create trigger lead_status_events_kpi_queue_update
    after update on public.lead_status_events referencing old table as old_rows new table as new_rows
    for each statement execute function private.kpi_queue_leads_of_rows();

create trigger messages_kpi_queue_delete
    after delete on public.messages referencing old table as old_rows
    for each statement execute function private.kpi_queue_leads_of_rows();

create trigger messages_kpi_queue_insert
    after insert on public.messages referencing new table as new_rows
    for each statement execute function private.kpi_queue_leads_of_rows();

create trigger messages_kpi_queue_update
    after update on public.messages referencing old table as old_rows new table as new_rows
    for each statement execute function private.kpi_queue_leads_of_rows();

create or replace function private.kpi_queue_coach_leads()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    insert into private.kpi_dirty_leads (lead_id)
    select l.id from public.leads as l where l.coach_id = new.id;
    return null;
end;
$$;

comment on function private.kpi_queue_coach_leads() is
    'Row trigger function on coachs, when the time zone changes: queues every lead of the coach (their local days move).';

revoke execute on function private.kpi_queue_coach_leads() from public;

create trigger coachs_kpi_queue_timezone
    after update of timezone on public.coachs
    for each row when ((old.timezone is distinct from new.timezone)) execute function private.kpi_queue_coach_leads();

create or replace function private.kpi_lock_before_coach_delete()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    perform pg_catalog.pg_advisory_xact_lock(private.kpi_upkeep_lock());
    return null;
end;
$$;

comment on function private.kpi_lock_before_coach_delete() is
    'Statement trigger function before DELETE on coachs: takes the KPI facts writers'' advisory lock (private.kpi_upkeep_lock()) before any row is locked, so a coach deletion and an upkeep pass cannot deadlock.';

revoke execute on function private.kpi_lock_before_coach_delete() from public;

create trigger coachs_kpi_lock_before_delete
    before delete on public.coachs
    for each statement execute function private.kpi_lock_before_coach_delete();

comment on trigger coachs_kpi_lock_before_delete on public.coachs is
    'Before a DELETE on coachs, waits for the KPI facts writers'' advisory lock: same lock order as the upkeep, no deadlock.';
