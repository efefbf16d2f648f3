-- Purpose: stored period documents are computed again only when the clock passes something that changes them (an event of the cut day after the cut; for all, a new 30-day period of setter cost), no longer every 5 minutes for every coach; get_dashboard serves a document whose cut has passed no event with the cut now.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_cut_next_event(uuid, date, timestamp with time zone), as supabase/schemas/43_kpi_period.sql defines it
create or replace function private.kpi_cut_next_event(target_coach uuid, cut_day date, cut timestamptz)
returns timestamptz
language sql
stable
security invoker
set search_path = ''
as $$
    select coalesce(least(
        (select min(l.created_at) from public.leads as l
         where l.coach_id = target_coach and l.created_at >= cut and l.created_at < b.day_end),
        (select min(m.created_at) from public.messages as m
         where m.coach_id = target_coach and m.created_at >= cut and m.created_at < b.day_end),
        (select min(e.changed_at) from public.lead_status_events as e
         where e.coach_id = target_coach and e.changed_at >= cut and e.changed_at < b.day_end),
        (select min(f.lead_magnet_at) from private.lead_facts as f
         where f.coach_id = target_coach and f.lead_magnet_day = cut_day and f.lead_magnet_at >= cut)), 'infinity')
    from (
        select (cut_day + 1)::timestamp at time zone c.timezone as day_end
        from public.coachs as c
        where c.id = target_coach
    ) as b;
$$;

-- function private.kpi_documents_current(uuid, date), as supabase/schemas/46_kpi_documents.sql defines it
create or replace function private.kpi_documents_current(target_coach uuid, today date)
returns boolean
language sql
stable
security invoker
set search_path = ''
as $$
    select count(*) = 5
        and bool_and(
            -- all: the setter cost counts started 30-day periods since the first lead (kpi_section_performance); the
            -- same number now as when it was computed
            (d.period = 'all' and coalesce((
                select greatest(1, ceil(extract(epoch from now() - f.created_at) / (30 * 86400.0)))
                    = greatest(1, ceil(extract(epoch from d.computed_at - f.created_at) / (30 * 86400.0)))
                from private.lead_facts as f
                where f.coach_id = target_coach
                order by f.created_day, f.created_at
                limit 1), true))
            -- the cut now (the stored cut's day at the local time now, as private.kpi_resolve_period cuts) is still
            -- between the stored cut and the first event after it
            or coalesce(((d.cut_at at time zone c.timezone)::date
                + date_trunc('second', (now() at time zone c.timezone)::time)::time) at time zone c.timezone
                between d.cut_at and d.cut_event_at, false)
            or d.computed_at >= now() - interval '5 minutes' - make_interval(secs => abs(hashtext(target_coach::text)) % 60))
    from private.kpi_documents as d
    join public.coachs as c on c.id = d.coach_id
    where d.coach_id = target_coach and d.day = today
        and d.settings_version = (select private.kpi_settings_version(target_coach));
$$;

-- function private.kpi_period_dashboard(uuid, text, date, date), as supabase/schemas/46_kpi_documents.sql defines it
create or replace function private.kpi_period_dashboard(coach_id uuid, period text, period_start date, period_end date)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
set plan_cache_mode = force_generic_plan
as $$
declare
    target uuid := private.check_coach_access(kpi_period_dashboard.coach_id);
    p private.kpi_period := private.kpi_resolve_period(target, period, period_start, period_end);
    cached jsonb;
begin
    -- a stored document whose cut has not passed an event since is exact at the cut now: it says so (period)
    select d.document || jsonb_build_object('last_updated', (select u.last_pass_at from private.kpi_upkeep_state as u))
        || case when p.previous_until between d.cut_at and d.cut_event_at then jsonb_build_object('period', private.kpi_period_json(p))
            else '{}'::jsonb end
    into cached
    from private.kpi_documents as d
    where d.coach_id = target and d.period = p.key and d.day = p.today
        and d.settings_version = (select private.kpi_settings_version(target));
    return coalesce(cached, private.kpi_period_document(target, p));
end;
$$;

-- function private.kpi_refresh_documents(uuid), as supabase/schemas/46_kpi_documents.sql defines it
create or replace function private.kpi_refresh_documents(target_coach uuid)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
    written integer;
begin
    perform pg_catalog.pg_advisory_xact_lock(private.kpi_upkeep_lock());
    insert into private.kpi_documents as d (coach_id, period, day, document, computed_at, settings_version, cut_at,
        cut_event_at)
    select target_coach, x.key, p.today, private.kpi_period_document(target_coach, p), now(),
        private.kpi_settings_version(target_coach), p.previous_until,
        case when p.previous_until is not null
            then private.kpi_cut_next_event(target_coach, p.previous_end, p.previous_until) end
    from unnest(array['today', '7d', '30d', '90d', 'all']) as x (key)
    cross join lateral private.kpi_resolve_period(target_coach, x.key, null, null) as p
    on conflict (coach_id, period) do update
    set day = excluded.day, document = excluded.document, computed_at = excluded.computed_at,
        settings_version = excluded.settings_version, cut_at = excluded.cut_at, cut_event_at = excluded.cut_event_at;
    get diagnostics written = row_count;
    return written;
end;
$$;

-- comments
comment on function private.kpi_cut_next_event(uuid, date, timestamptz) is
    'The first event of the local day cut_day of a coach at or after the instant cut, among those private.kpi_after_cut takes off (a lead created, a message, a status event, a lead magnet); infinity when there is none. private.kpi_after_cut gives the same result for any cut up to that instant. Four reads of one index entry each (min on the coach and time indexes).';

comment on function private.kpi_documents_current(uuid, date) is
    'True when the five preset period documents of the coach are stored for its local day today, computed from its current settings (private.kpi_settings_version), and each either still exact at the current time (a period cut at the time of day: no event of its cut day between its cut and the cut now, cut_at and cut_event_at; all: the same number of started 30-day periods since the first lead, which its setter cost counts) or computed less than 5 minutes (plus 0-59 s by coach) ago. The upkeep computes them again otherwise: a coach with no event on a cut day since its documents were computed costs the pass nothing.';

comment on function private.kpi_period_dashboard(uuid, text, date, date) is
    'get_dashboard with a period: checks the caller (private.check_coach_access), resolves the period, returns the document of that preset period the upkeep computed for the coach''s today from its current settings (private.kpi_documents, settings_version; last_updated = the last upkeep pass; period.previous.until = the cut now while no event of the cut day lies between the stored cut and it, cut_at and cut_event_at), else computes it (private.kpi_period_document). Security definer: reads the private facts tables after the check. Generic plans for every statement (left to choose, PL/pgSQL re-planned the follow-up list on every call: 0.7 ms of planning for 0.3 ms of work).';

comment on function private.kpi_refresh_documents(uuid) is
    'Computes the period documents of the preset periods (today, 7d, 30d, 90d, all) of a coach for its local today into private.kpi_documents, each with the settings version it read (private.kpi_settings_version, same snapshot) and, for a period cut at the time of day, its cut and the first event of that day after the cut (private.kpi_cut_next_event). Takes the KPI writers'' lock. Run by the upkeep for the coaches whose facts changed, whose local day changed, or whose stored documents are not from their current settings.';

-- privileges
revoke execute on function private.kpi_cut_next_event(uuid, date, timestamptz) from public;
