-- Purpose: private.follow_up_candidates, the follow-up rule unsorted and inlinable (each lead's days computed once); leads_to_followup sorts it.

-- npm run bench profiled get_dashboard at 10,000 leads per coach: 48 of its 50 ms went to the follow-up list. The
-- planner copied the days expression (two time zone conversions) into every branch of the priority rule, about
-- twelve conversions per lead, and every open lead was sorted although the dashboard shows 100 of them.
-- Here the coach's day is computed once and each lead's days once (offset 0 keeps the planner from copying the
-- expression), and the function can be inlined (language sql, stable, no SET clause: every name is schema-
-- qualified), so a caller's order by ... limit sorts only the rows it keeps.
create or replace function private.follow_up_candidates(target_coach_id uuid)
returns table (
    lead_id uuid,
    instagram_username text,
    first_name text,
    status text,
    days_without_contact integer,
    priority text,
    priority_rank integer
)
language sql
stable
security invoker
as $$
    select r.id, r.instagram_username, r.first_name, r.status, r.days, r.priority,
        case r.priority when 'high' then 1 when 'medium' then 2 else 3 end
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
        from public.coachs as c
        cross join lateral (
            -- the coach's calendar day, once
            select (pg_catalog.now() at time zone c.timezone)::date as today
            offset 0
        ) as t
        join public.leads as l on l.coach_id = c.id
        cross join lateral (
            -- calendar days in the coach's time zone since the last message either way (or the lead's creation),
            -- once per lead
            select (t.today - (coalesce(l.last_contact_at, l.created_at) at time zone c.timezone)::date)::integer as days
            offset 0
        ) as d
        where c.id = target_coach_id
            and l.status not in ('won', 'lost')
    ) as r
    where r.priority is not null;
$$;

comment on function private.follow_up_candidates(uuid) is
    'The follow-up rule (README "Follow-up prioritization") unsorted: open leads silent too long, with priority high/medium/low and its rank (1 high, 2 medium, 3 low). Days are calendar days in the coach''s time zone since last_contact_at (or created_at when the lead has no message). Inlinable: order by priority_rank, days_without_contact desc, instagram_username nulls last, lead_id.';

revoke all on function private.follow_up_candidates(uuid) from public;

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
    select f.lead_id, f.instagram_username, f.first_name, f.status, f.days_without_contact, f.priority
    from private.follow_up_candidates(target_coach_id) as f
    order by f.priority_rank, f.days_without_contact desc, f.instagram_username nulls last, f.lead_id;
$$;

comment on function private.leads_to_followup(uuid) is
    'The follow-up rule (README "Follow-up prioritization"): open leads silent too long, with priority high/medium/low, sorted by priority then days without contact (longest first). Days are calendar days in the coach''s time zone since last_contact_at (or created_at when the lead has no message). The rule itself is private.follow_up_candidates.';
