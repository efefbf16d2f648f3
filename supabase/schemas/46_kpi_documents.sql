-- KPI engine: period documents, stored and computed.

create or replace function private.kpi_settings_version(target_coach uuid)
returns text
language sql
stable
security invoker
set search_path = ''
set TimeZone = 'UTC'
as $$
    select md5(jsonb_build_array(to_jsonb(c), to_jsonb(s))::text)
    from public.coachs as c
    left join public.coach_settings as s on s.coach_id = c.id
    where c.id = target_coach;
$$;

comment on function private.kpi_settings_version(uuid) is
    'Version of the settings a period document is computed from: md5 of the coach row and its coach_settings row as JSON (timestamps in UTC whatever the session). Changes with any change of either row; null for an unknown coach.';

revoke execute on function private.kpi_settings_version(uuid) from public;

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

comment on function private.kpi_documents_current(uuid, date) is
    'True when the five preset period documents of the coach are stored for its local day today, computed from its current settings (private.kpi_settings_version), and each either still exact at the current time (a period cut at the time of day: no event of its cut day between its cut and the cut now, cut_at and cut_event_at; all: the same number of started 30-day periods since the first lead, which its setter cost counts) or computed less than 5 minutes (plus 0-59 s by coach) ago. The upkeep computes them again otherwise: a coach with no event on a cut day since its documents were computed costs the pass nothing.';

revoke execute on function private.kpi_documents_current(uuid, date) from public;

create or replace function private.kpi_period_document(target_coach uuid, p private.kpi_period)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    has_previous boolean := p.previous_start is not null;
    cur private.kpi_facts;
    prev private.kpi_facts;
    c public.coachs;
    s public.coach_settings;
    pair record;
begin
    if p.key = 'range' and p.previous_until is null then
        -- a range that ends before today: both periods from their covering rows in one pass
        select x.cur, x.prev into pair
        from private.kpi_range_sums(target_coach, p.start_day, p.end_day, p.previous_start, p.previous_end) as x;
        cur := pair.cur;
        prev := pair.prev;
    else
        cur := private.kpi_period_sums(target_coach, nullif(p.key, 'range'), p.start_day, p.end_day);
        if has_previous then
            prev := private.kpi_previous_sums(target_coach, p);
        end if;
    end if;
    select * into c from public.coachs as x where x.id = target_coach;
    select * into s from public.coach_settings as x where x.coach_id = target_coach;
    return jsonb_build_object(
        'version', 2,
        'coach', jsonb_build_object('id', c.id, 'name', c.name, 'timezone', c.timezone, 'currency', coalesce(s.currency, 'EUR')),
        'last_updated', (select u.last_pass_at from private.kpi_upkeep_state as u),
        'min_sample', private.kpi_min_sample(),
        'has_leads', exists (select 1 from private.kpi_coach_now as n where n.coach_id = target_coach and n.leads > 0),
        'period', private.kpi_period_json(p),
        'activity', private.kpi_section_activity(cur, prev, has_previous),
        'reply_rates', private.kpi_section_reply_rates(cur, prev, has_previous),
        'qualification', private.kpi_section_qualification(cur, prev, has_previous, s.default_no_show_rate),
        'demographics', private.kpi_section_demographics(cur, prev, has_previous),
        'pipeline', private.kpi_section_pipeline(target_coach, p.today, cur, prev, has_previous),
        'performance', private.kpi_section_performance(target_coach, p, cur, prev, s),
        'trend', private.kpi_section_trend(target_coach, p)
    );
end;
$$;

comment on function private.kpi_period_document(uuid, private.kpi_period) is
    'The period document (PeriodDashboard of web/src/dashboard-types.ts) of a coach for a resolved period: the facts of the period (private.kpi_period_sums) and of the previous one, cut like the period (private.kpi_previous_sums), or for a range that ends before today both in one pass (private.kpi_range_sums), then one function per section. No caller check: called by private.kpi_period_dashboard after it, and by the upkeep.';

revoke execute on function private.kpi_period_document(uuid, private.kpi_period) from public;

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

revoke execute on function private.kpi_period_dashboard(uuid, text, date, date) from public;
grant execute on function private.kpi_period_dashboard(uuid, text, date, date) to authenticated, service_role;

create or replace function private.kpi_refresh_windows(target_coach uuid)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    today date := (select (now() at time zone c.timezone)::date from public.coachs as c where c.id = target_coach);
    written integer;
begin
    delete from private.kpi_facts as k where k.coach_id = target_coach and k.grain not in ('day', 'week', 'month');
    insert into private.kpi_facts (coach_id, grain, day, end_day, counts, sources, professions, lost_reasons,
        conversions, speed)
    select target_coach, w.grain, w.from_day, w.to_day, s.counts, s.sources, s.professions, s.lost_reasons,
        s.conversions, s.speed
    from (values
        ('today', today, today), ('7d', today - 6, today), ('30d', today - 29, today), ('90d', today - 89, today),
        ('all', date '0001-01-01', today), ('previous_today', today - 1, today - 1),
        ('previous_7d', today - 13, today - 7), ('previous_30d', today - 59, today - 30),
        ('previous_90d', today - 179, today - 90)
    ) as w (grain, from_day, to_day)
    cross join lateral private.kpi_period_sums(target_coach, null, w.from_day, w.to_day) as s;
    get diagnostics written = row_count;
    return written;
end;
$$;

comment on function private.kpi_refresh_windows(uuid) is
    'Recomputes the window rows of private.kpi_facts of a coach (today, 7d, 30d, 90d, all and previous_today, previous_7d, previous_30d, previous_90d) for its current local day from its day and month rows. Run by the upkeep when a coach''s day changes and after a rebuild.';

revoke execute on function private.kpi_refresh_windows(uuid) from public;

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

comment on function private.kpi_refresh_documents(uuid) is
    'Computes the period documents of the preset periods (today, 7d, 30d, 90d, all) of a coach for its local today into private.kpi_documents, each with the settings version it read (private.kpi_settings_version, same snapshot) and, for a period cut at the time of day, its cut and the first event of that day after the cut (private.kpi_cut_next_event). Takes the KPI writers'' lock. Run by the upkeep for the coaches whose facts changed, whose local day changed, or whose stored documents are not from their current settings.';

revoke execute on function private.kpi_refresh_documents(uuid) from public;
