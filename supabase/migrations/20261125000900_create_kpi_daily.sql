-- Purpose: the kpi_daily table (one row per coach per day), created or upgraded in place from the legacy schema.

create table if not exists public.kpi_daily (
    id uuid primary key default gen_random_uuid(),
    coach_id uuid not null references public.coachs (id) on delete cascade,
    date date not null,
    total_dms integer not null default 0,
    qualified_leads integer not null default 0,
    calls_proposed integer not null default 0,
    calls_booked integer not null default 0
);

alter table public.kpi_daily
    add column if not exists created_at timestamptz not null default now(),
    add column if not exists updated_at timestamptz not null default now();

create index if not exists kpi_daily_coach_id_date_idx on public.kpi_daily (coach_id, date);

create trigger kpi_daily_set_updated_at
    before update on public.kpi_daily
    for each row execute function private.set_updated_at();

alter table public.kpi_daily enable row level security;

-- One policy per command and role: a coach reads its own rows, an admin (app_metadata) reads all.
create policy kpi_daily_select_authenticated on public.kpi_daily
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

comment on table public.kpi_daily is
    'Daily aggregate of a coach''s activity, one row per coach per day (in the coach''s time zone).';
comment on column public.kpi_daily.id is 'Primary key.';
comment on column public.kpi_daily.coach_id is 'The coach.';
comment on column public.kpi_daily.date is 'The day, in the coach''s time zone.';
comment on column public.kpi_daily.total_dms is 'Outbound DMs sent that day.';
comment on column public.kpi_daily.qualified_leads is 'Leads that reached qualified (or a later stage) that day.';
comment on column public.kpi_daily.calls_proposed is 'Leads that reached call_proposed (or later) that day.';
comment on column public.kpi_daily.calls_booked is 'Leads that reached call_booked (or later) that day.';
comment on column public.kpi_daily.created_at is 'When the row was created.';
comment on column public.kpi_daily.updated_at is 'Last update, maintained by trigger.';
