-- Purpose: public.lead_status_rank becomes inlinable (no SET clause), so the KPI queries stop calling it once per status event.

-- PostgreSQL never inlines a SQL function that has a SET clause: the materialized view's funnel and
-- rebuild_kpi_daily called this one as a function, its search_path saved and restored, once or more per status
-- event (~5 µs a call). npm run bench profiled 1.45 of the 2.18 s a refresh spends per coach at 4x in the two
-- aggregates that call it. Its body references no object (a CASE over text literals; the operators resolve in
-- pg_catalog, which is always searched first), so it does not need a search_path. On 3 coaches x 10,000 leads:
-- refresh 1.89 -> 0.93 s, rebuild_kpi_daily over 60 days 0.76 -> 0.33 s, the same rows.
alter function public.lead_status_rank(text) reset search_path;

comment on function public.lead_status_rank(text) is
    'Position of a status in the funnel: new 1, engaged 2, qualified 3, call_proposed 4, call_booked 5, won 6.
lost and relance are not funnel stages and rank null. A lead "reached" a stage when any of its events ranks at or above it.
Inlined into the queries that call it: no SET clause on purpose (it references no object), see 20261126100400.';
