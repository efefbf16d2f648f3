-- Purpose: the tables of the alerts (issue 21): the active alerts of each coach, the state the upkeep keeps to evaluate them (message rhythm), and the coaches' dismissals.

set lock_timeout = '500ms';

create table private.coach_alerts (
    coach_id uuid not null,
    key text not null,
    severity text not null,
    message text not null,
    numbers jsonb not null default '{}'::jsonb,
    link text not null,
    fingerprint text not null,
    raised_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint coach_alerts_key_valid check (key in ('no_data', 'reply_rate_drop', 'hot_leads', 'calls_today')),
    constraint coach_alerts_severity_valid check (severity in ('critical', 'warning', 'info')),
    constraint coach_alerts_pkey primary key (coach_id, key),
    constraint coach_alerts_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

comment on table private.coach_alerts is
    'The active alerts of each coach, one row per coach and rule, kept by the upkeep (private.alert_upkeep): a row exists while its rule holds and is deleted when it clears. Read through public.get_alerts and public.list_no_data_alerts.';
comment on column private.coach_alerts.coach_id is 'The coach.';
comment on column private.coach_alerts.key is 'The rule: no_data, reply_rate_drop, hot_leads or calls_today (docs/kpis.md, "Alerts").';
comment on column private.coach_alerts.severity is 'critical, warning or info; the page shows the most severe first.';
comment on column private.coach_alerts.message is 'The alert in French, as the page and the digest show it.';
comment on column private.coach_alerts.numbers is 'The numbers behind the alert (JSON object; its keys depend on the rule).';
comment on column private.coach_alerts.link is 'Where the coach acts: a path of the dashboard (/dashboard…) or an https URL (the lead''s Instagram conversation, ManyChat).';
comment on column private.coach_alerts.fingerprint is 'What the alert is about (e.g. the time of the last message, the waiting leads): a dismissal hides the alert while its fingerprint is unchanged.';
comment on column private.coach_alerts.raised_at is 'When the alert was raised with its current fingerprint.';
comment on column private.coach_alerts.updated_at is 'When the upkeep last wrote the row (message and numbers follow the clock).';

create table private.alert_coach_state (
    coach_id uuid not null,
    checked_at timestamptz not null,
    rhythm_day date,
    rhythm_timezone text,
    rhythm numeric[],
    constraint alert_coach_state_rhythm_hours check (rhythm is null or cardinality(rhythm) = 24),
    constraint alert_coach_state_pkey primary key (coach_id),
    constraint alert_coach_state_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

comment on table private.alert_coach_state is
    'Per coach: when the upkeep last evaluated its alerts and the rhythm of its messages that the no_data rule compares a silence with (recomputed once per local day of the last message).';
comment on column private.alert_coach_state.coach_id is 'The coach.';
comment on column private.alert_coach_state.checked_at is 'When its alerts were last evaluated; the upkeep evaluates a coach again after private.alert_recheck_seconds() even without new data (silences and waits grow with the clock).';
comment on column private.alert_coach_state.rhythm_day is 'The local day of the last message the rhythm was computed for: the rhythm covers the 14 local days before it.';
comment on column private.alert_coach_state.rhythm_timezone is 'The time zone the rhythm was computed in (a change of the coach''s time zone computes it again).';
comment on column private.alert_coach_state.rhythm is 'Messages (in and out) per local hour of the day, 0 to 23, averaged over those 14 days (private.alert_rhythm).';

create index alert_coach_state_checked_at_idx on private.alert_coach_state (checked_at);

create table private.alert_dismissals (
    coach_id uuid not null,
    key text not null,
    fingerprint text not null,
    dismissed_at timestamptz not null default now(),
    constraint alert_dismissals_pkey primary key (coach_id, key),
    constraint alert_dismissals_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

comment on table private.alert_dismissals is
    'The alert a coach dismissed last, per rule (public.dismiss_alert): the alert stays hidden while its fingerprint is the one dismissed, and shows again when it changes.';
comment on column private.alert_dismissals.coach_id is 'The coach who dismissed it.';
comment on column private.alert_dismissals.key is 'The rule of the dismissed alert.';
comment on column private.alert_dismissals.fingerprint is 'The fingerprint of the alert as the coach saw it.';
comment on column private.alert_dismissals.dismissed_at is 'When it was dismissed.';
