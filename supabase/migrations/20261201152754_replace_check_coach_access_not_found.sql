-- Purpose: an unknown coach id fails with SQLSTATE PT404 ("coach not found"), which PostgREST answers with HTTP 404, instead of P0002 (HTTP 500, a server error to a client that only asked for a coach that does not exist).

set local lock_timeout = '3s';
set local statement_timeout = '30s';

-- PostgREST maps P0002 (no_data_found), like every P0 code but P0001, to 500; a "PTxyz" SQLSTATE is answered with
-- HTTP status xyz (docs.postgrest.org, "Errors": "Raise errors with HTTP Status Codes"), and the error's code stays
-- PT404 for the client (supabase-js: error.code = 'PT404', status 404).
create or replace function private.check_coach_access(requested_coach_id uuid)
returns uuid
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    api_role text := coalesce(nullif(current_setting('role', true), ''), 'none');
begin
    if requested_coach_id is null then
        raise exception 'coach_id is required: sign in as a coach or pass a coach id'
            using errcode = '22004';
    end if;
    -- anon and authenticated are API callers: a coach reads its own data, an admin (app_metadata) anyone's.
    -- Other roles (service_role, the database owner, pg_cron) are trusted.
    if api_role in ('anon', 'authenticated')
        and requested_coach_id is distinct from auth.uid()
        and not public.is_admin() then
        raise exception 'permission denied: a coach can only read its own dashboard'
            using errcode = '42501';
    end if;
    if not exists (select 1 from public.coachs as c where c.id = requested_coach_id) then
        raise exception 'coach not found'
            using errcode = 'PT404';
    end if;
    return requested_coach_id;
end;
$$;

comment on function private.check_coach_access(uuid) is
    'Returns the coach id when the caller may read that coach''s dashboard, else raises: 22004 no coach id (anonymous caller), 42501 a coach asking for another coach, PT404 unknown coach (HTTP 404 through PostgREST). Admins (app_metadata.role) and non-API roles (service_role, owner, pg_cron) may read any coach.';

create or replace function public.get_coach_settings(coach_id uuid default auth.uid())
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    result jsonb;
begin
    if get_coach_settings.coach_id is null then
        raise exception 'coach_id is required: sign in as a coach or pass a coach id' using errcode = '22004';
    end if;
    if coalesce(nullif(current_setting('role', true), ''), 'none') in ('anon', 'authenticated')
        and get_coach_settings.coach_id is distinct from auth.uid()
        and not public.is_admin() then
        raise exception 'permission denied: a coach can only read its own settings' using errcode = '42501';
    end if;
    -- Read through RLS: a coach sees its own rows, an admin every row.
    select jsonb_build_object(
        'coach_id', c.id,
        'timezone', c.timezone,
        'currency', s.currency,
        'setter_monthly_cost', s.setter_monthly_cost,
        'setter_cost_estimated', s.setter_cost_confirmed_at is null,
        'minutes_per_manual_message', s.minutes_per_manual_message,
        'default_no_show_rate', s.default_no_show_rate,
        'updated_at', greatest(c.updated_at, s.updated_at))
    into result
    from public.coachs as c
    join public.coach_settings as s on s.coach_id = c.id
    where c.id = get_coach_settings.coach_id;
    if result is null then
        raise exception 'coach not found' using errcode = 'PT404';
    end if;
    return result;
end;
$$;

comment on function public.get_coach_settings(uuid) is
    'The settings of a coach (default: the caller) as JSON: timezone, currency, setter_monthly_cost, setter_cost_estimated (true while the cost is the default, never given by the coach), minutes_per_manual_message, default_no_show_rate (0..1), updated_at. Errors: 22004 no coach id, 42501 another coach''s id (admins may read any), PT404 unknown coach (HTTP 404).';

-- The functions that check the caller through private.check_coach_access say so in their summary.
comment on function private.dashboard_legacy(uuid) is
    'The legacy dashboard document (Dashboard of web/src/dashboard-types.ts) of a coach, exactly as get_dashboard(coach_id) returned it before periods: most KPIs from private.coach_dashboard_kpis (last_updated = its refresh time), leads today/this week, the week-over-week changes, the follow-up list and the settings at call time. Security definer: checks the caller (private.check_coach_access). Errors: 42501 another coach''s id (admins may ask for any coach), 22004 no coach id, PT404 unknown coach.';

comment on function public.get_dashboard(uuid, text, date, date) is
    'The dashboard of a coach (default: the caller) as one JSON document. With a period (today, 7d, 30d, 90d, all; or range / no period with period_start and period_end, whole local days): the period document PeriodDashboard of web/src/dashboard-types.ts, from the incremental KPI facts (last_updated = last upkeep pass). Without any: exactly the legacy document Dashboard. The glossary of period documents is get_kpi_definitions(). Errors (PostgREST 400/403/404): 22023 a bad period or range (the message names the parameter), 42501 another coach''s id (admins may ask for any coach), 22004 no coach id, PT404 unknown coach (404).';

comment on function public.get_leads_to_followup(uuid, text, date, date) is
    'Leads to follow up for a coach (default: the caller): high = qualified/call_proposed silent 1-14 days or relance silent >= 3 days; medium = engaged silent 2-14 days or qualified/call_proposed silent > 14 days; low = new silent >= 3 days or engaged silent > 14 days. Sorted by priority then days without contact, longest first. A snapshot: without a period computed at call time; with a period (checked as get_dashboard''s, it does not filter the list) from the lead facts as of the last upkeep pass, the list of period documents. Errors: 42501 another coach''s id (admins may), 22004 no coach id, PT404 unknown coach (404), 22023 a bad period.';

comment on function public.get_kpi_leads(text, uuid, text, date, date, text, integer) is
    'The leads behind a count of a period document (drill-down) for a coach (default: the caller): kpi is the count''s path, e.g. activity.new_leads, qualification.calls_booked, reply_rates.1, or a path and a label, e.g. activity.top_sources:story, qualification.funnel:qualified, pipeline.lost_reasons:price; period as get_dashboard''s (default 30d). Returns {rows: [{lead_id, instagram_username, first_name, status, source, event_at, deal_value}], next: cursor for after, or null on the last page, total}, most recent event first; total equals the document''s count. Errors: 22023 a bad kpi, page_size (1..500), cursor or period; 42501 another coach''s id (admins may); 22004 no coach id; PT404 unknown coach (404).';
