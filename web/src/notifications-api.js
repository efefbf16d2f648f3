// @ts-check
// The RPCs of alerts and notifications (issue 21): a coach's active alerts, dismissing one, the admin's list of
// coaches whose data stopped arriving, and the notification settings. SQL computes the alerts and writes their
// French messages; the page shows them.
import { call } from './api.js';

/**
 * @typedef {'no_data' | 'reply_rate_drop' | 'hot_leads' | 'calls_today'} AlertKey
 * @typedef {{ key: AlertKey, severity: 'critical' | 'warning' | 'info', message: string, numbers: Record<string, any>,
 *   link: string, fingerprint: string, raised_at: string, updated_at: string }} Alert
 * @typedef {{ coach_id: string, name: string, email: string, timezone: string, last_message_at: string,
 *   message: string, numbers: Record<string, any>, raised_at: string }} NoDataAlert
 * @typedef {{ chat_id: string, connected_at: string, revoked_at: string | null, last_sent_at: string | null,
 *   last_error: string | null, last_error_at: string | null }} TelegramState
 * @typedef {{ coach_id: string, hot_lead_hours: number, digest_weekly: boolean, digest_daily: boolean,
 *   telegram_quiet_nights: boolean, telegram: TelegramState | null, updated_at: string | null }} NotificationSettings
 */

/** get_alerts(coach_id): most severe first, without those the coach dismissed. @param {string | undefined} coachId @returns {Promise<Alert[]>} */
export const fetchAlerts = (coachId) => call('get_alerts', coachId ? { coach_id: coachId } : {});

/** dismiss_alert: hidden until its fingerprint changes. @param {AlertKey} key @param {string} fingerprint @returns {Promise<boolean>} */
export const dismissAlert = (key, fingerprint) => call('dismiss_alert', { alert_key: key, fingerprint });

/** list_no_data_alerts() (admins). @returns {Promise<NoDataAlert[]>} */
export const fetchNoDataAlerts = () => call('list_no_data_alerts');

/** @returns {Promise<NotificationSettings>} */
export const fetchNotificationSettings = () => call('get_notification_settings');

/** @param {Partial<Omit<NotificationSettings, 'coach_id' | 'updated_at' | 'telegram'>>} settings @returns {Promise<NotificationSettings>} */
export const saveNotificationSettings = (settings) => call('update_notification_settings', { settings });

/** disconnect_telegram(): the bot's token and chat deleted; the settings back. @returns {Promise<NotificationSettings>} */
export const disconnectTelegram = () => call('disconnect_telegram');
