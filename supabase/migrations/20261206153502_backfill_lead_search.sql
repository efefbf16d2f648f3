-- Purpose: fills private.lead_search for the leads that existed before its trigger (one read of leads; writers go on).

set lock_timeout = '500ms';

-- Reads leads with the lock of a plain SELECT (writers are not blocked) and writes only the new table. Leads written
-- meanwhile already have their row from the trigger: those are kept.
insert into private.lead_search (lead_id, coach_id, search_text)
select l.id, l.coach_id, private.lead_search_text(l.first_name, l.last_name, l.instagram_username, l.email)
from public.leads as l
on conflict (lead_id) do nothing;
