-- Purpose: the follow-up list and count of period documents from private.lead_facts (index-ordered, no scan of the open backlog), kept by the upkeep with the pipeline, and the pipeline section.

set local lock_timeout = '3s';
set local statement_timeout = '30s';

-- The follow-up rule of the README as data: one row per (status, range of days without contact) with its priority.
-- A lead's days without contact are today - last_contact_day (local days), so each rule is a range of
-- last_contact_day, read in list order from lead_facts_follow_up_idx.
create or replace function private.kpi_follow_up_rules(today date)
returns table (status text, from_day date, to_day date, priority_rank integer, priority text)
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

-- The first n leads of the list, in its order: priority, days without contact (longest first), username, id.
create or replace function private.kpi_follow_up_top(target_coach uuid, today date, n integer)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
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
    'The n most urgent leads of the follow-up list from private.lead_facts, as FollowUpLead[]: at most n per rule read in index order, then the first n overall.';

-- All the leads of the list: the open leads of each status minus those contacted too recently to be listed
-- (a few days of index entries), from the current pipeline counts.
create or replace function private.kpi_follow_up_count(target_coach uuid, today date)
returns integer
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return (
        select coalesce(n.qualified_leads + n.call_proposed_leads + n.relance_leads + n.engaged_leads + n.new_leads, 0)
        from (select 1) as one
        left join private.kpi_coach_now as n on n.coach_id = target_coach
    ) - (
        select count(*)::integer
        from private.lead_facts as f
        where f.coach_id = target_coach
            and ((f.status in ('qualified', 'call_proposed') and f.last_contact_day >= today)
                or (f.status = 'engaged' and f.last_contact_day >= today - 1)
                or (f.status in ('relance', 'new') and f.last_contact_day >= today - 2))
    );
end;
$$;

comment on function private.kpi_follow_up_count(uuid, date) is
    'Number of leads of the follow-up list: every open lead of a listed status (private.kpi_coach_now) minus those contacted within the days the rule leaves out (qualified/call_proposed today, engaged in the last 2 days, relance and new in the last 3 days).';

-- The follow-up list of a coach as of now, stored with its pipeline (private.kpi_coach_now): recomputed by the
-- upkeep when the coach's leads change and when its local day changes, so a document reads it in one row.
create or replace function private.kpi_refresh_follow_up(target_coach uuid)
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    today date := (select (now() at time zone c.timezone)::date from public.coachs as c where c.id = target_coach);
begin
    update private.kpi_coach_now as n
    set follow_up = private.kpi_follow_up_top(target_coach, today, private.kpi_follow_up_preview()),
        follow_up_count = private.kpi_follow_up_count(target_coach, today),
        follow_up_day = today,
        follow_up_at = now()
    where n.coach_id = target_coach;
end;
$$;

comment on function private.kpi_refresh_follow_up(uuid) is
    'Recomputes the follow-up list (its most urgent leads and its count) of a coach in private.kpi_coach_now for the coach''s local today. Run by the upkeep for the coaches whose leads changed and when a coach''s day changes.';

revoke all on function private.kpi_refresh_follow_up(uuid) from public;

create or replace function private.kpi_section_pipeline(
    target_coach uuid,
    today date,
    cur private.kpi_facts,
    prev private.kpi_facts,
    has_previous boolean
)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    now_row private.kpi_coach_now;
begin
    select * into now_row from private.kpi_coach_now as n where n.coach_id = target_coach;
    return jsonb_build_object(
        'new_leads', coalesce(now_row.new_leads, 0),
        'engaged_leads', coalesce(now_row.engaged_leads, 0),
        'won_leads', coalesce(now_row.won_leads, 0),
        'lost_leads', coalesce(now_row.lost_leads, 0),
        'relance_leads', coalesce(now_row.relance_leads, 0),
        'leads_to_follow_up', coalesce(now_row.follow_up_count, 0),
        'follow_up_rate', private.kpi_rate(coalesce(now_row.follow_up_count, 0),
            coalesce(now_row.leads - now_row.won_leads - now_row.lost_leads, 0)),
        'follow_up', coalesce(now_row.follow_up, '[]'::jsonb),
        'follow_up_as_of', coalesce(now_row.follow_up_at, (select s.last_pass_at from private.kpi_upkeep_state as s)),
        'lost_in_period', private.kpi_metric(cur.lost, prev.lost, has_previous),
        'lost_rate', private.kpi_period_rate(cur.cohort_lost, cur.dm1_sent, prev.cohort_lost, prev.dm1_sent, has_previous),
        'lost_reasons', private.kpi_ranked(cur.lost_reasons, prev.lost_reasons, has_previous, '', 5, null)
    );
end;
$$;

comment on function private.kpi_section_pipeline(uuid, date, private.kpi_facts, private.kpi_facts, boolean) is
    'pipeline of a period document: the current pipeline and follow-up list (snapshot, as computed by the upkeep: follow_up_as_of) and, over the period, leads lost, the lost rate of the DM 1 cohort and the top 5 lost reasons.';

revoke all on function private.kpi_follow_up_rules(date) from public;
revoke all on function private.kpi_follow_up_top(uuid, date, integer) from public;
revoke all on function private.kpi_follow_up_count(uuid, date) from public;
revoke all on function private.kpi_section_pipeline(uuid, date, private.kpi_facts, private.kpi_facts, boolean) from public;
