-- Purpose: no JIT for the KPI queries: compiling their many small aggregates costs seconds for milliseconds of work.

-- Measured on the seed (4 coaches, 257 leads): refreshing the materialized view took 3.2 s with JIT, 0.13 s without;
-- rebuilding 17 days of kpi_daily 2.3 s vs 0.08 s. The cost estimates of these lateral aggregates cross
-- jit_above_cost although every subquery reads a few index-selected rows.
alter function private.refresh_dashboard_kpis() set jit = off;
alter function public.refresh_dashboard_kpis() set jit = off;
alter function public.rebuild_kpi_daily(date, date) set jit = off;
alter function public.get_dashboard(uuid) set jit = off;
alter function public.get_response_rates(uuid) set jit = off;
alter function public.get_top_sources(uuid, integer) set jit = off;
alter function public.get_top_professions(uuid, integer) set jit = off;
alter function public.get_leads_to_followup(uuid) set jit = off;
