-- Purpose: an index of each coach's search rows newest first, with their search text (lead_search_coach_id_created_at_idx), so a search reads a coach's newest matching leads and stops at the page's bound.
-- squawk-ignore-file require-lock-timeout -- CREATE INDEX CONCURRENTLY must be the only statement; push.sh's lock_timeout applies

create index concurrently lead_search_coach_id_created_at_idx
    on private.lead_search (coach_id, created_at desc nulls last, lead_id desc)
    include (search_text);
