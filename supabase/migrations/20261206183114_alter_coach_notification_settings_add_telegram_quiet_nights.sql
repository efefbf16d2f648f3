-- Purpose: a coach's setting that holds the hot-lead messages to Telegram from 22:00 to 8:00 (coach_notification_settings.telegram_quiet_nights).

set lock_timeout = '500ms';

alter table private.coach_notification_settings add column telegram_quiet_nights boolean not null default false;

comment on column private.coach_notification_settings.telegram_quiet_nights is 'Whether the hot-lead messages to Telegram wait for the morning: none is sent from 22:00 to 8:00 in the coach''s time zone (they go at 8:00); default false.';
