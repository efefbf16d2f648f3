-- Purpose: fair comparisons: the previous period of a period that ends today is cut at the same local time of day (period.previous.until), its last day summed only up to that instant from the per-lead facts.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- At 14:10, "today" holds 14 hours and 10 minutes of activity; all of yesterday would hold 24. A period that ends
-- today (today, 7d, 30d, 90d, a range ending today) is now compared with its previous period cut at the same local
-- time of day: [previous_start, previous_end] with previous_end counted only up to previous_end + the local time of
-- day of the moment the document is computed (period.previous.until). Same wall-clock time, so across a DST change
-- the two parts may differ by an hour (a local time that does not exist, 02:30 on a spring-forward day, is read as
-- PostgreSQL reads it: one hour later). A period that ends before today compares whole days (until is null).
--
-- The facts are per local day; the part of the cut day after the cut comes from the per-lead facts: the leads with
-- an event on that day at or after the cut (created, a message, a status event, a lead magnet) have their facts
-- truncated at the cut (events at or after it removed), and the difference of their contributions
-- (private.kpi_lead_contributions, the one definition of every additive fact) is taken off the previous period's
-- sums. Cohort rates keep their meaning (a lead whose DM 1 was sent before the cut counts with what it did since).
-- Conversions and speed-to-lead turns of the previous period are not cut: the document does not compare them.

alter type private.kpi_period add attribute previous_until timestamptz;

comment on type private.kpi_period is
    'A resolved period: key (today, 7d, 30d, 90d, all, range), first and last local day (inclusive), number of days, the previous period of the same length (null for all), the trend bucket (day, or week beyond 90 days), the coach''s time zone and its today, and previous_until: for a period that ends today, the instant its previous period is cut at (previous_end at the same local time of day), else null.';

create or replace function private.kpi_resolve_period(
    target_coach uuid,
    period text,
    period_start date,
    period_end date,
    as_of timestamptz
)
returns private.kpi_period
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    p private.kpi_period;
begin
    p.key := coalesce(period, 'range');
    select c.timezone into p.timezone from public.coachs as c where c.id = target_coach;
    p.today := (as_of at time zone p.timezone)::date;
    if p.key not in ('today', '7d', '30d', '90d', 'all', 'range') then
        raise exception using errcode = '22023',
            message = format('invalid parameter "period": "%s" is not one of today, 7d, 30d, 90d, all, range', period);
    elsif p.key <> 'range' and (period_start is not null or period_end is not null) then
        raise exception using errcode = '22023',
            message = format('invalid parameter "period_start": dates go with period "range" (or no period), not with "%s"', period);
    elsif p.key = 'range' and (period_start is null or period_end is null) then
        raise exception using errcode = '22023',
            message = format('invalid parameter "%s": a range needs both period_start and period_end',
                case when period_start is null then 'period_start' else 'period_end' end);
    elsif period_start > period_end then
        raise exception using errcode = '22023',
            message = format('invalid parameter "period_start": %s is after period_end %s', period_start, period_end);
    elsif period_end > p.today then
        raise exception using errcode = '22023',
            message = format('invalid parameter "period_end": %s is after today (%s in %s)', period_end, p.today, p.timezone);
    elsif p.key = 'range' then
        perform private.kpi_check_range_bounds(target_coach, period_start, period_end, p.today);
    end if;
    p.end_day := coalesce(period_end, p.today);
    p.start_day := case p.key
        when 'range' then period_start when 'today' then p.today when '7d' then p.today - 6
        when '30d' then p.today - 29 when '90d' then p.today - 89
        else private.kpi_first_day(target_coach, p.today) end;
    p.days := p.end_day - p.start_day + 1;
    if p.key <> 'all' then
        p.previous_start := p.start_day - p.days;
        p.previous_end := p.start_day - 1;
        if p.end_day = p.today then
            p.previous_until := (p.previous_end + date_trunc('second', (as_of at time zone p.timezone)::time)::time)
                at time zone p.timezone;
        end if;
    end if;
    p.bucket := case when p.days > 90 then 'week' else 'day' end;
    return p;
end;
$$;

comment on function private.kpi_resolve_period(uuid, text, date, date, timestamptz) is
    'Resolves the period of a dashboard call at the instant as_of in the coach''s time zone: today [today, today], 7d [today - 6, today], 30d, 90d, all [first day with a lead or message, today], range (or no period) [period_start, period_end] within its bounds (private.kpi_check_range_bounds). The previous period has the same number of days and ends the day before the start (none for all), cut at as_of''s local time of day (to the second) when the period ends today (previous_until); bucket is week beyond 90 days. Raises 22023 naming the parameter for an unknown period, dates with a preset, a range without both dates, a start after the end, an end after today, a range beyond its bounds.';

create or replace function private.kpi_resolve_period(target_coach uuid, period text, period_start date, period_end date)
returns private.kpi_period
language sql
stable
security invoker
set search_path = ''
as $$
    select private.kpi_resolve_period(target_coach, period, period_start, period_end, now());
$$;

comment on function private.kpi_resolve_period(uuid, text, date, date) is
    'private.kpi_resolve_period at now(): the period of a dashboard call (see the five-argument version).';

-- Leads of a coach with an event on the local day cut_day at or after the instant cut, with the facts they would
-- have had at the cut; their contributions to that day after the cut are the difference.
create or replace function private.kpi_after_cut(target_coach uuid, cut_day date, cut timestamptz)
returns table (metric text, n numeric)
language sql
stable
security invoker
set search_path = ''
as $$
    with bounds as (
        select ((cut_day + 1)::timestamp at time zone c.timezone) as day_end
        from public.coachs as c
        where c.id = target_coach
    ),
    candidates as (
        select l.id as lead_id from public.leads as l, bounds as b
        where l.coach_id = target_coach and l.created_at >= cut and l.created_at < b.day_end
        union
        select m.lead_id from public.messages as m, bounds as b
        where m.coach_id = target_coach and m.created_at >= cut and m.created_at < b.day_end
        union
        select e.lead_id from public.lead_status_events as e, bounds as b
        where e.coach_id = target_coach and e.changed_at >= cut and e.changed_at < b.day_end
        union
        select f.lead_id from private.lead_facts as f
        where f.coach_id = target_coach and f.lead_magnet_day = cut_day and f.lead_magnet_at >= cut
    ),
    late_messages as (
        -- per candidate, the messages of the cut day at or after the cut: [sent, received, received then answered]
        select m.lead_id,
            count(*) filter (where m.direction = 'out') as sent,
            count(*) filter (where m.direction = 'in') as received,
            count(*) filter (where m.direction = 'in' and m.created_at < (
                select max(o.created_at) from public.messages as o
                where o.lead_id = m.lead_id and o.coach_id = target_coach and o.direction = 'out')) as answered
        from public.messages as m, bounds as b
        where m.coach_id = target_coach and m.created_at >= cut and m.created_at < b.day_end
        group by m.lead_id
    ),
    truncated as (
        select f, jsonb_populate_record(f, jsonb_build_object(
                'dm1_day', case when f.dm1_at < cut then f.dm1_day end,
                'dm2_day', case when f.dm2_at < cut then f.dm2_day end,
                'dm3_day', case when f.dm3_at < cut then f.dm3_day end,
                'dm4_day', case when f.dm4_at < cut then f.dm4_day end,
                'qualified_day', case when f.qualified_at < cut then f.qualified_day end,
                'proposed_day', case when f.proposed_at < cut then f.proposed_day end,
                'booked_day', case when f.booked_at < cut then f.booked_day end,
                'won_day', case when f.won_at < cut then f.won_day end,
                'lost_day', case when f.lost_at < cut then f.lost_day end,
                'lead_magnet_day', case when f.lead_magnet_at < cut then f.lead_magnet_day end,
                'activity', case when m.lead_id is null or not f.activity ? to_char(cut_day, 'YYYY-MM-DD') then f.activity
                    else jsonb_set(f.activity, array[to_char(cut_day, 'YYYY-MM-DD')], jsonb_build_array(
                        (f.activity -> to_char(cut_day, 'YYYY-MM-DD') ->> 0)::integer - m.sent,
                        (f.activity -> to_char(cut_day, 'YYYY-MM-DD') ->> 1)::integer - m.received,
                        (f.activity -> to_char(cut_day, 'YYYY-MM-DD') ->> 2)::integer - m.answered)) end)) as t,
            f.created_at >= cut as created_after
        from candidates as c
        join private.lead_facts as f on f.lead_id = c.lead_id
        left join late_messages as m on m.lead_id = c.lead_id
    )
    select x.metric, sum(x.n)
    from (
        select c.metric, c.n
        from truncated as u cross join lateral private.kpi_lead_contributions(u.f) as c
        where c.day = cut_day
        union all
        select c.metric, -c.n
        from truncated as u cross join lateral private.kpi_lead_contributions(u.t) as c
        where c.day = cut_day and not u.created_after
    ) as x
    group by x.metric
    having sum(x.n) <> 0;
$$;

comment on function private.kpi_after_cut(uuid, date, timestamptz) is
    'The contributions to the local day cut_day of a coach that happened at or after the instant cut, as (metric, n) in the terms of private.kpi_lead_contributions: for each lead with an event that day at or after the cut (created, a message, a status event, a lead magnet), its contributions to that day minus those of its facts truncated at the cut (a lead created after the cut has none; day columns of events at or after it cleared; the day''s messages counted before it). Conversions and speed turns are not cut.';

-- The entries of one map ("<map>.<key>": n) of a set of contributions, as {"<key>": sign * n}.
create or replace function private.kpi_cells_map(cells jsonb, map text, sign integer)
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
    select coalesce(jsonb_object_agg(substr(c.key, char_length(map) + 2), sign * c.value::numeric), '{}'::jsonb)
    from jsonb_each_text(cells) as c
    where left(c.key, char_length(map) + 1) = map || '.';
$$;

comment on function private.kpi_cells_map(jsonb, text, integer) is
    'The entries "<map>.<key>" of a set of contributions {"<metric>": n} as the map {"<key>": sign * n}.';

-- A private.kpi_facts value less a set of contributions ({"<metric>": n}, maps as "<map>.<key>").
create or replace function private.kpi_facts_less(base private.kpi_facts, cells jsonb)
returns private.kpi_facts
language sql
stable
security invoker
set search_path = ''
as $$
    select jsonb_populate_record(base, coalesce((
        select jsonb_object_agg(c.key, (to_jsonb(base) ->> c.key)::numeric - c.value::numeric)
        from jsonb_each_text(cells) as c
        where strpos(c.key, '.') = 0
    ), '{}'::jsonb) || jsonb_build_object(
        'counts', private.kpi_jsonb_add(base.counts, coalesce((
            select jsonb_object_agg(c.key, -c.value::numeric) from jsonb_each_text(cells) as c
            where strpos(c.key, '.') = 0), '{}'::jsonb)),
        'sources', private.kpi_jsonb_add(base.sources, private.kpi_cells_map(cells, 'sources', -1)),
        'professions', private.kpi_jsonb_add(base.professions, private.kpi_cells_map(cells, 'professions', -1)),
        'lost_reasons', private.kpi_jsonb_add(base.lost_reasons, private.kpi_cells_map(cells, 'lost_reasons', -1)),
        'conversions', private.kpi_jsonb_add(base.conversions, private.kpi_cells_map(cells, 'conversions', -1)),
        'speed', private.kpi_jsonb_add(base.speed, private.kpi_cells_map(cells, 'speed', -1))));
$$;

comment on function private.kpi_facts_less(private.kpi_facts, jsonb) is
    'A private.kpi_facts value with a set of contributions {"<metric>": n} (maps as "<map>.<key>") taken off: each typed column, counts and each labelled map.';

-- The facts of the previous period of a resolved period: its sums, less the part of its last day after the cut
-- when it is cut (previous_until).
create or replace function private.kpi_previous_sums(target_coach uuid, p private.kpi_period)
returns private.kpi_facts
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    prev private.kpi_facts := private.kpi_period_sums(target_coach, 'previous_' || p.key, p.previous_start, p.previous_end);
begin
    if p.previous_until is null then
        return prev;
    end if;
    return private.kpi_facts_less(prev, (
        select coalesce(jsonb_object_agg(a.metric, a.n), '{}'::jsonb)
        from private.kpi_after_cut(target_coach, p.previous_end, p.previous_until) as a));
end;
$$;

comment on function private.kpi_previous_sums(uuid, private.kpi_period) is
    'The facts of the previous period of a resolved period (private.kpi_period_sums), cut at previous_until when the period ends today: the contributions of its last day at or after that instant (private.kpi_after_cut) taken off.';

revoke all on function private.kpi_after_cut(uuid, date, timestamptz) from public;
revoke all on function private.kpi_facts_less(private.kpi_facts, jsonb) from public;
revoke all on function private.kpi_cells_map(jsonb, text, integer) from public;
revoke all on function private.kpi_previous_sums(uuid, private.kpi_period) from public;
revoke all on function private.kpi_resolve_period(uuid, text, date, date, timestamptz) from public;

create or replace function private.kpi_period_json(p private.kpi_period)
returns jsonb
language sql
stable
security invoker
as $$
    select jsonb_build_object(
        'key', p.key,
        'start', to_char(p.start_day, 'YYYY-MM-DD'),
        'end', to_char(p.end_day, 'YYYY-MM-DD'),
        'days', p.days,
        'previous', case when p.previous_start is not null then jsonb_build_object(
            'start', to_char(p.previous_start, 'YYYY-MM-DD'), 'end', to_char(p.previous_end, 'YYYY-MM-DD'),
            'until', to_char(p.previous_until at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) end,
        'bucket', p.bucket,
        'timezone', p.timezone
    );
$$;

comment on function private.kpi_period_json(private.kpi_period) is
    'The period object of a period document (Period of web/src/dashboard-types.ts); previous.until is the cut of the previous period in UTC (ISO 8601, to the second), null when whole days are compared. Inlinable (no SET clause, reads no table).';

-- The period document of a coach for a resolved period: a thin composition of the section functions over the
-- period's and the previous period's summed facts. No caller check here: its callers check (get_dashboard's
-- private.kpi_period_dashboard) or are the upkeep (private.kpi_refresh_documents).
create or replace function private.kpi_period_document(target_coach uuid, p private.kpi_period)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    has_previous boolean := p.previous_start is not null;
    cur private.kpi_facts := private.kpi_period_sums(target_coach, nullif(p.key, 'range'), p.start_day, p.end_day);
    prev private.kpi_facts;
    c public.coachs;
    s public.coach_settings;
begin
    if has_previous then
        prev := private.kpi_previous_sums(target_coach, p);
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
    'The period document (PeriodDashboard of web/src/dashboard-types.ts) of a coach for a resolved period: the facts of the period (private.kpi_period_sums) and of the previous one, cut like the period (private.kpi_previous_sums), then one function per section. No caller check: called by private.kpi_period_dashboard after it, and by the upkeep.';

-- The stored documents have no cut: forgotten, computed at call time meanwhile, stored again by the next pass.
delete from private.kpi_documents;
