-- The coaches an admin may open.

create or replace function public.list_coaches()
returns table(coach_id uuid, name text, email text, specialty text, timezone text, lead_count integer, last_activity_at timestamp with time zone, created_at timestamp with time zone)
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    if coalesce(nullif(current_setting('role', true), ''), 'none') in ('anon', 'authenticated')
        and not public.is_admin() then
        raise exception 'permission denied: only an admin can list the coaches' using errcode = '42501';
    end if;
    -- Read through RLS, which lets an admin see every coach and lead.
    return query
    select c.id, c.name, c.email, c.specialty, c.timezone,
        coalesce(l.lead_count, 0)::integer, l.last_activity_at, c.created_at
    from public.coachs as c
    left join lateral (
        select count(*) as lead_count, max(greatest(x.created_at, x.last_contact_at)) as last_activity_at
        from public.leads as x
        where x.coach_id = c.id
    ) as l on true
    order by lower(c.name), c.id;
end;
$$;

comment on function public.list_coaches() is
    'Every coach for the admin page, by name: id, name, email, specialty, timezone, lead_count, last_activity_at (the latest lead created or message either way, null without any lead), created_at. Admins (app_metadata.role) and the service role only; errors: 42501 any other caller.';

revoke execute on function public.list_coaches() from public, anon;
grant execute on function public.list_coaches() to authenticated, service_role;
