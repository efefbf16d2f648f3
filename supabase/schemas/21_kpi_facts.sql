-- KPI engine: the sums of lead facts per coach and day.

create table private.kpi_facts (
    coach_id uuid not null,
    grain text not null,
    day date not null,
    end_day date not null,
    counts jsonb not null default '{}'::jsonb,
    sources jsonb not null default '{}'::jsonb,
    professions jsonb not null default '{}'::jsonb,
    lost_reasons jsonb not null default '{}'::jsonb,
    conversions jsonb not null default '{}'::jsonb,
    speed jsonb not null default '{}'::jsonb,
    updated_at timestamptz not null default now(),
    new_leads integer generated always as ((coalesce(((counts ->> 'new_leads'::text))::numeric, (0)::numeric))::integer) stored,
    cohort_messages integer generated always as ((coalesce(((counts ->> 'cohort_messages'::text))::numeric, (0)::numeric))::integer) stored,
    tta_sum bigint generated always as ((coalesce(((counts ->> 'tta_sum'::text))::numeric, (0)::numeric))::bigint) stored,
    tta_count integer generated always as ((coalesce(((counts ->> 'tta_count'::text))::numeric, (0)::numeric))::integer) stored,
    emails integer generated always as ((coalesce(((counts ->> 'emails'::text))::numeric, (0)::numeric))::integer) stored,
    men integer generated always as ((coalesce(((counts ->> 'men'::text))::numeric, (0)::numeric))::integer) stored,
    women integer generated always as ((coalesce(((counts ->> 'women'::text))::numeric, (0)::numeric))::integer) stored,
    other_gender integer generated always as ((coalesce(((counts ->> 'other_gender'::text))::numeric, (0)::numeric))::integer) stored,
    unknown_gender integer generated always as ((coalesce(((counts ->> 'unknown_gender'::text))::numeric, (0)::numeric))::integer) stored,
    age_sum integer generated always as ((coalesce(((counts ->> 'age_sum'::text))::numeric, (0)::numeric))::integer) stored,
    age_count integer generated always as ((coalesce(((counts ->> 'age_count'::text))::numeric, (0)::numeric))::integer) stored,
    messages_sent integer generated always as ((coalesce(((counts ->> 'messages_sent'::text))::numeric, (0)::numeric))::integer) stored,
    messages_received integer generated always as ((coalesce(((counts ->> 'messages_received'::text))::numeric, (0)::numeric))::integer) stored,
    inbound_answered integer generated always as ((coalesce(((counts ->> 'inbound_answered'::text))::numeric, (0)::numeric))::integer) stored,
    dm1_sent integer generated always as ((coalesce(((counts ->> 'dm1_sent'::text))::numeric, (0)::numeric))::integer) stored,
    dm1_replied integer generated always as ((coalesce(((counts ->> 'dm1_replied'::text))::numeric, (0)::numeric))::integer) stored,
    dm2_sent integer generated always as ((coalesce(((counts ->> 'dm2_sent'::text))::numeric, (0)::numeric))::integer) stored,
    dm2_replied integer generated always as ((coalesce(((counts ->> 'dm2_replied'::text))::numeric, (0)::numeric))::integer) stored,
    dm3_sent integer generated always as ((coalesce(((counts ->> 'dm3_sent'::text))::numeric, (0)::numeric))::integer) stored,
    dm3_replied integer generated always as ((coalesce(((counts ->> 'dm3_replied'::text))::numeric, (0)::numeric))::integer) stored,
    dm4_sent integer generated always as ((coalesce(((counts ->> 'dm4_sent'::text))::numeric, (0)::numeric))::integer) stored,
    dm4_replied integer generated always as ((coalesce(((counts ->> 'dm4_replied'::text))::numeric, (0)::numeric))::integer) stored,
    cohort_qualified integer generated always as ((coalesce(((counts ->> 'cohort_qualified'::text))::numeric, (0)::numeric))::integer) stored,
    cohort_proposed integer generated always as ((coalesce(((counts ->> 'cohort_proposed'::text))::numeric, (0)::numeric))::integer) stored,
    cohort_booked integer generated always as ((coalesce(((counts ->> 'cohort_booked'::text))::numeric, (0)::numeric))::integer) stored,
    cohort_won integer generated always as ((coalesce(((counts ->> 'cohort_won'::text))::numeric, (0)::numeric))::integer) stored,
    cohort_lost integer generated always as ((coalesce(((counts ->> 'cohort_lost'::text))::numeric, (0)::numeric))::integer) stored,
    qualified integer generated always as ((coalesce(((counts ->> 'qualified'::text))::numeric, (0)::numeric))::integer) stored,
    calls_proposed integer generated always as ((coalesce(((counts ->> 'calls_proposed'::text))::numeric, (0)::numeric))::integer) stored,
    calls_booked integer generated always as ((coalesce(((counts ->> 'calls_booked'::text))::numeric, (0)::numeric))::integer) stored,
    deals_won integer generated always as ((coalesce(((counts ->> 'deals_won'::text))::numeric, (0)::numeric))::integer) stored,
    revenue numeric generated always as (coalesce(((counts ->> 'revenue'::text))::numeric, (0)::numeric)) stored,
    won_valued integer generated always as ((coalesce(((counts ->> 'won_valued'::text))::numeric, (0)::numeric))::integer) stored,
    lost integer generated always as ((coalesce(((counts ->> 'lost'::text))::numeric, (0)::numeric))::integer) stored,
    lead_magnets integer generated always as ((coalesce(((counts ->> 'lead_magnets'::text))::numeric, (0)::numeric))::integer) stored,
    call_outcomes integer generated always as ((coalesce(((counts ->> 'call_outcomes'::text))::numeric, (0)::numeric))::integer) stored,
    no_shows integer generated always as ((coalesce(((counts ->> 'no_shows'::text))::numeric, (0)::numeric))::integer) stored,
    conversion_slots numeric not null default 0,
    speed_slots numeric not null default 0,
    open_keys text[] not null default '{}'::text[],
    open_counts numeric[] not null default '{}'::numeric[],
    constraint kpi_facts_days_valid check (
        (grain = 'day' and end_day = day)
        or (grain = 'week' and extract(isodow from day) = 1 and end_day = day + 6)
        or (grain = 'month' and extract(day from day) = 1 and end_day = (day + interval '1 month - 1 day')::date)
        or (grain not in ('day', 'week', 'month') and end_day >= day)
    ),
    constraint kpi_facts_grain_valid check (grain in ('day', 'week', 'month', 'today', '7d', '30d', '90d', 'all', 'previous_today', 'previous_7d', 'previous_30d', 'previous_90d')),
    constraint kpi_facts_pkey primary key (coach_id, grain, day),
    constraint kpi_facts_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

-- the open entries stay in the row, compressed when need be, rather than in the TOAST table: a range reads them in
-- every covering row (private.kpi_range_sums), and each value moved out of the row costs a TOAST index lookup there
alter table private.kpi_facts alter column open_keys set storage main;

alter table private.kpi_facts alter column open_counts set storage main;

comment on table private.kpi_facts is
    'Additive KPI facts of a coach over a range of local days [day, end_day]: one local day (grain day), one ISO week (grain week, Monday to Sunday: the weekly trend and the whole weeks of a range), one local month (grain month), or the current preset periods and their previous periods (grains today, 7d, 30d, 90d, all and previous_*: the windows, recomputed when the coach''s day changes). The upkeep adds the differences of the contributions of changed leads to every row whose range holds the day (private.kpi_add_contributions); the typed columns are generated from counts, conversion_slots and speed_slots kept from conversions and speed by a trigger (private.kpi_facts_pack_slots), and open_keys and open_counts from counts and the open-key maps by another (private.kpi_facts_open_entries). A preset period reads its window row; any other period sums its whole months, whole weeks and remaining days (private.kpi_range_cover). Rebuilt from scratch by private.kpi_rebuild().';
comment on column private.kpi_facts.coach_id is 'The coach.';
comment on column private.kpi_facts.grain is 'day, week, month, or the window of a preset period: today, 7d, 30d, 90d, all, previous_today, previous_7d, previous_30d, previous_90d.';
comment on column private.kpi_facts.day is 'First local day of the range (a day, a Monday, the first of a month, the start of a window; all starts at 0001-01-01).';
comment on column private.kpi_facts.end_day is 'Last local day of the range (inclusive). For a window, the coach''s today when it was computed (previous windows end the day before their period).';
comment on column private.kpi_facts.counts is 'The counts and sums, {"<column>": n}, zero entries removed; each typed column below is generated from it.';
comment on column private.kpi_facts.sources is 'Leads created in the range by source, {"<what>:<source>": n} with what = leads, qualified, booked, won (reached since) or revenue (deal values of those won).';
comment on column private.kpi_facts.professions is 'Leads created in the range by profession (trimmed, lower-cased), {"<profession>": n}.';
comment on column private.kpi_facts.lost_reasons is 'Leads that first became lost in the range, by lost reason, {"<reason>": n}.';
comment on column private.kpi_facts.conversions is 'First call_booked events and first wins in the range by local weekday-hour slot, {"<(ISO weekday - 1) * 24 + hour>": n}.';
comment on column private.kpi_facts.speed is 'Speed-to-lead turns started in the range by wait bucket (private.kpi_speed_bucket), {"<bucket>": n}.';
comment on column private.kpi_facts.updated_at is 'When the upkeep last changed the row.';
comment on column private.kpi_facts.new_leads is 'Leads created (created_day).';
comment on column private.kpi_facts.cohort_messages is 'Messages so far of the leads created that day (average conversation length).';
comment on column private.kpi_facts.tta_sum is 'Sum of time_to_action_minutes of the leads created that day.';
comment on column private.kpi_facts.tta_count is 'Leads created that day with a time to action.';
comment on column private.kpi_facts.emails is 'Leads created that day whose email is known.';
comment on column private.kpi_facts.men is 'Leads created that day: male.';
comment on column private.kpi_facts.women is 'Leads created that day: female.';
comment on column private.kpi_facts.other_gender is 'Leads created that day: other gender.';
comment on column private.kpi_facts.unknown_gender is 'Leads created that day: gender unknown.';
comment on column private.kpi_facts.age_sum is 'Sum of the ages of the leads created that day (when known).';
comment on column private.kpi_facts.age_count is 'Leads created that day with a known age.';
comment on column private.kpi_facts.messages_sent is 'Outbound messages dated that day.';
comment on column private.kpi_facts.messages_received is 'Inbound messages dated that day.';
comment on column private.kpi_facts.inbound_answered is 'Inbound messages dated that day followed by an outbound message of the setter.';
comment on column private.kpi_facts.dm1_sent is 'Leads whose DM 1 was sent that day (leads contacted).';
comment on column private.kpi_facts.dm1_replied is 'Of those, leads who answered DM 1.';
comment on column private.kpi_facts.dm2_sent is 'Leads whose DM 2 was sent that day.';
comment on column private.kpi_facts.dm2_replied is 'Of those, leads who answered DM 2.';
comment on column private.kpi_facts.dm3_sent is 'Leads whose DM 3 was sent that day.';
comment on column private.kpi_facts.dm3_replied is 'Of those, leads who answered DM 3.';
comment on column private.kpi_facts.dm4_sent is 'Leads whose DM 4 was sent that day.';
comment on column private.kpi_facts.dm4_replied is 'Of those, leads who answered DM 4.';
comment on column private.kpi_facts.cohort_qualified is 'Leads whose DM 1 was sent that day and who reached qualified (or later) since.';
comment on column private.kpi_facts.cohort_proposed is 'Leads whose DM 1 was sent that day and who reached call_proposed (or later) since.';
comment on column private.kpi_facts.cohort_booked is 'Leads whose DM 1 was sent that day and who reached call_booked (or later) since.';
comment on column private.kpi_facts.cohort_won is 'Leads whose DM 1 was sent that day and who were won since.';
comment on column private.kpi_facts.cohort_lost is 'Leads whose DM 1 was sent that day and who became lost since.';
comment on column private.kpi_facts.qualified is 'Leads that first reached qualified (or later) that day.';
comment on column private.kpi_facts.calls_proposed is 'Leads that first reached call_proposed (or later) that day.';
comment on column private.kpi_facts.calls_booked is 'Leads that first reached call_booked (or later) that day.';
comment on column private.kpi_facts.deals_won is 'Leads won for the first time that day.';
comment on column private.kpi_facts.revenue is 'Deal values of the leads won for the first time that day.';
comment on column private.kpi_facts.won_valued is 'Leads won for the first time that day that have a deal value.';
comment on column private.kpi_facts.lost is 'Leads that became lost for the first time that day.';
comment on column private.kpi_facts.lead_magnets is 'Lead magnets sent that day.';
comment on column private.kpi_facts.call_outcomes is 'Leads whose call was booked that day and whose call outcome is known.';
comment on column private.kpi_facts.no_shows is 'Of those, leads who did not show up.';
comment on column private.kpi_facts.conversion_slots is 'The conversions map packed in one whole number, ten digits per weekday-hour slot (private.kpi_pack_slots over private.kpi_conversion_slot_keys()), kept from conversions by the triggers kpi_facts_pack_slots_insert and _update: a range adds its rows'' numbers instead of merging their maps (private.kpi_range_sums).';
comment on column private.kpi_facts.speed_slots is 'The speed map''s 40 fixed buckets (private.kpi_speed_slot_keys(): 1 to 43200 minutes) packed in one whole number, ten digits per bucket (private.kpi_pack_slots), kept from speed by the triggers kpi_facts_pack_slots_insert and _update; the buckets beyond 30 days stay in speed only.';
comment on column private.kpi_facts.open_keys is 'Of a day, week or month row: the keys of its open entries, each prefixed by its map (c: the counts without a typed column, s: sources, p: professions, l: lost reasons, v: the speed buckets beyond 30 days), in the order of open_counts; kept by the triggers kpi_facts_open_entries_insert and _update (private.kpi_open_entries), so a range sums array elements instead of expanding every map of every row (private.kpi_range_sums). Empty in window rows.';
comment on column private.kpi_facts.open_counts is 'Of a day, week or month row: the numbers of its open entries, in the order of open_keys (the values of the maps, exact).';

create index kpi_facts_empty_idx on private.kpi_facts (coach_id) where ((grain = any (array['day'::text, 'week'::text, 'month'::text])) and (counts = '{}'::jsonb) and (sources = '{}'::jsonb) and (professions = '{}'::jsonb) and (lost_reasons = '{}'::jsonb) and (conversions = '{}'::jsonb) and (speed = '{}'::jsonb));
