-- What and how a coach wants to be told: alert thresholds and the email digests.

create table private.coach_notification_settings (
    coach_id uuid not null,
    hot_lead_hours integer not null default 12,
    digest_weekly boolean not null default true,
    digest_daily boolean not null default false,
    updated_at timestamptz not null default now(),
    telegram_quiet_nights boolean not null default false,
    constraint coach_notification_settings_hot_lead_hours_range check (hot_lead_hours between 1 and 168),
    constraint coach_notification_settings_pkey primary key (coach_id),
    constraint coach_notification_settings_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

comment on table private.coach_notification_settings is
    'A coach''s notification settings, written by public.update_notification_settings (or the digest''s unsubscribe link) and read by public.get_notification_settings. A coach without a row has the defaults of the columns.';
comment on column private.coach_notification_settings.coach_id is 'The coach.';
comment on column private.coach_notification_settings.hot_lead_hours is 'The hot_leads alert: hours a qualified lead (or one proposed a call) may wait for the setter''s reply before the alert, 1 to 168 (default 12).';
comment on column private.coach_notification_settings.digest_weekly is 'Whether the weekly digest email is sent (Monday 8:00 in the coach''s time zone); the unsubscribe link turns it off.';
comment on column private.coach_notification_settings.digest_daily is 'Whether the daily digest email is sent too (every day at 8:00 in the coach''s time zone, about the day before); the unsubscribe link turns it off.';
comment on column private.coach_notification_settings.updated_at is 'Last change.';
comment on column private.coach_notification_settings.telegram_quiet_nights is 'Whether the hot-lead messages to Telegram wait for the morning: none is sent from 22:00 to 8:00 in the coach''s time zone (they go at 8:00); default false.';

create trigger coach_notification_settings_set_updated_at
    before update on private.coach_notification_settings
    for each row execute function private.set_updated_at();
