-- Purpose: pipeline.follow_up_counts {high, medium, low} of period documents, counted by the upkeep from the follow-up rule's own ranges (private.kpi_follow_up_rules), the same rule as the list; the list's total is their sum.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

alter table private.kpi_coach_now
    add column follow_up_counts jsonb not null default '{"high": 0, "medium": 0, "low": 0}'::jsonb;

comment on column private.kpi_coach_now.follow_up_counts is
    'Leads of the whole follow-up list by priority, {"high": n, "medium": n, "low": n} (their sum is follow_up_count).';

-- The leads of each priority of the list: for each rule (private.kpi_follow_up_rules, a status and a range of last
-- contact days), the leads of that status in the range. A range open to the past is counted as the open leads of the
-- status (private.kpi_coach_now) minus those contacted after its end, so every count reads a few recent days of
-- lead_facts_follow_up_idx, never the whole backlog.
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

revoke all on function private.kpi_follow_up_counts(uuid, date) from public;

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

drop function private.kpi_follow_up_count(uuid, date);

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
        'follow_up_counts', coalesce(now_row.follow_up_counts, '{"high": 0, "medium": 0, "low": 0}'::jsonb),
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
    'pipeline of a period document: the current pipeline and follow-up list with its counts by priority (snapshot, as computed by the upkeep: follow_up_as_of) and, over the period, leads lost, the lost rate of the DM 1 cohort and the top 5 lost reasons.';

-- The glossary: the new key, and where the list's size comes from now.
insert into private.kpi_period_definitions (key, number, label, formula, denominator, period, snapshot, better, source) values
    ('pipeline.follow_up_counts', 32, 'Leads à relancer par priorité',
     'Nombre de leads de la liste de relance de priorité haute, moyenne et basse (leur somme est le nombre de leads à relancer)',
     null, null, true, null, 'private.kpi_follow_up_counts (private.kpi_follow_up_rules)');
update private.kpi_period_definitions set source = 'private.kpi_follow_up_counts (sum of the priorities)'
where key = 'pipeline.leads_to_follow_up';
update private.kpi_period_definitions set source = 'private.kpi_follow_up_counts + private.kpi_coach_now'
where key = 'pipeline.follow_up_rate';

-- Every coach's counts now, and the stored documents forgotten (the next pass stores them with the new key).
select private.kpi_refresh_follow_up(n.coach_id) from private.kpi_coach_now as n;
delete from private.kpi_documents;
