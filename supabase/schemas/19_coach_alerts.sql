-- Alerts: the active alerts of each coach, kept by the upkeep.

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
