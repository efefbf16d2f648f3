-- Purpose: fills private.lead_search.created_at from the leads for the rows written before the column existed (one read of leads; writers go on).

set lock_timeout = '500ms';

-- Reads leads with the lock of a plain SELECT (writers are not blocked) and updates only the rows still without it: a
-- row a trigger has written since the previous migration already has it.
update private.lead_search as s
set created_at = l.created_at
from public.leads as l
where l.id = s.lead_id
    and s.created_at is null;
