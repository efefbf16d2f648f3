-- The legacy document of get_dashboard() without a period: its view, materialized view and refresh.

create view private.coach_dashboard_kpis_live as
select
    c.id as coach_id,
    clock_timestamp() as refreshed_at,
    m.messages_sent,
    m.messages_received,
    m.inbound_answered,
    m.messages_sent_30d,
    l.total_leads,
    l.leads_messaged,
    l.lead_magnets_sent,
    l.emails_captured,
    l.avg_time_to_action_minutes,
    l.new_leads,
    l.engaged_leads,
    l.won_leads,
    l.lost_leads,
    l.relance_leads,
    l.open_leads,
    l.male_leads,
    l.female_leads,
    l.other_leads,
    l.unknown_gender,
    l.average_age,
    l.revenue,
    l.won_leads as deals_closed,
    l.average_deal_value,
    l.no_shows,
    l.call_outcomes,
    l.first_lead_at,
    r.qualified_leads,
    r.calls_proposed,
    r.calls_booked,
    r.won_ever,
    q.msg1_sent, q.msg1_replied,
    q.msg2_sent, q.msg2_replied,
    q.msg3_sent, q.msg3_replied,
    q.msg4_sent, q.msg4_replied,
    st.speed_median_minutes,
    st.speed_p90_minutes,
    st.speed_sample,
    coalesce(src.sources, '[]'::jsonb) as sources,
    coalesce(pro.professions, '[]'::jsonb) as professions,
    coalesce(lr.lost_reasons, '[]'::jsonb) as lost_reasons,
    bm.best_conversion_moment,
    coalesce(lq.lead_quality_by_source, '[]'::jsonb) as lead_quality_by_source
from public.coachs as c
cross join lateral (
    select
        count(*) filter (where x.direction = 'out')::integer as messages_sent,
        count(*) filter (where x.direction = 'in')::integer as messages_received,
        count(*) filter (where x.direction = 'in' and x.created_at < x.last_out_at)::integer as inbound_answered,
        count(*) filter (where x.direction = 'out' and x.created_at > now() - interval '30 days')::integer
            as messages_sent_30d
    from (
        select
            mm.direction,
            mm.created_at,
            max(mm.created_at) filter (where mm.direction = 'out') over (partition by mm.lead_id) as last_out_at
        from public.messages as mm
        where mm.coach_id = c.id
    ) as x
) as m
cross join lateral (
    select
        count(*)::integer as total_leads,
        count(*) filter (where ld.total_messages_sent > 0)::integer as leads_messaged,
        count(*) filter (where ld.lead_magnet_sent_at is not null)::integer as lead_magnets_sent,
        count(*) filter (where ld.email is not null)::integer as emails_captured,
        round(avg(ld.time_to_action_minutes))::integer as avg_time_to_action_minutes,
        count(*) filter (where ld.status = 'new')::integer as new_leads,
        count(*) filter (where ld.status = 'engaged')::integer as engaged_leads,
        count(*) filter (where ld.status = 'won')::integer as won_leads,
        count(*) filter (where ld.status = 'lost')::integer as lost_leads,
        count(*) filter (where ld.status = 'relance')::integer as relance_leads,
        count(*) filter (where ld.status not in ('won', 'lost'))::integer as open_leads,
        count(*) filter (where ld.gender = 'male')::integer as male_leads,
        count(*) filter (where ld.gender = 'female')::integer as female_leads,
        count(*) filter (where ld.gender = 'other')::integer as other_leads,
        count(*) filter (where ld.gender is null)::integer as unknown_gender,
        round(avg(ld.age), 1) as average_age,
        coalesce(sum(ld.deal_value) filter (where ld.status = 'won'), 0) as revenue,
        round(avg(ld.deal_value) filter (where ld.status = 'won'), 2) as average_deal_value,
        count(*) filter (where ld.call_showed is false)::integer as no_shows,
        count(*) filter (where ld.call_showed is not null)::integer as call_outcomes,
        min(ld.created_at) as first_lead_at
    from public.leads as ld
    where ld.coach_id = c.id
) as l
cross join lateral (
    select
        count(*) filter (where y.max_rank >= 3)::integer as qualified_leads,
        count(*) filter (where y.max_rank >= 4)::integer as calls_proposed,
        count(*) filter (where y.max_rank >= 5)::integer as calls_booked,
        count(*) filter (where y.max_rank >= 6)::integer as won_ever
    from (
        select max(public.lead_status_rank(e.to_status)) as max_rank
        from public.lead_status_events as e
        where e.coach_id = c.id
        group by e.lead_id
    ) as y
) as r
cross join lateral (
    select
        count(s.msg1_sent_at)::integer as msg1_sent,
        count(*) filter (where s.msg1_sent_at is not null and s.msg1_replied)::integer as msg1_replied,
        count(s.msg2_sent_at)::integer as msg2_sent,
        count(*) filter (where s.msg2_sent_at is not null and s.msg2_replied)::integer as msg2_replied,
        count(s.msg3_sent_at)::integer as msg3_sent,
        count(*) filter (where s.msg3_sent_at is not null and s.msg3_replied)::integer as msg3_replied,
        count(s.msg4_sent_at)::integer as msg4_sent,
        count(*) filter (where s.msg4_sent_at is not null and s.msg4_replied)::integer as msg4_replied
    from public.message_sequences as s
    where s.coach_id = c.id
) as q
cross join lateral (
    -- a lead's turn starts with its first message after an outbound one; the wait is until the next outbound
    select
        round((percentile_cont(0.5) within group (order by t.wait_minutes))::numeric, 1) as speed_median_minutes,
        round((percentile_cont(0.9) within group (order by t.wait_minutes))::numeric, 1) as speed_p90_minutes,
        count(*)::integer as speed_sample
    from (
        select extract(epoch from z.next_out_at - z.created_at) / 60.0 as wait_minutes
        from (
            select
                mm.direction,
                mm.created_at,
                lag(mm.direction) over w as previous_direction,
                min(mm.created_at) filter (where mm.direction = 'out')
                    over (w rows between 1 following and unbounded following) as next_out_at
            from public.messages as mm
            where mm.coach_id = c.id
                -- only leads with an answer in the last 30 days can have a counted turn; their whole conversation
                -- stays in the window, so lag() sees the message before the first counted one (same result)
                and mm.lead_id in (
                    select r.lead_id
                    from public.messages as r
                    where r.coach_id = c.id and r.direction = 'in' and r.created_at > now() - interval '30 days'
                )
            window w as (partition by mm.lead_id order by mm.created_at, mm.id)
        ) as z
        where z.direction = 'in'
            and z.previous_direction is distinct from 'in'
            and z.next_out_at is not null
            and z.created_at > now() - interval '30 days'
    ) as t
) as st
cross join lateral (
    select jsonb_agg(
            jsonb_build_object('label', g.label, 'lead_count', g.n,
                'percentage', round(g.n * 100.0 / nullif(l.total_leads, 0), 1))
            order by g.n desc, g.label) as sources
    from (
        select ld.source as label, count(*)::integer as n
        from public.leads as ld
        where ld.coach_id = c.id and ld.source is not null
        group by ld.source
    ) as g
) as src
cross join lateral (
    select jsonb_agg(
            jsonb_build_object('label', g.label, 'lead_count', g.n,
                'percentage', round(g.n * 100.0 / g.total, 1))
            order by g.n desc, g.label) as professions
    from (
        select lower(btrim(ld.job_title)) as label, count(*)::integer as n, sum(count(*)) over () as total
        from public.leads as ld
        where ld.coach_id = c.id and nullif(btrim(ld.job_title), '') is not null
        group by lower(btrim(ld.job_title))
    ) as g
) as pro
cross join lateral (
    select jsonb_agg(
            jsonb_build_object('label', g.label, 'lead_count', g.n,
                'percentage', round(g.n * 100.0 / g.total, 1))
            order by g.n desc, g.label) as lost_reasons
    from (
        select ld.lost_reason as label, count(*)::integer as n, sum(count(*)) over () as total
        from public.leads as ld
        where ld.coach_id = c.id and ld.status = 'lost' and ld.lost_reason is not null
        group by ld.lost_reason
    ) as g
) as lr
left join lateral (
    -- first time each lead reached call_booked, and first time it was won, in the coach's time zone
    select jsonb_build_object('weekday', b.weekday, 'hour', b.hour, 'count', b.n) as best_conversion_moment
    from (
        select
            extract(isodow from v.at at time zone c.timezone)::integer as weekday,
            extract(hour from v.at at time zone c.timezone)::integer as hour,
            count(*)::integer as n
        from (
            select min(e.changed_at) as at
            from public.lead_status_events as e
            where e.coach_id = c.id and e.to_status in ('call_booked', 'won')
            group by e.lead_id, e.to_status
        ) as v
        group by 1, 2
        order by n desc, weekday, hour
        limit 1
    ) as b
) as bm on true
cross join lateral (
    select jsonb_agg(
            jsonb_build_object(
                'source', g.source,
                'leads', g.leads,
                'qualified', g.qualified,
                'calls_booked', g.calls_booked,
                'won', g.won,
                'revenue', g.revenue,
                'qualification_rate', private.kpi_rate(g.qualified, g.leads),
                'booking_rate', private.kpi_rate(g.calls_booked, g.qualified),
                'win_rate', private.kpi_rate(g.won, g.calls_booked))
            order by g.leads desc, g.source) as lead_quality_by_source
    from (
        select
            ld.source,
            count(*)::integer as leads,
            count(*) filter (where k.max_rank >= 3)::integer as qualified,
            count(*) filter (where k.max_rank >= 5)::integer as calls_booked,
            count(*) filter (where k.max_rank >= 6)::integer as won,
            coalesce(sum(ld.deal_value) filter (where ld.status = 'won'), 0) as revenue
        from public.leads as ld
        left join lateral (
            select max(public.lead_status_rank(e.to_status)) as max_rank
            from public.lead_status_events as e
            where e.lead_id = ld.id and e.coach_id = ld.coach_id
        ) as k on true
        where ld.coach_id = c.id and ld.source is not null
        group by ld.source
    ) as g
) as lq;

comment on view private.coach_dashboard_kpis_live is
    'Every KPI of the dashboard that does not depend on the time of the call, computed now, one row per coach. Source of the materialized view private.coach_dashboard_kpis; read directly only for a coach created after the last refresh.';

create materialized view private.coach_dashboard_kpis as
select * from private.coach_dashboard_kpis_live
with data;

comment on materialized view private.coach_dashboard_kpis is
    'Pre-computed KPIs, one row per coach, refreshed concurrently every 5 minutes by pg_cron (job refresh-dashboard-kpis); refreshed_at is last_updated. No RLS on a materialized view: not granted to anon or authenticated, read only through the security definer dashboard functions, which check the caller.';

create unique index coach_dashboard_kpis_coach_id_key on private.coach_dashboard_kpis (coach_id);

create or replace function private.dashboard_row(target_coach_id uuid)
returns setof private.coach_dashboard_kpis
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return query
    select k.* from private.coach_dashboard_kpis as k where k.coach_id = target_coach_id;
    if not found then
        return query
        select v.* from private.coach_dashboard_kpis_live as v where v.coach_id = target_coach_id;
    end if;
end;
$$;

comment on function private.dashboard_row(uuid) is
    'The KPI row of one coach from the materialized view, or from the live view when the coach is newer than the last refresh (the live query is planned only then).';

revoke execute on function private.dashboard_row(uuid) from public;

create or replace function private.refresh_dashboard_kpis()
returns timestamp with time zone
language plpgsql
volatile
security invoker
set search_path = ''
set jit = off
as $$
begin
    -- the last 15 days of kpi_daily (days of every time zone) feed the week-over-week changes
    perform public.rebuild_kpi_daily(current_date - 15, current_date + 1);
    refresh materialized view concurrently private.coach_dashboard_kpis;
    return (select max(k.refreshed_at) from private.coach_dashboard_kpis as k);
end;
$$;

comment on function private.refresh_dashboard_kpis() is
    'Rebuilds the last 15 days of kpi_daily, then refreshes private.coach_dashboard_kpis concurrently (readers are never blocked). Returns the new last_updated. Run by pg_cron every 5 minutes.';

revoke execute on function private.refresh_dashboard_kpis() from public;

create or replace function private.dashboard_kpis_refreshed_at()
returns timestamp with time zone
language sql
stable
security definer
set search_path = ''
as $$
    select max(k.refreshed_at) from private.coach_dashboard_kpis as k;
$$;

comment on function private.dashboard_kpis_refreshed_at() is
    'When private.coach_dashboard_kpis was last refreshed (null while it holds no row). Security definer so that health() can tell anyone the age of the data without any right on the view; returns one timestamp, nothing per coach, hence no caller check.';

revoke execute on function private.dashboard_kpis_refreshed_at() from public;
grant execute on function private.dashboard_kpis_refreshed_at() to anon, authenticated, service_role;

create or replace function private.refresh_dashboard_kpis_if_allowed()
returns timestamp with time zone
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    if coalesce(nullif(current_setting('role', true), ''), 'none') in ('anon', 'authenticated')
        and not public.is_admin() then
        raise exception 'permission denied: only an admin or the service role can refresh the dashboard'
            using errcode = '42501';
    end if;
    return private.refresh_dashboard_kpis();
end;
$$;

comment on function private.refresh_dashboard_kpis_if_allowed() is
    'Refreshes the dashboard KPIs (private.refresh_dashboard_kpis) when the caller is an admin (app_metadata.role) or a trusted role (service_role, the owner, pg_cron); a coach or anon gets 42501. Security definer: the entry point of public.refresh_dashboard_kpis().';

revoke execute on function private.refresh_dashboard_kpis_if_allowed() from public;
grant execute on function private.refresh_dashboard_kpis_if_allowed() to authenticated, service_role;

create or replace function public.refresh_dashboard_kpis()
returns timestamptz
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.refresh_dashboard_kpis_if_allowed();
end;

comment on function public.refresh_dashboard_kpis() is
    'Refreshes the dashboard KPIs now (kpi_daily of the last 15 days, then the materialized view) and returns the new last_updated. Admin (app_metadata.role) or service_role only (42501 otherwise); pg_cron runs it every 5 minutes. Security invoker.';

revoke execute on function public.refresh_dashboard_kpis() from public, anon;
grant execute on function public.refresh_dashboard_kpis() to authenticated, service_role;

create or replace function private.dashboard_legacy(coach_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
declare
    target uuid := private.check_coach_access(dashboard_legacy.coach_id);
    k private.coach_dashboard_kpis;
    c public.coachs;
    s public.coach_settings;
    today date;
    week_start timestamptz;
    tomorrow_start timestamptz;
    leads_today integer;
    leads_week integer;
    sent_week integer;
    previous_leads integer;
    previous_sent integer;
    follow_up jsonb;
    follow_up_count integer;
    setter_cost numeric;
    minutes numeric;
    no_show jsonb;
begin
    select * into k from private.dashboard_row(target);
    select * into c from public.coachs as x where x.id = target;
    select * into s from public.coach_settings as x where x.coach_id = target;

    -- Live (computed at call time, in the coach's time zone): today, the last 7 days, the follow-up list.
    today := (now() at time zone c.timezone)::date;
    week_start := (today - 6)::timestamp at time zone c.timezone;
    tomorrow_start := (today + 1)::timestamp at time zone c.timezone;

    select
        count(*) filter (where l.created_at >= today::timestamp at time zone c.timezone),
        count(*)
    into leads_today, leads_week
    from public.leads as l
    where l.coach_id = target and l.created_at >= week_start and l.created_at < tomorrow_start;

    select count(*) into sent_week
    from public.messages as m
    where m.coach_id = target and m.direction = 'out' and m.created_at >= week_start and m.created_at < tomorrow_start;

    -- The week before comes from kpi_daily (rebuilt from events by every refresh and nightly).
    select coalesce(sum(d.new_leads), 0), coalesce(sum(d.total_dms), 0)
    into previous_leads, previous_sent
    from public.kpi_daily as d
    where d.coach_id = target and d.date between today - 13 and today - 7;

    -- The document carries the most urgent leads only (private.kpi_follow_up_preview()); the count is of all of
    -- them, and get_leads_to_followup() returns the whole list. The rule is inlined here, so only the rows kept are
    -- sorted (top-N) and the count comes from the same pass.
    select
        coalesce(jsonb_agg(jsonb_build_object(
            'lead_id', f.lead_id,
            'instagram_username', f.instagram_username,
            'first_name', f.first_name,
            'status', f.status,
            'days_without_contact', f.days_without_contact,
            'priority', f.priority)
            order by f.priority_rank, f.days_without_contact desc, f.instagram_username nulls last, f.lead_id), '[]'::jsonb),
        coalesce(max(f.total), 0)
    into follow_up, follow_up_count
    from (
        select x.*, count(*) over () as total
        from private.follow_up_candidates(target) as x
        order by x.priority_rank, x.days_without_contact desc, x.instagram_username nulls last, x.lead_id
        limit private.kpi_follow_up_preview()
    ) as f;

    -- Settings are read live, so a changed setting shows at once.
    setter_cost := coalesce(s.setter_monthly_cost, 0)
        * greatest(1, ceil(extract(epoch from now() - k.first_lead_at) / (30 * 86400.0)));
    minutes := coalesce(s.minutes_per_manual_message, 0);

    no_show := case
        when k.call_outcomes > 0 then private.kpi_rate(k.no_shows, k.call_outcomes) || '{"estimated": false}'
        else private.kpi_rate(0, 0)
            || jsonb_build_object('value', round(coalesce(s.default_no_show_rate, 0) * 100, 1), 'estimated', true)
    end;

    return jsonb_build_object(
        'coach', jsonb_build_object(
            'id', c.id, 'name', c.name, 'timezone', c.timezone, 'currency', coalesce(s.currency, 'EUR')),
        'last_updated', k.refreshed_at,
        'min_sample', private.kpi_min_sample(),
        'has_leads', k.total_leads > 0,
        'activity', jsonb_build_object(
            'messages_sent', k.messages_sent,
            'messages_received', k.messages_received,
            'total_leads', k.total_leads,
            'leads_today', leads_today,
            'leads_week', leads_week,
            'leads_change', private.kpi_change(leads_week, previous_leads),
            'messages_sent_change', private.kpi_change(sent_week, previous_sent),
            'avg_messages_per_lead',
                round((k.messages_sent + k.messages_received)::numeric / nullif(k.total_leads, 0), 1),
            'top_sources', coalesce(jsonb_path_query_array(k.sources, '$[0 to 2]'), '[]'::jsonb),
            'avg_time_to_action_minutes', k.avg_time_to_action_minutes
        ),
        'reply_rates', jsonb_build_array(
            jsonb_build_object('message_number', 1, 'rate', private.kpi_rate(k.msg1_replied, k.msg1_sent),
                'rating', private.kpi_rating((private.kpi_rate(k.msg1_replied, k.msg1_sent) ->> 'value')::numeric)),
            jsonb_build_object('message_number', 2, 'rate', private.kpi_rate(k.msg2_replied, k.msg2_sent),
                'rating', private.kpi_rating((private.kpi_rate(k.msg2_replied, k.msg2_sent) ->> 'value')::numeric)),
            jsonb_build_object('message_number', 3, 'rate', private.kpi_rate(k.msg3_replied, k.msg3_sent),
                'rating', private.kpi_rating((private.kpi_rate(k.msg3_replied, k.msg3_sent) ->> 'value')::numeric)),
            jsonb_build_object('message_number', 4, 'rate', private.kpi_rate(k.msg4_replied, k.msg4_sent),
                'rating', private.kpi_rating((private.kpi_rate(k.msg4_replied, k.msg4_sent) ->> 'value')::numeric))
        ),
        'qualification', jsonb_build_object(
            'qualified_leads', k.qualified_leads,
            'qualification_rate', private.kpi_rate(k.qualified_leads, k.total_leads),
            'lead_magnets_sent', k.lead_magnets_sent,
            'emails_captured', k.emails_captured,
            'calls_proposed', k.calls_proposed,
            'calls_booked', k.calls_booked,
            'funnel', jsonb_build_array(
                jsonb_build_object('step', 'messages_sent', 'count', k.leads_messaged, 'rate_from_previous', null),
                jsonb_build_object('step', 'qualified', 'count', k.qualified_leads,
                    'rate_from_previous', private.kpi_rate(k.qualified_leads, k.leads_messaged)),
                jsonb_build_object('step', 'calls_proposed', 'count', k.calls_proposed,
                    'rate_from_previous', private.kpi_rate(k.calls_proposed, k.qualified_leads)),
                jsonb_build_object('step', 'calls_booked', 'count', k.calls_booked,
                    'rate_from_previous', private.kpi_rate(k.calls_booked, k.calls_proposed))
            ),
            'call_booking_rate', private.kpi_rate(k.calls_booked, k.calls_proposed),
            'call_conversion_rate', private.kpi_rate(k.won_ever, k.calls_booked),
            'no_show_rate', no_show
        ),
        'demographics', jsonb_build_object(
            'men', private.kpi_rate(k.male_leads, k.male_leads + k.female_leads + k.other_leads),
            'women', private.kpi_rate(k.female_leads, k.male_leads + k.female_leads + k.other_leads),
            'other', private.kpi_rate(k.other_leads, k.male_leads + k.female_leads + k.other_leads),
            'unknown_gender', k.unknown_gender,
            'average_age', k.average_age,
            'top_professions', coalesce(jsonb_path_query_array(k.professions, '$[0 to 4]'), '[]'::jsonb)
        ),
        'pipeline', jsonb_build_object(
            'new_leads', k.new_leads,
            'engaged_leads', k.engaged_leads,
            'won_leads', k.won_leads,
            'lost_leads', k.lost_leads,
            'lost_rate', private.kpi_rate(k.lost_leads, k.total_leads),
            'relance_leads', k.relance_leads,
            'leads_to_follow_up', follow_up_count,
            'follow_up_rate', private.kpi_rate(follow_up_count, k.open_leads),
            'follow_up', follow_up,
            'lost_reasons', coalesce(jsonb_path_query_array(k.lost_reasons, '$[0 to 4]'), '[]'::jsonb)
        ),
        'performance', jsonb_build_object(
            'revenue', k.revenue,
            'deals_closed', k.deals_closed,
            'average_deal_value', k.average_deal_value,
            'setter_cost', setter_cost,
            'acquisition_cost', round(setter_cost / nullif(k.deals_closed, 0), 2),
            'roi', private.kpi_rate(k.revenue - setter_cost, setter_cost, false),
            'ai_efficiency', private.kpi_rate(k.inbound_answered, k.messages_received),
            'time_saved', jsonb_build_object(
                'hours', round(k.messages_sent_30d * minutes / 60.0, 1),
                'messages', k.messages_sent_30d,
                'minutes_per_message', minutes,
                'estimated', true),
            'best_conversion_moment', k.best_conversion_moment,
            'lead_quality_by_source', k.lead_quality_by_source,
            'speed_to_lead', jsonb_build_object(
                'median_minutes', k.speed_median_minutes,
                'p90_minutes', k.speed_p90_minutes,
                'sample', k.speed_sample)
        ),
        'definitions', (
            select coalesce(jsonb_object_agg(d.key, jsonb_build_object(
                'label', d.label, 'formula', d.formula, 'denominator', d.denominator)), '{}'::jsonb)
            from private.kpi_definitions as d
        )
    );
end;
$$;

comment on function private.dashboard_legacy(uuid) is
    'The legacy dashboard document (Dashboard of web/src/dashboard-types.ts) of a coach, exactly as get_dashboard(coach_id) returned it before periods: most KPIs from private.coach_dashboard_kpis (last_updated = its refresh time), leads today/this week, the week-over-week changes, the follow-up list and the settings at call time. Security definer: checks the caller (private.check_coach_access). Errors: 42501 another coach''s id (admins may ask for any coach), 22004 no coach id, PT404 unknown coach.';

revoke execute on function private.dashboard_legacy(uuid) from public;
grant execute on function private.dashboard_legacy(uuid) to authenticated, service_role;
