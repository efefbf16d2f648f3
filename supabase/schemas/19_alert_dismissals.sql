-- Alerts: what each coach dismissed, until it changes.

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
