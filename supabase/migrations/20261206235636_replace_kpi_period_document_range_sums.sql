-- Purpose: a period document of a range that ends before today reads both periods' sums in one pass (private.kpi_range_sums) instead of two.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_period_document(uuid, private.kpi_period), as supabase/schemas/46_kpi_documents.sql defines it
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
