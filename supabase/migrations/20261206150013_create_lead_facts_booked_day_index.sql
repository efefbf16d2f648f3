-- Purpose: an index on the lead facts by coach and booking day (lead_facts_coach_id_booked_day_idx), so the calls_today alert finds the calls booked today without scanning the coach's leads.
-- squawk-ignore-file require-lock-timeout -- CREATE INDEX CONCURRENTLY must be the only statement; push.sh's lock_timeout applies

create index concurrently lead_facts_coach_id_booked_day_idx
    on private.lead_facts (coach_id, booked_day)
    where booked_day is not null;
