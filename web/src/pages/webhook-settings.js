// @ts-check
// The settings' "Calendly et Stripe" card: the webhook URL of each provider to paste in its dashboard (one per coach,
// /functions/v1/<name>/<coach_id>), and a field for its signing secret, saved with update_coach_settings
// (stripe_webhook_secret, calendly_signing_key). Secrets are write-only: get_coach_settings only says whether each is
// set. docs/integrations.md says where to find them.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { Copy, PlugZap } from 'lucide-preact';
import { saveSettings } from '../api.js';
import { describe } from '../errors.js';
import { SUPABASE_URL } from '../supabase.js';
import { BUTTON, CARD, GHOST_BUTTON, INPUT } from '../ui.js';

/** @typedef {import('../api.js').CoachSettings & { stripe_webhook_secret_set?: boolean, calendly_signing_key_set?: boolean }} Settings */

/** The URL a provider posts a coach's events to. @param {'stripe-webhook' | 'calendly-webhook'} name @param {string} coachId */
export const webhookUrl = (name, coachId) => `${SUPABASE_URL}/functions/v1/${name}/${coachId}`;

const PROVIDERS = /** @type {const} */ ([
    { name: 'stripe-webhook', key: 'stripe_webhook_secret', title: 'Stripe', secret: 'Secret de signature (whsec_…)',
      help: 'Stripe → Développeurs → Webhooks → Ajouter une destination : collez l’URL, choisissez checkout.session.completed, payment_intent.succeeded et charge.refunded, puis copiez le secret de signature.' },
    { name: 'calendly-webhook', key: 'calendly_signing_key', title: 'Calendly', secret: 'Clé de signature',
      help: 'Créez un abonnement webhook Calendly avec cette URL (invitee.created, invitee.canceled, invitee_no_show.created et .deleted) et une clé de signature, puis collez la clé ici.' },
]);

/** @param {{ saved: Settings, onSaved: (s: Settings) => void }} props */
export function WebhookSettings({ saved, onSaved }) {
    const [values, setValues] = useState(/** @type {Record<string, string>} */ ({}));
    const [errors, setErrors] = useState(/** @type {Record<string, string>} */ ({}));
    const [busy, setBusy] = useState('');
    const [copied, setCopied] = useState('');
    const save = async (/** @type {string} */ key) => {
        setBusy(key);
        setErrors({});
        try {
            onSaved(/** @type {Settings} */ (await saveSettings(/** @type {any} */ ({ [key]: values[key] ?? '' }))));
            setValues({ ...values, [key]: '' });
        } catch (e) {
            setErrors({ [key]: describe(e).message });
        }
        setBusy('');
    };
    const copy = async (/** @type {string} */ url) => {
        try {
            await navigator.clipboard.writeText(url);
            setCopied(url);
        } catch {
            setCopied('');
        }
    };
    return html`<section class=${`${CARD} mt-6 space-y-6 p-6`} aria-labelledby="webhooks-title" data-testid="webhook-settings">
        <div>
            <h2 id="webhooks-title" class="flex items-center gap-2 text-xl font-semibold"><${PlugZap} size=${20} aria-hidden="true" />Calendly et Stripe</h2>
            <p class="mt-1 text-sm text-white/80">Vos rendez-vous et paiements s’enregistrent tout seuls : collez l’adresse dans Calendly ou Stripe, puis le secret ici.
                Un événement qui ne trouve pas son lead apparaît « à rattacher » sur la fiche des leads.</p>
        </div>
        ${PROVIDERS.map((p) => {
            const url = webhookUrl(p.name, saved.coach_id);
            const isSet = !!saved[`${p.key}_set`];
            return html`<div key=${p.key} class="space-y-2" data-provider=${p.name}>
                <h3 class="font-semibold">${p.title} <span class=${`ml-1 text-sm font-normal ${isSet ? 'text-emerald-200' : 'text-amber-200'}`} data-testid=${`${p.key}-state`}>
                    ${isSet ? '· secret enregistré' : '· pas encore connecté'}</span></h3>
                <p class="text-sm text-white/80">${p.help}</p>
                <div class="flex flex-wrap items-center gap-2">
                    <code class="min-w-0 flex-1 break-all rounded-lg bg-black/30 px-3 py-2 text-xs" data-testid=${`${p.name}-url`}>${url}</code>
                    <button type="button" class=${GHOST_BUTTON} onClick=${() => copy(url)} aria-label=${`Copier l’adresse ${p.title}`}>
                        <${Copy} size=${14} aria-hidden="true" />${copied === url ? 'Copié' : 'Copier'}</button>
                </div>
                <form class="flex flex-wrap items-end gap-2" onSubmit=${(/** @type {Event} */ e) => { e.preventDefault(); save(p.key); }} noValidate>
                    <div class="min-w-0 flex-1">
                        <label for=${`f-${p.key}`} class="mb-1 block text-sm font-medium">${p.secret}</label>
                        <input id=${`f-${p.key}`} type="password" class=${INPUT} autocomplete="off" value=${values[p.key] ?? ''}
                            placeholder=${isSet ? 'Laisser vide pour garder le secret enregistré' : ''}
                            aria-invalid=${errors[p.key] ? 'true' : undefined} aria-describedby=${errors[p.key] ? `e-${p.key}` : undefined}
                            onInput=${(/** @type {InputEvent} */ e) => setValues({ ...values, [p.key]: /** @type {HTMLInputElement} */ (e.currentTarget).value })} />
                    </div>
                    <button type="submit" class=${BUTTON} disabled=${busy === p.key || !(values[p.key] ?? '').trim()} data-testid=${`${p.key}-save`}>
                        ${busy === p.key ? 'Enregistrement…' : 'Enregistrer'}</button>
                    ${errors[p.key] && html`<p id=${`e-${p.key}`} role="alert" class="w-full text-sm text-red-200">${errors[p.key]}</p>`}
                </form>
            </div>`;
        })}
    </section>`;
}
