-- scripts/upgrade/legacy-schema.sql: the database as it stood before this project (the brief's legacy tables, with
-- their free-text values and nullable columns). LOCAL TOOLING, never a migration: the upgrade test
-- (tests/legacy) and the upgrade bench (npm run bench -- --upgrade) build a legacy database from it, then upgrade it
-- the documented way (docs/upgrade.md).

create table public.coachs (
    id uuid primary key default gen_random_uuid(),
    name text,
    specialty text,
    email text unique,
    created_at timestamptz default now()
);

create table public.leads (
    id uuid primary key default gen_random_uuid(),
    coach_id uuid references public.coachs (id),
    user_id_instagram text unique,
    first_name text,
    last_name text,
    email text,
    age int,
    gender text,
    job_title text,
    lead_status text,
    source text,
    created_at timestamptz default now(),
    updated_at timestamptz default now()
);

create table public.messages (
    id uuid primary key default gen_random_uuid(),
    lead_id uuid references public.leads (id),
    coach_id uuid references public.coachs (id),
    text text,
    direction text,
    created_at timestamptz default now()
);

create table public.kpi_daily (
    id uuid primary key default gen_random_uuid(),
    coach_id uuid references public.coachs (id),
    date date,
    total_dms int,
    qualified_leads int,
    calls_proposed int,
    calls_booked int
);
