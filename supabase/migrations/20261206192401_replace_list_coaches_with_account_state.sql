-- Purpose: list_coaches() also says each coach's state (legacy without an account, invited, no data since …, active) and its last sign-in, read from auth.users by a private security definer; the public function becomes its SQL-standard wrapper (its columns change: dropped and created again).

set lock_timeout = '500ms';

drop function public.list_coaches();

create or replace function private.list_coaches()
returns table(coach_id uuid, name text, email text, specialty text, timezone text, lead_count integer, last_activity_at timestamp with time zone, created_at timestamp with time zone, account_state text, last_sign_in_at timestamp with time zone)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
    if coalesce(nullif(current_setting('role', true), ''), 'none') in ('anon', 'authenticated')
        and not public.is_admin() then
        raise exception 'permission denied: only an admin can list the coaches' using errcode = '42501';
    end if;
    return query
    select c.id, c.name, c.email, c.specialty, c.timezone,
        coalesce(l.lead_count, 0)::integer, l.last_activity_at, c.created_at,
        case
            when u.id is null then 'legacy'
            when u.last_sign_in_at is null then 'invited'
            when l.last_activity_at is null or l.last_activity_at < now() - interval '3 days' then 'no_data'
            else 'active'
        end,
        u.last_sign_in_at
    from public.coachs as c
    left join auth.users as u on u.id = c.id
    left join lateral (
        select count(*) as lead_count, max(greatest(x.created_at, x.last_contact_at)) as last_activity_at
        from public.leads as x
        where x.coach_id = c.id
    ) as l on true
    order by lower(c.name), c.id;
end;
$$;

comment on function private.list_coaches() is
    'list_coaches''s body: checks the caller (an admin by app_metadata, or a non-API role such as service_role; 42501 otherwise), then every coach by name with its lead count, last activity and account state. Security definer: reads auth.users (the account) besides the coaches and their leads.';

revoke execute on function private.list_coaches() from public;
grant execute on function private.list_coaches() to authenticated, service_role;

create or replace function public.list_coaches()
returns table(coach_id uuid, name text, email text, specialty text, timezone text, lead_count integer, last_activity_at timestamp with time zone, created_at timestamp with time zone, account_state text, last_sign_in_at timestamp with time zone)
language sql
stable
security invoker
set search_path = ''
begin atomic
    select l.coach_id, l.name, l.email, l.specialty, l.timezone, l.lead_count, l.last_activity_at, l.created_at,
        l.account_state, l.last_sign_in_at
    from private.list_coaches() as l
    order by lower(l.name), l.coach_id;
end;

comment on function public.list_coaches() is
    'Every coach for the admin page, by name: id, name, email, specialty, timezone, lead_count, last_activity_at (the latest lead created or message either way, null without any lead), created_at, account_state and last_sign_in_at (null while the account never signed in, or without account). account_state: legacy (a coach row without an account: invite it with create-coach), invited (an account that never signed in), no_data (signed in, but no lead nor message for 3 days, or never: last_activity_at says since when), active (signed in, data within 3 days). Admins (app_metadata.role) and the service role only; errors: 42501 any other caller.';

revoke execute on function public.list_coaches() from public, anon;
grant execute on function public.list_coaches() to authenticated, service_role;
