-- Purpose: an index on the lead facts by coach and lead magnet day, so the part of a day after a cut (fair comparisons of a period that ends today) finds the leads whose lead magnet was sent then without scanning the coach's leads.

create index concurrently if not exists lead_facts_coach_id_lead_magnet_day_idx
    on private.lead_facts (coach_id, lead_magnet_day)
    where lead_magnet_day is not null;

comment on index private.lead_facts_coach_id_lead_magnet_day_idx is
    'Leads whose lead magnet was sent on a given local day (private.kpi_after_cut).';
