-- Purpose: the first KPI engine goes: private.dashboard_legacy (replaced by the projection private.kpi_legacy_document) and the legacy glossary private.kpi_definitions (the legacy document's definitions come from the one glossary); the live twin view went with the view's rebuild.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- pgTAP 55 proved the projection equals this function's document on the fixtures before it went (its code is kept
-- as that test's reference, supabase/tests/helpers/legacy_reference.psql).
drop function private.dashboard_legacy(uuid);
-- squawk-ignore ban-drop-table -- the legacy glossary of the private schema: read only by private.dashboard_legacy, dropped above
drop table private.kpi_definitions;
