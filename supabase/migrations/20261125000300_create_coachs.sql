-- Purpose: the coachs table (one row per coach; id = the coach's auth.users id), created or upgraded in place.

-- A database that already runs the brief's legacy schema has this table: it is upgraded, never recreated.
create table if not exists public.coachs (
    id uuid primary key default gen_random_uuid(),
    name text not null,
    specialty text,
    email text not null unique,
    created_at timestamptz not null default now()
);

alter table public.coachs
    add column if not exists timezone text not null default 'Europe/Paris',
    add column if not exists updated_at timestamptz not null default now();

alter table public.coachs
    alter column id set default gen_random_uuid(),
    alter column created_at set default now();

alter table public.coachs
    add constraint coachs_name_length check (char_length(btrim(name)) between 1 and 200),
    add constraint coachs_specialty_length check (specialty is null or char_length(specialty) <= 100),
    add constraint coachs_timezone_valid check (private.is_valid_timezone(timezone));

-- Emails are compared case-insensitively (GoTrue lower-cases them).
create unique index if not exists coachs_email_lower_key on public.coachs (lower(email));

create trigger coachs_set_updated_at
    before update on public.coachs
    for each row execute function private.set_updated_at();

alter table public.coachs enable row level security;

-- One policy per command and role: a coach reads its own rows, an admin (app_metadata) reads all.
create policy coachs_select_authenticated on public.coachs
    for select to authenticated
    using (id = (select auth.uid()) or (select public.is_admin()));

comment on table public.coachs is
    'A fitness coach who owns leads. id equals the coach''s auth.users id; a legacy coach without an account keeps its id until invited.';
comment on column public.coachs.id is 'Primary key; the auth.users id of the coach once the coach has an account.';
comment on column public.coachs.name is 'Full name of the coach, 1 to 200 characters.';
comment on column public.coachs.specialty is 'Specialty (fitness, musculation, yoga, ...), free text up to 100 characters.';
comment on column public.coachs.email is 'Email of the coach, unique case-insensitively.';
comment on column public.coachs.timezone is 'IANA time zone in which "today", "this week", hours and days are counted for this coach.';
comment on column public.coachs.created_at is 'When the coach row was created.';
comment on column public.coachs.updated_at is 'Last update, maintained by trigger.';
