-- The follow-up rule: which leads to contact again, in which order.

create or replace function private.kpi_follow_up_rules(today date)
returns table(status text, from_day date, to_day date, priority_rank integer, priority text)
language sql
immutable
security invoker
as $$
    select r.status, r.from_day, r.to_day, r.priority_rank, r.priority
    from (values
        ('qualified', today - 14, today - 1, 1, 'high'),
        ('call_proposed', today - 14, today - 1, 1, 'high'),
        ('relance', '-infinity'::date, today - 3, 1, 'high'),
        ('engaged', today - 14, today - 2, 2, 'medium'),
        ('qualified', '-infinity'::date, today - 15, 2, 'medium'),
        ('call_proposed', '-infinity'::date, today - 15, 2, 'medium'),
        ('new', '-infinity'::date, today - 3, 3, 'low'),
        ('engaged', '-infinity'::date, today - 15, 3, 'low')
    ) as r (status, from_day, to_day, priority_rank, priority);
$$;

comment on function private.kpi_follow_up_rules(date) is
    'The follow-up rule (README "Follow-up prioritization") as last-contact day ranges for a given local today: high = qualified/call_proposed silent 1-14 days or relance >= 3; medium = engaged 2-14 or qualified/call_proposed > 14; low = new >= 3 or engaged > 14. Inlinable (no SET clause, reads no table).';

revoke execute on function private.kpi_follow_up_rules(date) from public;

create or replace function private.kpi_follow_up_preview()
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
    select 100;
$$;

comment on function private.kpi_follow_up_preview() is
    'How many follow-up leads get_dashboard puts in its document (the most urgent first). The count leads_to_follow_up covers them all; get_leads_to_followup() lists them all. npm run bench measured 1.2 MB documents for a 10,000-lead coach without this cap.';

revoke execute on function private.kpi_follow_up_preview() from public;

create or replace function private.kpi_follow_up_top(target_coach uuid, today date, n integer)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
set enable_bitmapscan = off
as $$
begin
    return (
        select coalesce(jsonb_agg(jsonb_build_object(
                'lead_id', x.lead_id, 'instagram_username', x.instagram_username, 'first_name', x.first_name,
                'status', x.status, 'days_without_contact', x.days, 'priority', x.priority)
                order by x.priority_rank, x.days desc, x.instagram_username nulls last, x.lead_id), '[]'::jsonb)
        from (
            select f.lead_id, f.instagram_username, f.first_name, f.status, today - f.last_contact_day as days,
                r.priority_rank, r.priority
            from private.kpi_follow_up_rules(today) as r
            cross join lateral (
                select l.lead_id, l.instagram_username, l.first_name, l.status, l.last_contact_day
                from private.lead_facts as l
                where l.coach_id = target_coach and l.status = r.status
                    and l.last_contact_day between r.from_day and r.to_day
                order by l.last_contact_day, l.instagram_username, l.lead_id
                limit n
            ) as f
            order by r.priority_rank, f.last_contact_day, f.instagram_username nulls last, f.lead_id
            limit n
        ) as x
    );
end;
$$;

comment on function private.kpi_follow_up_top(uuid, date, integer) is
    'The n most urgent leads of the follow-up list from private.lead_facts, as FollowUpLead[]: at most n per rule read in index order (lead_facts_follow_up_idx), then the first n overall. enable_bitmapscan off: the planner guesses a few rows per rule and reads every lead of the status through a bitmap to sort them (609 ms for a 40,000-lead coach) instead of the first n in index order (about 800 buffers whatever the history).';

revoke execute on function private.kpi_follow_up_top(uuid, date, integer) from public;

create or replace function private.kpi_refresh_follow_up(target_coach uuid)
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    today date := (select (now() at time zone c.timezone)::date from public.coachs as c where c.id = target_coach);
    counts jsonb := private.kpi_follow_up_counts(target_coach, today);
begin
    update private.kpi_coach_now as n
    set follow_up = private.kpi_follow_up_top(target_coach, today, private.kpi_follow_up_preview()),
        follow_up_counts = counts,
        follow_up_count = (counts ->> 'high')::integer + (counts ->> 'medium')::integer + (counts ->> 'low')::integer,
        follow_up_day = today,
        follow_up_at = now()
    where n.coach_id = target_coach;
end;
$$;

comment on function private.kpi_refresh_follow_up(uuid) is
    'Recomputes the follow-up list of a coach in private.kpi_coach_now for the coach''s local today: its most urgent leads (private.kpi_follow_up_top), its counts by priority (private.kpi_follow_up_counts) and their sum. Run by the upkeep for the coaches whose leads changed and when a coach''s day changes.';

revoke execute on function private.kpi_refresh_follow_up(uuid) from public;

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
    select f.lead_id, f.instagram_username, f.first_name, f.status, (t.today - f.last_contact_day)::integer,
        r.priority, r.priority_rank
    from public.coachs as c
    cross join lateral (
        -- the coach's calendar day, once
        select (pg_catalog.now() at time zone c.timezone)::date as today
        offset 0
    ) as t
    cross join lateral private.kpi_follow_up_rules(t.today) as r
    join private.lead_facts as f
        on f.coach_id = c.id and f.status = r.status and f.last_contact_day between r.from_day and r.to_day
    where c.id = target_coach_id;
$$;

comment on function private.follow_up_candidates(uuid) is
    'The follow-up list of a coach, unsorted: its leads whose status and last-contact day fall in a rule of private.kpi_follow_up_rules (the one place the rule is written), with days without contact (the coach''s local today minus lead_facts.last_contact_day, as of the last upkeep pass) and the rule''s priority and rank (1 high, 2 medium, 3 low). Inlinable: order by priority_rank, days_without_contact desc, instagram_username nulls last, lead_id.';

revoke execute on function private.follow_up_candidates(uuid) from public;

create or replace function private.leads_to_followup(target_coach_id uuid)
returns table(lead_id uuid, instagram_username text, first_name text, status text, days_without_contact integer, priority text)
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

revoke execute on function private.leads_to_followup(uuid) from public;

create or replace function private.kpi_follow_up_counts(target_coach uuid, today date)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
    select jsonb_build_object(
        'high', coalesce(sum(x.n) filter (where x.priority = 'high'), 0),
        'medium', coalesce(sum(x.n) filter (where x.priority = 'medium'), 0),
        'low', coalesce(sum(x.n) filter (where x.priority = 'low'), 0))
    from private.kpi_follow_up_rules(today) as r
    cross join lateral (
        select r.priority, case
            when r.from_day = '-infinity'::date then coalesce((
                select (to_jsonb(n) ->> (r.status || '_leads'))::integer
                from private.kpi_coach_now as n where n.coach_id = target_coach), 0) - (
                select count(*)::integer from private.lead_facts as f
                where f.coach_id = target_coach and f.status = r.status and f.last_contact_day > r.to_day)
            else (
                select count(*)::integer from private.lead_facts as f
                where f.coach_id = target_coach and f.status = r.status
                    and f.last_contact_day between r.from_day and r.to_day)
            end as n
    ) as x;
$$;

comment on function private.kpi_follow_up_counts(uuid, date) is
    'Leads of the follow-up list of a coach for its local today by priority, {high, medium, low}: for each rule of private.kpi_follow_up_rules, the leads of its status whose last contact day is in its range (a range open to the past: the open leads of the status in private.kpi_coach_now minus those contacted after it).';

revoke execute on function private.kpi_follow_up_counts(uuid, date) from public;
