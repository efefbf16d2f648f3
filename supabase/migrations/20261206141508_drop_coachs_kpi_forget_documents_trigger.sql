-- Purpose: a change of a coach's name or time zone no longer deletes its stored period documents (they carry their settings version since 20261206141442), and the trigger function goes with its last trigger.

set lock_timeout = '500ms';

-- As for coach_settings (the migration before): the coach row is part of the settings version, so the documents of
-- the old name or time zone stop being served at once and the next pass computes them again, without the save
-- touching private.kpi_documents.
drop trigger coachs_kpi_forget_documents on public.coachs;

drop function private.kpi_forget_documents();
