// @ts-check
// The Telegram part of /settings (issue 21 §3): the coach connects a bot (token and chat id) for its hot leads; the
// telegram-connect edge function sends a test message first and saves them only when Telegram accepts it. Once
// connected: the chat, the last message sent, the last failure ("Dernier envoi échoué : …"), a revoked token, the
// quiet nights switch (update_notification_settings) and disconnecting (disconnect_telegram). The token is never
// shown again: the RPCs do not return it.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { FunctionsHttpError } from '@supabase/functions-js';
import { Send } from 'lucide-preact';
import { describe } from '../errors.js';
import { formatDateTime } from '../format.js';
import { disconnectTelegram, fetchNotificationSettings, saveNotificationSettings } from '../notifications-api.js';
import { supabase } from '../supabase.js';
import { BUTTON, CARD, GHOST_BUTTON, INPUT } from '../ui.js';

/** @typedef {import('../notifications-api.js').NotificationSettings} NotificationSettings */

/**
 * The function's answer as a French sentence, and the field it is about.
 * @param {number} status @param {any} body @returns {{ field?: 'bot_token' | 'chat_id', message: string }}
 */
export function connectMessage(status, body) {
    if (body?.error === 'invalid_payload' && body.field === 'bot_token') {
        return { field: 'bot_token', message: 'Ce jeton n’a pas la forme de ceux que donne @BotFather (des chiffres, deux-points, puis des lettres et des chiffres).' };
    }
    if (body?.error === 'invalid_payload' && body.field === 'chat_id') {
        return { field: 'chat_id', message: 'Indiquez l’identifiant du chat (des chiffres, précédés de « - » pour un groupe) ou le @nom d’un canal public.' };
    }
    if (body?.error === 'telegram_refused') {
        const code = body.telegram?.error_code;
        if (code === 401) return { field: 'bot_token', message: 'Telegram refuse ce jeton : vérifiez-le, ou demandez-en un nouveau à @BotFather.' };
        if (code === 400 && /chat not found/i.test(body.telegram?.description ?? '')) {
            return { field: 'chat_id', message: 'Telegram ne trouve pas ce chat : écrivez d’abord un message à votre bot, puis vérifiez l’identifiant.' };
        }
        if (code === 403) return { field: 'chat_id', message: 'Le bot ne peut pas écrire dans ce chat (il a été bloqué ou retiré du groupe).' };
        return { message: `Telegram a refusé le message de test : ${body.telegram?.description ?? 'raison inconnue'}.` };
    }
    if (body?.error === 'telegram_unreachable') return { message: 'Telegram ne répond pas pour le moment. Réessayez dans un instant.' };
    if (status === 401) return { message: 'Votre session a expiré : reconnectez-vous.' };
    if (status === 403) return { message: 'Seul un coach peut connecter un bot Telegram.' };
    return { message: 'La connexion à Telegram a échoué. Réessayez dans un instant.' };
}

/** @param {{ settings: NotificationSettings, onSaved: (s: NotificationSettings) => void, notify: (message: string) => void }} props */
export function TelegramSettingsCard({ settings, onSaved, notify }) {
    const tg = settings.telegram;
    const [token, setToken] = useState('');
    const [chat, setChat] = useState('');
    const [error, setError] = useState(/** @type {{ field?: string, message: string } | null} */ (null));
    const [busy, setBusy] = useState(false);
    const [editing, setEditing] = useState(false);
    // the switch shows the coach's choice while it is being saved (the saved value again if saving fails)
    const [quiet, setQuiet] = useState(/** @type {boolean | null} */ (null));
    const showForm = !tg || tg.revoked_at || editing;

    /** @param {Event} e */
    const connect = async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        const { error: err } = await supabase.functions.invoke('telegram-connect', { body: { bot_token: token.trim(), chat_id: chat.trim() } });
        if (err) {
            if (err instanceof FunctionsHttpError) {
                /** @type {Response} */
                const res = err.context;
                setError(connectMessage(res.status, await res.json().catch(() => null)));
            } else setError({ message: describe(err).message });
            setBusy(false);
            return;
        }
        setToken('');
        setChat('');
        setEditing(false);
        try {
            onSaved(await fetchNotificationSettings());
        } catch { /* the card shows the old state; the toast says it worked */ }
        setBusy(false);
        notify('Telegram connecté : un message de test a été envoyé.');
    };
    /** @param {() => Promise<NotificationSettings>} action @param {string} done */
    const run = async (action, done) => {
        setBusy(true);
        setError(null);
        try {
            onSaved(await action());
            notify(done);
        } catch (err) {
            setError({ message: describe(err).message });
        }
        setBusy(false);
    };

    const fieldProps = (/** @type {'bot_token' | 'chat_id'} */ k) => ({
        id: `f-${k}`, name: k, class: INPUT, autocomplete: 'off', spellcheck: false,
        'aria-invalid': error?.field === k ? 'true' : undefined,
        'aria-describedby': `h-${k}${error?.field === k ? ` e-${k}` : ''}`,
    });
    const fieldError = (/** @type {string} */ k) =>
        error?.field === k && html`<p id=${`e-${k}`} class="text-sm text-red-200" data-testid=${`error-${k}`}>${error.message}</p>`;

    return html`<section class=${`${CARD} mt-6 p-6`} aria-labelledby="telegram-title" data-testid="telegram-settings">
        <h2 id="telegram-title" class="mb-2 flex items-center gap-2 text-lg font-semibold"><${Send} size=${20} aria-hidden="true" />Leads chauds sur Telegram</h2>
        <p class="mb-4 text-sm text-white/80">Un message court dès qu’un lead devient qualifié ou réserve un call : son nom, son dernier message et le lien de son profil Instagram.</p>
        ${tg && html`<div class="mb-4 space-y-2 text-sm" data-testid="telegram-status">
            ${tg.revoked_at
                ? html`<p class="rounded-lg border border-red-400/40 bg-red-500/15 px-3 py-2 text-red-100" data-testid="telegram-revoked">
                    Telegram a révoqué le jeton de ce bot (le ${formatDateTime(tg.revoked_at)}) : plus aucun message n’est envoyé. Enregistrez un nouveau jeton ci-dessous.</p>`
                : html`<p>Connecté au chat <strong>${tg.chat_id}</strong> depuis le ${formatDateTime(tg.connected_at)}.</p>`}
            ${tg.last_sent_at && html`<p class="text-white/80">Dernier message envoyé le ${formatDateTime(tg.last_sent_at)}.</p>`}
            ${tg.last_error && !tg.revoked_at && html`<p class="rounded-lg border border-amber-300/40 bg-amber-400/15 px-3 py-2 text-amber-50" data-testid="telegram-last-error">
                Dernier envoi échoué : ${tg.last_error} (le ${formatDateTime(/** @type {string} */ (tg.last_error_at))}). Un nouvel essai est fait automatiquement.</p>`}
            <label class="flex items-start gap-3">
                <input type="checkbox" class="mt-0.5 h-4 w-4 accent-violet-400" name="telegram_quiet_nights" checked=${quiet ?? settings.telegram_quiet_nights} disabled=${busy}
                    onChange=${(/** @type {any} */ e) => {
                        const on = Boolean(e.currentTarget.checked);
                        setQuiet(on);
                        run(() => saveNotificationSettings({ telegram_quiet_nights: on }),
                            on ? 'Plus de message la nuit : ils partiront à 8 h.' : 'Les messages partent aussi la nuit.').finally(() => setQuiet(null));
                    }} />
                <span>Pas de message la nuit (de 22 h à 8 h) : ils partent à 8 h</span>
            </label>
            <div class="flex flex-wrap gap-3 pt-1">
                ${!showForm && html`<button type="button" class=${GHOST_BUTTON} onClick=${() => setEditing(true)}>Changer de bot</button>`}
                <button type="button" class=${GHOST_BUTTON} disabled=${busy} data-testid="telegram-disconnect"
                    onClick=${() => run(disconnectTelegram, 'Telegram déconnecté.')}>Déconnecter</button>
            </div>
        </div>`}
        ${showForm && html`<form class="space-y-4" onSubmit=${connect} noValidate data-testid="telegram-form">
            <div class="space-y-1">
                <label for="f-bot_token" class="block text-sm font-medium">Jeton du bot</label>
                <input ...${fieldProps('bot_token')} type="password" value=${token} onInput=${(/** @type {any} */ e) => setToken(e.currentTarget.value)} />
                <p id="h-bot_token" class="text-xs text-white/80">Créez un bot avec @BotFather sur Telegram (commande /newbot) et collez le jeton qu’il vous donne.</p>
                ${fieldError('bot_token')}
            </div>
            <div class="space-y-1">
                <label for="f-chat_id" class="block text-sm font-medium">Identifiant du chat</label>
                <input ...${fieldProps('chat_id')} inputmode="text" value=${chat} onInput=${(/** @type {any} */ e) => setChat(e.currentTarget.value)} />
                <p id="h-chat_id" class="text-xs text-white/80">Écrivez d’abord un message à votre bot. Votre identifiant (des chiffres) vous est donné par @userinfobot ; pour un canal public : @nom_du_canal.</p>
                ${fieldError('chat_id')}
            </div>
            ${error && !error.field && html`<p role="alert" class="rounded-lg border border-red-400/40 bg-red-500/15 px-3 py-2 text-sm text-red-100" data-testid="telegram-error">${error.message}</p>`}
            ${error?.field && html`<p role="alert" class="sr-only">Un champ est à corriger.</p>`}
            <button class=${`${BUTTON} w-full py-3`} type="submit" disabled=${busy} data-testid="telegram-connect">${busy ? 'Envoi du message de test…' : 'Connecter et envoyer un message de test'}</button>
        </form>`}
        ${!showForm && error && html`<p role="alert" class="mt-3 rounded-lg border border-red-400/40 bg-red-500/15 px-3 py-2 text-sm text-red-100">${error.message}</p>`}
    </section>`;
}
