-- Purpose: an index on the lead facts by coach and lead magnet day (lead_facts_coach_id_lead_magnet_day_idx), so the part of a day after a cut (fair comparisons of a period that ends today, private.kpi_after_cut) finds the leads whose lead magnet was sent then without scanning the coach's leads.
-- squawk-ignore-file require-lock-timeout -- CREATE INDEX CONCURRENTLY must be the only statement; push.sh's lock_timeout applies

create index concurrently lead_facts_coach_id_lead_magnet_day_idx
    on private.lead_facts (coach_id, lead_magnet_day)
    where lead_magnet_day is not null;
