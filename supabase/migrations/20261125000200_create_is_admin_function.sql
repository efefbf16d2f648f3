-- Purpose: one definition of "the caller is an admin", read from the JWT's app_metadata (never user_metadata).

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
