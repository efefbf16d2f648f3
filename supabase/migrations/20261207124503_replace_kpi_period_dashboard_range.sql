-- Purpose: private.kpi_period_dashboard computes a range without looking for a stored document first (only the presets are stored: kpi_documents_period_valid); the same documents.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- as supabase/schemas/46_kpi_documents.sql defines it (create or replace keeps its grants)
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
    -- a range is never stored (the upkeep stores the presets): computed without looking
    if p.key = 'range' then
        return private.kpi_period_document(target, p);
    end if;
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

comment on function private.kpi_period_dashboard(uuid, text, date, date) is
    'get_dashboard with a period: checks the caller (private.check_coach_access), resolves the period, computes a range (private.kpi_period_document; ranges are never stored), returns the document of a preset period the upkeep computed for the coach''s today from its current settings (private.kpi_documents, settings_version; last_updated = the last upkeep pass; period.previous.until = the cut now while no event of the cut day lies between the stored cut and it, cut_at and cut_event_at), else computes it (private.kpi_period_document). Security definer: reads the private facts tables after the check. Generic plans for every statement (left to choose, PL/pgSQL re-planned the follow-up list on every call: 0.7 ms of planning for 0.3 ms of work).';
