-- Purpose: get_dashboard sorts only the follow-up leads its document carries (top-N over private.follow_up_candidates).

-- Same document as 20261125100900 (the contract tests 17 and 20 hold it); the follow-up statement reads the inlined
-- rule with order by ... limit and count(*) over (), instead of sorting every open lead of the coach. jit stays off
-- (20261125101200): create or replace resets the function's settings to those written here.
create or replace function public.get_dashboard(coach_id uuid default auth.uid())
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
declare
    target uuid := private.check_coach_access(get_dashboard.coach_id);
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

comment on function public.get_dashboard(uuid) is
    'The whole dashboard of a coach (default: the caller) as one JSON document whose shape is web/src/dashboard-types.ts (Dashboard). Most KPIs come from private.coach_dashboard_kpis (last_updated = its refresh time, at most 5 minutes old); leads_today, leads_week, the current week of each change, the follow-up list (its most urgent private.kpi_follow_up_preview() leads; the count covers all) and the coach settings are computed at call time. Errors: 42501 another coach''s id (admins may ask for any coach), 22004 no coach id, P0002 unknown coach.';

revoke execute on function public.get_dashboard(uuid) from public, anon;
grant execute on function public.get_dashboard(uuid) to authenticated, service_role;
