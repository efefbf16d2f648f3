-- Purpose: statement triggers that queue every lead whose KPI facts a write changed (leads, messages, status history, a coach's time zone), in the writer's transaction, and forget the stored documents of a coach whose name or settings change.

-- Creating a trigger takes a SHARE ROW EXCLUSIVE lock on a table n8n writes to all day: wait at most 3 s for it.
set local lock_timeout = '3s';
set local statement_timeout = '30s';

-- The queue is in private: the trigger functions run as their owner (security definer), so any writer queues its
-- leads without a grant on private.kpi_dirty_leads. Trigger functions cannot be called directly; EXECUTE is revoked
-- from everyone anyway.
create or replace function private.kpi_queue_leads()
returns trigger
language plpgsql
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

create or replace function private.kpi_queue_leads_of_rows()
returns trigger
language plpgsql
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

create or replace function private.kpi_queue_coach_leads()
returns trigger
language plpgsql
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

revoke all on function private.kpi_queue_leads() from public;
revoke all on function private.kpi_queue_leads_of_rows() from public;
revoke all on function private.kpi_queue_coach_leads() from public;

create trigger leads_kpi_queue_insert
    after insert on public.leads
    referencing new table as new_rows
    for each statement execute function private.kpi_queue_leads();
create trigger leads_kpi_queue_update
    after update on public.leads
    referencing new table as new_rows
    for each statement execute function private.kpi_queue_leads();
create trigger leads_kpi_queue_delete
    after delete on public.leads
    referencing old table as old_rows
    for each statement execute function private.kpi_queue_leads();

create trigger messages_kpi_queue_insert
    after insert on public.messages
    referencing new table as new_rows
    for each statement execute function private.kpi_queue_leads_of_rows();
create trigger messages_kpi_queue_update
    after update on public.messages
    referencing old table as old_rows new table as new_rows
    for each statement execute function private.kpi_queue_leads_of_rows();
create trigger messages_kpi_queue_delete
    after delete on public.messages
    referencing old table as old_rows
    for each statement execute function private.kpi_queue_leads_of_rows();

create trigger lead_status_events_kpi_queue_insert
    after insert on public.lead_status_events
    referencing new table as new_rows
    for each statement execute function private.kpi_queue_leads_of_rows();
create trigger lead_status_events_kpi_queue_update
    after update on public.lead_status_events
    referencing old table as old_rows new table as new_rows
    for each statement execute function private.kpi_queue_leads_of_rows();
create trigger lead_status_events_kpi_queue_delete
    after delete on public.lead_status_events
    referencing old table as old_rows
    for each statement execute function private.kpi_queue_leads_of_rows();

create trigger coachs_kpi_queue_timezone
    after update of timezone on public.coachs
    for each row when (old.timezone is distinct from new.timezone)
    execute function private.kpi_queue_coach_leads();

-- A change of a coach's name or settings (setter cost, minutes per message, default no-show rate, currency) makes its
-- stored documents stale: they are deleted (get_dashboard computes them meanwhile; the next upkeep pass stores
-- them again).
create or replace function private.kpi_forget_documents()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
    if tg_table_name = 'coachs' then
        delete from private.kpi_documents as d where d.coach_id = new.id;
    else
        delete from private.kpi_documents as d where d.coach_id = new.coach_id;
    end if;
    return null;
end;
$$;

comment on function private.kpi_forget_documents() is
    'Row trigger function on coachs and coach_settings: deletes the stored period documents of the coach whose name or settings changed.';

revoke all on function private.kpi_forget_documents() from public;

create trigger coachs_kpi_forget_documents
    after update of name, timezone on public.coachs
    for each row when (old.name is distinct from new.name or old.timezone is distinct from new.timezone)
    execute function private.kpi_forget_documents();

create trigger coach_settings_kpi_forget_documents
    after update on public.coach_settings
    for each row execute function private.kpi_forget_documents();
