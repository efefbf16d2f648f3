-- Purpose: a settings save no longer deletes the coach's stored period documents (they carry their settings version since 20261206141442): the delete deadlocked with an upkeep pass upserting them.

set lock_timeout = '500ms';

-- The trigger deleted the coach's five rows of private.kpi_documents in primary key order while a pass upserted them
-- in its own order ('today' first): each side held a row the other needed next (40P01 "while deleting tuple in
-- relation kpi_documents", the save failed with HTTP 500). A save now writes coach_settings only; the stored
-- documents stop being served at once (their settings_version is no longer the current one) and the next pass
-- computes them again.
drop trigger coach_settings_kpi_forget_documents on public.coach_settings;
