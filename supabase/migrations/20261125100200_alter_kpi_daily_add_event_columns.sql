-- Purpose: kpi_daily becomes one row per coach per day (unique) with the volume columns the dashboard's week-over-week changes need.

-- Rows a legacy database may hold that break "one row per coach per day" (no coach, no date, duplicates) leave the
-- table whole into private.legacy_values (nothing is lost); the rebuild recomputes the day from events anyway.
select private.quarantine_legacy_rows('public.kpi_daily', $$
    t.coach_id is null or t.date is null or t.id in (
        select d.id from (
            select k.id, row_number() over (partition by k.coach_id, k.date order by k.updated_at desc, k.id) as n
            from public.kpi_daily as k
        ) as d
        where d.n > 1
    )$$);

alter table public.kpi_daily
    alter column coach_id set not null,
    alter column date set not null;

update public.kpi_daily set total_dms = 0 where total_dms is null;
update public.kpi_daily set qualified_leads = 0 where qualified_leads is null;
update public.kpi_daily set calls_proposed = 0 where calls_proposed is null;
update public.kpi_daily set calls_booked = 0 where calls_booked is null;

alter table public.kpi_daily
    alter column total_dms set default 0,
    alter column total_dms set not null,
    alter column qualified_leads set default 0,
    alter column qualified_leads set not null,
    alter column calls_proposed set default 0,
    alter column calls_proposed set not null,
    alter column calls_booked set default 0,
    alter column calls_booked set not null,
    add column if not exists new_leads integer not null default 0,
    add column if not exists messages_received integer not null default 0,
    add column if not exists won_deals integer not null default 0,
    add column if not exists lost_leads integer not null default 0,
    add column if not exists revenue numeric(12, 2) not null default 0,
    add constraint kpi_daily_coach_id_date_key unique (coach_id, date),
    add constraint kpi_daily_counts_positive check (
        total_dms >= 0 and qualified_leads >= 0 and calls_proposed >= 0 and calls_booked >= 0
        and new_leads >= 0 and messages_received >= 0 and won_deals >= 0 and lost_leads >= 0 and revenue >= 0
    );

-- The unique constraint's index starts with coach_id: the plain index is redundant.
drop index if exists public.kpi_daily_coach_id_date_idx;

comment on column public.kpi_daily.new_leads is 'Leads created that day (coach time zone).';
comment on column public.kpi_daily.messages_received is 'Inbound messages received that day.';
comment on column public.kpi_daily.won_deals is 'Leads that reached won for the first time that day.';
comment on column public.kpi_daily.lost_leads is 'Leads that became lost for the first time that day.';
comment on column public.kpi_daily.revenue is 'Deal value of the leads won for the first time that day.';
