-- Alerts: what the upkeep keeps per coach to evaluate its alerts (when, and its message rhythm).

create table private.alert_coach_state (
    coach_id uuid not null,
    checked_at timestamptz not null,
    rhythm_day date,
    rhythm_timezone text,
    rhythm numeric[],
    constraint alert_coach_state_rhythm_week_hours check (rhythm is null or cardinality(rhythm) = 168),
    constraint alert_coach_state_pkey primary key (coach_id),
    constraint alert_coach_state_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

comment on table private.alert_coach_state is
    'Per coach: when the upkeep last evaluated its alerts and the rhythm of its messages that the no_data rule compares a silence with (recomputed once per local day of the last message).';
comment on column private.alert_coach_state.coach_id is 'The coach.';
comment on column private.alert_coach_state.checked_at is 'When its alerts were last evaluated; the upkeep evaluates a coach again after private.alert_recheck_seconds() even without new data (silences and waits grow with the clock).';
comment on column private.alert_coach_state.rhythm_day is 'The local day of the last message the rhythm was computed for: the rhythm covers the 4 local weeks (28 days) before it.';
comment on column private.alert_coach_state.rhythm_timezone is 'The time zone the rhythm was computed in (a change of the coach''s time zone computes it again).';
comment on column private.alert_coach_state.rhythm is 'Messages (in and out) per local weekday and hour (168 values, Monday 00h to Sunday 23h), averaged over those 4 weeks (private.alert_rhythm).';

create index alert_coach_state_checked_at_idx on private.alert_coach_state (checked_at);
