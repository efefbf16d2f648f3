-- Helpers used by the tables' checks, policies and triggers: the admin test, updated_at, time zones, the status
-- order, the caller check, pg_cron scheduling.

create or replace function public.is_admin()
returns boolean
language sql
stable
security invoker
set search_path = ''
as $$
    select coalesce((auth.jwt() -> 'app_metadata' ->> 'role') = 'admin', false);
$$;

comment on function public.is_admin() is
    'True when the caller''s JWT carries app_metadata.role = admin.
app_metadata can only be written with the service role, unlike user_metadata which a user edits freely.';

revoke execute on function public.is_admin() from public, anon;
grant execute on function public.is_admin() to authenticated, service_role;

create or replace function private.set_updated_at()
returns trigger
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
    new.updated_at := now();
    return new;
end;
$$;

comment on function private.set_updated_at() is
    'Trigger function: stamps updated_at with the transaction time on every update.';

create or replace function private.is_valid_timezone(tz text)
returns boolean
language plpgsql
immutable
security invoker
set search_path = ''
as $$
begin
    perform now() at time zone tz;
    return true;
exception when invalid_parameter_value then
    return false;
end;
$$;

comment on function private.is_valid_timezone(text) is
    'True when the text is a time zone name PostgreSQL knows (e.g. Europe/Paris). Used by check constraints.';

create or replace function public.lead_status_rank(status text)
returns integer
language sql
immutable
security invoker
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
lost and relance are not funnel stages and rank null. A lead "reached" a stage when any of its events ranks at or above it.
Inlined into the queries that call it: no SET clause on purpose (it references no object), see 20261126100400.';

grant execute on function public.lead_status_rank(text) to anon, authenticated, service_role;

create or replace function private.check_coach_access(requested_coach_id uuid)
returns uuid
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    api_role text := coalesce(nullif(current_setting('role', true), ''), 'none');
begin
    if requested_coach_id is null then
        raise exception 'coach_id is required: sign in as a coach or pass a coach id'
            using errcode = '22004';
    end if;
    -- anon and authenticated are API callers: a coach reads its own data, an admin (app_metadata) anyone's.
    -- Other roles (service_role, the database owner, pg_cron) are trusted.
    if api_role in ('anon', 'authenticated')
        and requested_coach_id is distinct from auth.uid()
        and not public.is_admin() then
        raise exception 'permission denied: a coach can only read its own dashboard'
            using errcode = '42501';
    end if;
    if not exists (select 1 from public.coachs as c where c.id = requested_coach_id) then
        raise exception 'coach not found'
            using errcode = 'PT404';
    end if;
    return requested_coach_id;
end;
$$;

comment on function private.check_coach_access(uuid) is
    'Returns the coach id when the caller may read that coach''s dashboard, else raises: 22004 no coach id (anonymous caller), 42501 a coach asking for another coach, PT404 unknown coach (HTTP 404 through PostgREST). Admins (app_metadata.role) and non-API roles (service_role, owner, pg_cron) may read any coach.';

revoke execute on function private.check_coach_access(uuid) from public;

create or replace function private.schedule_job(job_name text, job_schedule text, job_command text)
returns bigint
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    job_id bigint;
begin
    if to_regnamespace('cron') is null then
        raise warning 'pg_cron is not installed in database %: job % not scheduled', current_database(), job_name;
        return null;
    end if;
    -- Idempotent: re-applying a migration replaces the job of that name instead of adding a second one.
    perform cron.unschedule(j.jobid) from cron.job as j where j.jobname = job_name;
    select cron.schedule(job_name, job_schedule, job_command) into job_id;
    return job_id;
end;
$$;

comment on function private.schedule_job(text, text, text) is
    'Schedules a pg_cron job by name, replacing any job of the same name (idempotent). Returns the job id, or null with a warning where pg_cron is not installed.';

revoke execute on function private.schedule_job(text, text, text) from public;
