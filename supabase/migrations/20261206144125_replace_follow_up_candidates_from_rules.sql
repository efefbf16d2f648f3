-- Purpose: the follow-up rule written once: private.kpi_follow_up_rules (status, range of last-contact days, priority) is the only place it is written; the whole list (follow_up_candidates, so get_leads_to_followup and the legacy document), the document's most urgent leads and the counts by priority all read it over the lead facts.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- Before, the rule was written three times: a CASE over the live leads (follow_up_candidates, 20261126100200), the
-- ranges of kpi_follow_up_rules (period documents) and the exclusions of kpi_follow_up_count. Changing the delay of
-- one status meant three restated functions. Now a lead's days without contact are its coach's local today minus
-- private.lead_facts.last_contact_day (as of the last upkeep pass, a few seconds), and its priority is the rule row
-- whose status and range hold it.

-- The whole list, unsorted. Inlinable (language sql, stable, no SET clause: every name schema-qualified), so a
-- caller's order by ... limit reads only the rows it keeps.
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

-- get_leads_to_followup: the whole list, sorted, with or without a period (a snapshot: the period is checked, it does
-- not filter).
create or replace function private.kpi_leads_to_followup(coach_id uuid, period text, period_start date, period_end date)
returns table (
    lead_id uuid,
    instagram_username text,
    first_name text,
    status text,
    days_without_contact integer,
    priority text
)
language plpgsql
stable
security definer
set search_path = ''
set jit = off
set plan_cache_mode = force_generic_plan
as $$
declare
    target uuid := private.check_coach_access(kpi_leads_to_followup.coach_id);
begin
    if period is not null or period_start is not null or period_end is not null then
        perform private.kpi_resolve_period(target, period, period_start, period_end);
    end if;
    return query select f.* from private.leads_to_followup(target) as f;
end;
$$;

comment on function private.kpi_leads_to_followup(uuid, text, date, date) is
    'get_leads_to_followup for a coach after the caller check: the whole follow-up list (private.leads_to_followup: the rule of private.kpi_follow_up_rules over the lead facts, as of the last upkeep pass, as pipeline.follow_up of period documents); a period is checked like get_dashboard''s and does not filter the list (a snapshot).';
