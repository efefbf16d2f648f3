-- Purpose: an index on the leads by coach and call start (leads_coach_id_call_at_idx, the calls whose start Calendly gave), so the calls_today alert finds a coach's calls of the day without scanning its leads.
-- squawk-ignore-file require-lock-timeout -- CREATE INDEX CONCURRENTLY must be the only statement; push.sh's lock_timeout applies

create index concurrently leads_coach_id_call_at_idx
    on public.leads (coach_id, call_at)
    where call_at is not null;
