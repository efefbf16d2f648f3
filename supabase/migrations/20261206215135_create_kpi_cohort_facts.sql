-- Purpose: private.kpi_cohort_facts, the additive cohort facts of a coach's leads by the week of their first contact (get_cohorts reads 12 rows instead of every lead of 12 weeks).

set lock_timeout = '500ms';

create table private.kpi_cohort_facts (
    coach_id uuid not null,
    week date not null,
    leads integer not null default 0,
    still_open integer not null default 0,
    qualified_7 integer not null default 0,
    qualified_14 integer not null default 0,
    qualified_30 integer not null default 0,
    booked_7 integer not null default 0,
    booked_14 integer not null default 0,
    booked_30 integer not null default 0,
    won_7 integer not null default 0,
    won_14 integer not null default 0,
    won_30 integer not null default 0,
    updated_at timestamptz not null default now(),
    constraint kpi_cohort_facts_week_valid check (extract(isodow from week) = 1),
    constraint kpi_cohort_facts_pkey primary key (coach_id, week),
    constraint kpi_cohort_facts_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

alter table private.kpi_cohort_facts enable row level security;

comment on table private.kpi_cohort_facts is
    'Additive KPI facts of a coach''s cohorts: the leads first contacted in one ISO week (local days, by created_day), and how many of them are still open and were qualified, booked and won within 7, 14 and 30 days of their first contact. The upkeep adds the differences of the contributions of changed leads (private.kpi_add_cohort_contributions, from private.lead_facts); get_cohorts reads its 12 rows (private.kpi_cohorts), however long the history. Rebuilt by private.kpi_rebuild(). No policy: read only through private.kpi_cohorts.';
comment on column private.kpi_cohort_facts.coach_id is 'The coach.';
comment on column private.kpi_cohort_facts.week is 'The Monday of the local ISO week of the leads'' first contact (created_day).';
comment on column private.kpi_cohort_facts.leads is 'Leads first contacted that week.';
comment on column private.kpi_cohort_facts.still_open is 'Of those, leads neither won nor lost now.';
comment on column private.kpi_cohort_facts.qualified_7 is 'Of those, leads qualified less than 7 days after their first contact (qualified_at < created_at + 7 days).';
comment on column private.kpi_cohort_facts.qualified_14 is 'Of those, leads qualified less than 14 days after their first contact.';
comment on column private.kpi_cohort_facts.qualified_30 is 'Of those, leads qualified less than 30 days after their first contact.';
comment on column private.kpi_cohort_facts.booked_7 is 'Of those, leads with a call booked less than 7 days after their first contact (booked_at).';
comment on column private.kpi_cohort_facts.booked_14 is 'Of those, leads with a call booked less than 14 days after their first contact.';
comment on column private.kpi_cohort_facts.booked_30 is 'Of those, leads with a call booked less than 30 days after their first contact.';
comment on column private.kpi_cohort_facts.won_7 is 'Of those, leads won less than 7 days after their first contact (won_at).';
comment on column private.kpi_cohort_facts.won_14 is 'Of those, leads won less than 14 days after their first contact.';
comment on column private.kpi_cohort_facts.won_30 is 'Of those, leads won less than 30 days after their first contact.';
comment on column private.kpi_cohort_facts.updated_at is 'When the upkeep last changed the row.';
