-- Purpose: the follow-up prioritization rule and get_leads_to_followup(coach_id), computed at call time.

create or replace function private.leads_to_followup(target_coach_id uuid)
returns table (
    lead_id uuid,
    instagram_username text,
    first_name text,
    status text,
    days_without_contact integer,
    priority text
)
language sql
stable
security invoker
set search_path = ''
as $$
    select f.id, f.instagram_username, f.first_name, f.status, f.days, f.priority
    from (
        select
            l.id,
            l.instagram_username,
            l.first_name,
            l.status,
            d.days,
            case
                when l.status in ('qualified', 'call_proposed') and d.days between 1 and 14 then 'high'
                when l.status = 'relance' and d.days >= 3 then 'high'
                when l.status = 'engaged' and d.days between 2 and 14 then 'medium'
                when l.status in ('qualified', 'call_proposed') and d.days > 14 then 'medium'
                when l.status = 'new' and d.days >= 3 then 'low'
                when l.status = 'engaged' and d.days > 14 then 'low'
            end as priority
        from public.leads as l
        join public.coachs as c on c.id = l.coach_id
        cross join lateral (
            -- calendar days in the coach's time zone since the last message either way (or the lead's creation)
            select ((now() at time zone c.timezone)::date
                - (coalesce(l.last_contact_at, l.created_at) at time zone c.timezone)::date)::integer as days
        ) as d
        where l.coach_id = target_coach_id
            and l.status not in ('won', 'lost')
    ) as f
    where f.priority is not null
    order by
        case f.priority when 'high' then 1 when 'medium' then 2 else 3 end,
        f.days desc,
        f.instagram_username nulls last,
        f.id;
$$;

comment on function private.leads_to_followup(uuid) is
    'The follow-up rule (README "Follow-up prioritization"): open leads silent too long, with priority high/medium/low, sorted by priority then days without contact (longest first). Days are calendar days in the coach''s time zone since last_contact_at (or created_at when the lead has no message).';

revoke all on function private.leads_to_followup(uuid) from public;

create or replace function public.get_leads_to_followup(coach_id uuid default auth.uid())
returns table (
    lead_id uuid,
    instagram_username text,
    first_name text,
    status text,
    days_without_contact integer,
    priority text
)
language sql
stable
security definer
set search_path = ''
as $$
    select f.lead_id, f.instagram_username, f.first_name, f.status, f.days_without_contact, f.priority
    from private.leads_to_followup(private.check_coach_access(get_leads_to_followup.coach_id)) as f;
$$;

comment on function public.get_leads_to_followup(uuid) is
    'Leads to follow up for a coach (default: the caller), computed at call time: high = qualified/call_proposed silent 1-14 days or relance silent >= 3 days; medium = engaged silent 2-14 days or qualified/call_proposed silent > 14 days; low = new silent >= 3 days or engaged silent > 14 days. Sorted by priority then days without contact, longest first. Errors: 42501 another coach''s id (admins may), 22004 no coach id, P0002 unknown coach.';

revoke execute on function public.get_leads_to_followup(uuid) from public, anon;
grant execute on function public.get_leads_to_followup(uuid) to authenticated, service_role;
