-- Purpose: lead_quality_by_source of a period document lists at most the 20 sources with the most new leads, so the document's size is bounded whatever the number of distinct sources n8n sends.

set lock_timeout = '500ms';

-- It listed every source of the period's new leads: the source is free text (up to 100 characters), so a coach whose
-- workflow sends a new source per campaign or per ad grew the document without bound. The sources with the most new
-- leads come first, as before; the drill-down of each listed source is unchanged. (private.kpi_source_quality is
-- 20261201150911's body with the limit.)

create or replace function private.kpi_source_quality_max()
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
    select 20;
$$;

comment on function private.kpi_source_quality_max() is
    'The most sources lead_quality_by_source lists: 20, those with the most new leads in the period (a period document''s size is bounded: docs/kpis.md).';

revoke all on function private.kpi_source_quality_max() from public;

create or replace function private.kpi_source_quality(sources jsonb)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
    return (
        select coalesce(jsonb_agg(jsonb_build_object(
                'source', s.source, 'leads', s.leads, 'qualified', s.qualified, 'calls_booked', s.booked, 'won', s.won,
                'revenue', s.revenue,
                'qualification_rate', private.kpi_rate(s.qualified, s.leads),
                'booking_rate', private.kpi_rate(s.booked, s.qualified),
                'win_rate', private.kpi_rate(s.won, s.booked))
                order by s.leads desc, s.source), '[]'::jsonb)
        from (
            select substr(e.key, position(':' in e.key) + 1) as source,
                coalesce(sum(e.value::numeric) filter (where split_part(e.key, ':', 1) = 'leads'), 0) as leads,
                coalesce(sum(e.value::numeric) filter (where split_part(e.key, ':', 1) = 'qualified'), 0) as qualified,
                coalesce(sum(e.value::numeric) filter (where split_part(e.key, ':', 1) = 'booked'), 0) as booked,
                coalesce(sum(e.value::numeric) filter (where split_part(e.key, ':', 1) = 'won'), 0) as won,
                coalesce(sum(e.value::numeric) filter (where split_part(e.key, ':', 1) = 'revenue'), 0) as revenue
            from jsonb_each_text(sources) as e
            group by 1
            having coalesce(sum(e.value::numeric) filter (where split_part(e.key, ':', 1) = 'leads'), 0) > 0
            order by 2 desc, 1
            limit private.kpi_source_quality_max()
        ) as s
    );
end;
$$;

comment on function private.kpi_source_quality(jsonb) is
    'lead_quality_by_source of a period document: for each source of the leads created in the period (the private.kpi_source_quality_max() with the most leads), leads, qualified / calls booked / won since, revenue of those won, and the rate of each step (SourceQuality[]).';

-- The stored documents may list more: forgotten, computed at call time until the next upkeep pass stores them again.
delete from private.kpi_documents;
