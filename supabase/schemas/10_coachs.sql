-- Coaches: one row per coach, id = its auth.users id.

create table public.coachs (
    id uuid not null default gen_random_uuid(),
    name text not null,
    specialty text,
    email text not null,
    created_at timestamptz not null default now(),
    timezone text not null default 'Europe/Paris',
    updated_at timestamptz not null default now(),
    constraint coachs_name_length check (char_length(btrim(name)) between 1 and 200),
    constraint coachs_specialty_length check (specialty is null or char_length(specialty) <= 100),
    constraint coachs_timezone_valid check (private.is_valid_timezone(timezone)),
    constraint coachs_email_key unique (email),
    constraint coachs_pkey primary key (id)
);

alter table public.coachs enable row level security;

create policy coachs_select_authenticated on public.coachs
    for select to authenticated
    using (id = (select auth.uid()) or (select public.is_admin()));

grant select, insert, update, delete, references, trigger on table public.coachs to anon, authenticated;
grant all on table public.coachs to service_role;

comment on table public.coachs is
    'A fitness coach who owns leads. id equals the coach''s auth.users id; a legacy coach without an account keeps its id until invited.';
comment on column public.coachs.id is 'Primary key; the auth.users id of the coach once the coach has an account.';
comment on column public.coachs.name is 'Full name of the coach, 1 to 200 characters.';
comment on column public.coachs.specialty is 'Specialty (fitness, musculation, yoga, ...), free text up to 100 characters.';
comment on column public.coachs.email is 'Email of the coach, unique case-insensitively.';
comment on column public.coachs.created_at is 'When the coach row was created.';
comment on column public.coachs.timezone is 'IANA time zone in which "today", "this week", hours and days are counted for this coach.';
comment on column public.coachs.updated_at is 'Last update, maintained by trigger.';

create unique index coachs_email_lower_key on public.coachs (lower(email));

create trigger coachs_set_updated_at
    before update on public.coachs
    for each row execute function private.set_updated_at();
