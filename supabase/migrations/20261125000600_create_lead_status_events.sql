-- Purpose: the status history of every lead, written by trigger, so funnel counts mean "ever reached".

create or replace function public.lead_status_rank(status text)
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
    select case status
        when 'new' then 1
        when 'engaged' then 2
        when 'qualified' then 3
        when 'call_proposed' then 4
        when 'call_booked' then 5
        when 'won' then 6
    end;
$$;

comment on function public.lead_status_rank(text) is
    'Position of a status in the funnel: new 1, engaged 2, qualified 3, call_proposed 4, call_booked 5, won 6.
lost and relance are not funnel stages and rank null. A lead "reached" a stage when any of its events ranks at or above it.';

create table public.lead_status_events (
    id bigint generated always as identity primary key,
    lead_id uuid not null,
    coach_id uuid not null,
    from_status text,
    to_status text not null,
    changed_at timestamptz not null default now(),
    recorded_at timestamptz not null default now(),
    constraint lead_status_events_lead_fkey foreign key (lead_id, coach_id)
        references public.leads (id, coach_id) on delete cascade,
    constraint lead_status_events_to_status_valid check (
        to_status in ('new', 'engaged', 'qualified', 'call_proposed', 'call_booked', 'won', 'lost', 'relance')
    ),
    constraint lead_status_events_from_status_valid check (
        from_status is null
        or from_status in ('new', 'engaged', 'qualified', 'call_proposed', 'call_booked', 'won', 'lost', 'relance')
    )
);

create index lead_status_events_lead_id_coach_id_idx on public.lead_status_events (lead_id, coach_id);
create index lead_status_events_coach_id_changed_at_idx on public.lead_status_events (coach_id, changed_at);

alter table public.lead_status_events enable row level security;

-- One policy per command and role: a coach reads its own rows, an admin (app_metadata) reads all.
create policy lead_status_events_select_authenticated on public.lead_status_events
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

-- Before the row is written: status_changed_at is the event time given by the writer, else now().
create or replace function private.stamp_lead_status_change()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
    if tg_op = 'INSERT' then
        new.status_changed_at := coalesce(new.status_changed_at, new.created_at, now());
    elsif new.status is distinct from old.status
        and new.status_changed_at is not distinct from old.status_changed_at then
        new.status_changed_at := now();
    end if;
    return new;
end;
$$;

comment on function private.stamp_lead_status_change() is
    'Trigger function: sets leads.status_changed_at on insert (from created_at) and on a status change (now()) unless the writer gave the event time.';

create trigger leads_stamp_status_change
    before insert or update of status on public.leads
    for each row execute function private.stamp_lead_status_change();

create or replace function private.record_lead_status_event()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
    if tg_op = 'INSERT' or new.status is distinct from old.status then
        insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at)
        values (
            new.id,
            new.coach_id,
            case when tg_op = 'UPDATE' then old.status end,
            new.status,
            new.status_changed_at
        );
    end if;
    return null;
end;
$$;

comment on function private.record_lead_status_event() is
    'Trigger function: appends a lead_status_events row for a new lead and for every status change.';

create trigger leads_record_status_event
    after insert or update of status on public.leads
    for each row execute function private.record_lead_status_event();

-- Leads that exist before this migration (legacy) get their current status as their first event.
insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at)
select l.id, l.coach_id, null, l.status, l.status_changed_at
from public.leads as l
where not exists (select 1 from public.lead_status_events as e where e.lead_id = l.id);

comment on table public.lead_status_events is
    'Append-only history of lead status changes, written by trigger on leads. Funnel KPIs count stages ever reached from it.';
comment on column public.lead_status_events.id is 'Primary key, in insertion order.';
comment on column public.lead_status_events.lead_id is 'The lead whose status changed.';
comment on column public.lead_status_events.coach_id is 'The lead''s coach (checked by the composite foreign key).';
comment on column public.lead_status_events.from_status is 'Status before the change; null for the lead''s first event.';
comment on column public.lead_status_events.to_status is 'Status after the change.';
comment on column public.lead_status_events.changed_at is 'When the change happened (the event time given by the writer, else the time it was recorded).';
comment on column public.lead_status_events.recorded_at is 'When the row was written.';
