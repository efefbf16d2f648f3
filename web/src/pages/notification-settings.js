// @ts-check
// The notifications part of /settings (issue 21): after how many hours a hot lead waiting for an answer raises an
// alert, and the digest emails (weekly on Mondays at 8:00, daily as an option; the link at the bottom of each email
// turns both off). Read with get_notification_settings(), saved with update_notification_settings(), whose 400 names
// the field (shown here in French). The Telegram card (telegram-settings.js) follows it once the settings are read.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Bell } from 'lucide-preact';
import { describe } from '../errors.js';
import { fetchNotificationSettings, saveNotificationSettings } from '../notifications-api.js';
import { BUTTON, CARD, INPUT, Skeleton } from '../ui.js';
import { onDemand } from '../on-demand.js';

// the Telegram card is a chunk of its own, loaded when the settings are shown (outside the first load's budget)
const TelegramSettingsCard = onDemand(() => import('./telegram-settings.js').then((m) => m.TelegramSettingsCard),
    () => html`<${Skeleton} class="mt-6 h-40" />`);

/** @typedef {import('../notifications-api.js').NotificationSettings} NotificationSettings */

const FIELD_ERRORS = /** @type {Record<string, string>} */ ({
    hot_lead_hours: 'Indiquez un nombre entier d’heures entre 1 et 168 (une semaine).',
    digest_weekly: 'Cochez ou décochez la case.',
    digest_daily: 'Cochez ou décochez la case.',
});

/** @param {{ notify: (message: string) => void }} props */
export function NotificationSettingsCard({ notify }) {
    const [saved, setSaved] = useState(/** @type {NotificationSettings | null} */ (null));
    const [hours, setHours] = useState('');
    const [weekly, setWeekly] = useState(true);
    const [daily, setDaily] = useState(false);
    const [problem, setProblem] = useState('');
    const [error, setError] = useState(/** @type {{ field?: string, message: string } | null} */ (null));
    const [busy, setBusy] = useState(false);

    /** @param {NotificationSettings} s */
    const show = (s) => {
        setSaved(s);
        setHours(String(s.hot_lead_hours));
        setWeekly(s.digest_weekly);
        setDaily(s.digest_daily);
    };
    const load = () => {
        setProblem('');
        fetchNotificationSettings().then(show, (e) => setProblem(describe(e).message));
    };
    useEffect(load, []);

    /** @param {Event} e */
    const submit = async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
            // the hours go as typed: the RPC checks them and names the field
            show(await saveNotificationSettings({ hot_lead_hours: /** @type {any} */ (hours.trim() || null), digest_weekly: weekly, digest_daily: daily }));
            notify('Notifications enregistrées.');
        } catch (err) {
            const p = describe(err);
            setError({ field: p.field, message: (p.field && FIELD_ERRORS[p.field]) || p.message });
        }
        setBusy(false);
    };

    const hoursError = error?.field === 'hot_lead_hours';
    return html`<section class=${`${CARD} mt-6 p-6`} aria-labelledby="notifications-title" data-testid="notification-settings">
        <h2 id="notifications-title" class="mb-4 flex items-center gap-2 text-lg font-semibold"><${Bell} size=${20} aria-hidden="true" />Alertes et emails</h2>
        ${problem
            ? html`<div role="alert"><p>${problem}</p><button type="button" class=${`${BUTTON} mt-3`} onClick=${load}>Réessayer</button></div>`
            : !saved
              ? html`<${Skeleton} class="h-48" />`
              : html`<form class="space-y-5" onSubmit=${submit} noValidate>
                    <div class="space-y-1">
                        <label for="f-hot_lead_hours" class="block text-sm font-medium">Alerte « lead chaud en attente » après (heures)</label>
                        <input id="f-hot_lead_hours" name="hot_lead_hours" class=${INPUT} inputmode="numeric" autocomplete="off" value=${hours}
                            onInput=${(/** @type {any} */ e) => setHours(e.currentTarget.value)}
                            aria-invalid=${hoursError ? 'true' : undefined} aria-describedby=${`h-hot_lead_hours${hoursError ? ' e-hot_lead_hours' : ''}`} />
                        <p id="h-hot_lead_hours" class="text-xs text-white/80">Un lead qualifié, ou à qui un call a été proposé, qui attend votre réponse depuis plus longtemps apparaît en haut du tableau de bord.</p>
                        ${hoursError && html`<p id="e-hot_lead_hours" class="text-sm text-red-200" data-testid="error-hot_lead_hours">${error?.message}</p>`}
                    </div>
                    <fieldset class="space-y-3">
                        <legend class="text-sm font-medium">Résumés par email</legend>
                        <label class="flex items-start gap-3 text-sm">
                            <input type="checkbox" class="mt-0.5 h-4 w-4 accent-violet-400" name="digest_weekly" checked=${weekly}
                                onChange=${(/** @type {any} */ e) => setWeekly(e.currentTarget.checked)} />
                            <span>Résumé de la semaine, chaque lundi à 8 h (vos chiffres, les leads à relancer, les alertes)</span>
                        </label>
                        <label class="flex items-start gap-3 text-sm">
                            <input type="checkbox" class="mt-0.5 h-4 w-4 accent-violet-400" name="digest_daily" checked=${daily}
                                onChange=${(/** @type {any} */ e) => setDaily(e.currentTarget.checked)} />
                            <span>Résumé de la veille, chaque matin à 8 h</span>
                        </label>
                    </fieldset>
                    ${error && !hoursError && html`<p role="alert" class="rounded-lg border border-red-400/40 bg-red-500/15 px-3 py-2 text-sm text-red-100">${error.message}</p>`}
                    ${hoursError && html`<p role="alert" class="sr-only">Un champ est à corriger.</p>`}
                    <button class=${`${BUTTON} w-full py-3`} type="submit" disabled=${busy} data-testid="save-notifications">${busy ? 'Enregistrement…' : 'Enregistrer les notifications'}</button>
                </form>`}
    </section>
    ${saved && html`<${TelegramSettingsCard} settings=${saved} onSaved=${setSaved} notify=${notify} />`}`;
}
