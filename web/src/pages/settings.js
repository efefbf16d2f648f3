// @ts-check
// /settings (coaches): the parameters the data cannot give — the setter's monthly cost, the currency, the time
// zone, the minutes a human would spend per message, the default no-show rate. Read with get_coach_settings(),
// saved with update_coach_settings(), which checks every field: its 400 names the field, shown here in French.
import { html } from 'htm/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ArrowLeft, Settings } from 'lucide-preact';
import { fetchSettings, saveSettings } from '../api.js';
import { describe } from '../errors.js';
import { formatMoney } from '../format.js';
import { filterTimeZones, timeZoneLabel, timeZoneOptions } from '../timezones.js';
import { BUTTON, CARD, Estimated, GHOST_BUTTON, INPUT, Page, Skeleton, Toast } from '../ui.js';
import { LeadSearch } from '../search.js';
import { lazy } from 'preact-iso';
import { NotificationSettingsCard } from './notification-settings.js';
// the Calendly and Stripe card is loaded on demand: it stays out of the dashboard's first load
const WebhookSettings = lazy(() => import('./webhook-settings.js').then((m) => m.WebhookSettings));

/** @typedef {import('../api.js').CoachSettings} CoachSettings */
/** @typedef {'setter_monthly_cost' | 'currency' | 'timezone' | 'minutes_per_manual_message' | 'default_no_show_rate'} Field */

const CURRENCIES = ['EUR', 'CHF', 'CAD', 'USD', 'GBP', 'MAD', 'TND', 'DZD', 'XOF', 'XAF'];
const currencyName = (() => {
    try {
        const names = new Intl.DisplayNames(['fr'], { type: 'currency' });
        return (/** @type {string} */ code) => {
            const name = names.of(code) ?? code;
            return `${name.charAt(0).toUpperCase()}${name.slice(1)} (${code})`;
        };
    } catch {
        return (/** @type {string} */ code) => code;
    }
})();

/** A decimal typed the French way ("297,50") as the RPC reads it ("297.50"); anything else is sent as typed, for the RPC to refuse. @param {string} s */
const decimal = (s) => s.trim().replace(/\s/g, '').replace(',', '.');
/** 0.17 → "17". @param {number} rate */
const percentText = (rate) => String(Math.round(rate * 10000) / 100).replace('.', ',');
/** @param {number} n */
const numberText = (n) => String(n).replace('.', ',');

/** @param {CoachSettings} s */
const toForm = (s) => ({
    setter_monthly_cost: numberText(s.setter_monthly_cost),
    currency: s.currency,
    timezone: s.timezone,
    minutes_per_manual_message: numberText(s.minutes_per_manual_message),
    default_no_show_rate: percentText(s.default_no_show_rate),
});

const LABELS = /** @type {Record<Field, string>} */ ({
    setter_monthly_cost: 'Coût mensuel du setter',
    currency: 'Devise',
    timezone: 'Fuseau horaire',
    minutes_per_manual_message: 'Minutes par message envoyé à la main',
    default_no_show_rate: 'Taux de no-show par défaut (%)',
});
const HELP = /** @type {Record<Field, string>} */ ({
    setter_monthly_cost: 'Ce que vous coûte le setter IA chaque mois. Sert au ROI et au coût d’acquisition.',
    currency: 'La devise de vos ventes et de vos coûts.',
    timezone: 'Les jours, « aujourd’hui » et les heures du tableau de bord sont comptés dans ce fuseau.',
    minutes_per_manual_message: 'Le temps qu’un setter humain passerait par message : sert au « temps gagné ».',
    default_no_show_rate: 'Utilisé tant qu’aucune issue de call (présent ou absent) n’est connue.',
});

/** One field with its label, help and error. @param {{ k: Field, error?: string, unit?: string, children: import('preact').ComponentChildren }} props */
const Row = ({ k, error, unit, children }) =>
    html`<div class="space-y-1" data-field=${k}>
        <label for=${`f-${k}`} class="block text-sm font-medium text-white">${LABELS[k]}${unit ? ` (${unit})` : ''}</label>
        ${children}
        <p id=${`h-${k}`} class="text-xs text-white/80">${HELP[k]}</p>
        ${error && html`<p id=${`e-${k}`} class="text-sm text-red-200" data-testid=${`error-${k}`}>${error}</p>`}
    </div>`;

export function SettingsPage() {
    const [saved, setSaved] = useState(/** @type {CoachSettings | null} */ (null));
    const [form, setForm] = useState(/** @type {Record<Field, string> | null} */ (null));
    const [loadProblem, setLoadProblem] = useState(/** @type {import('../errors.js').Problem | null} */ (null));
    const [errors, setErrors] = useState(/** @type {Partial<Record<Field | 'form', string>>} */ ({}));
    const [busy, setBusy] = useState(false);
    const [toast, setToast] = useState(/** @type {string | null} */ (null));
    const zones = useMemo(() => timeZoneOptions(saved?.timezone), [saved?.timezone]);
    const [zoneQuery, setZoneQuery] = useState('');

    const load = async () => {
        setLoadProblem(null);
        try {
            const s = await fetchSettings(undefined);
            setSaved(s);
            setForm(toForm(s));
        } catch (e) {
            setLoadProblem(describe(e));
        }
    };
    useEffect(() => {
        load();
    }, []);

    const set = (/** @type {Field} */ k) => (/** @type {any} */ e) => form && setForm({ ...form, [k]: e.currentTarget.value });

    /** @param {Event} e */
    const submit = async (e) => {
        e.preventDefault();
        if (!form) return;
        /** @type {Partial<Record<Field | 'form', string>>} */
        const missing = {};
        for (const k of /** @type {Field[]} */ (Object.keys(LABELS))) if (!form[k].trim()) missing[k] = 'Ce champ est obligatoire.';
        if (Object.keys(missing).length) return setErrors(missing);
        const rate = decimal(form.default_no_show_rate);
        const payload = {
            setter_monthly_cost: decimal(form.setter_monthly_cost),
            currency: form.currency,
            timezone: form.timezone,
            minutes_per_manual_message: decimal(form.minutes_per_manual_message),
            // the form speaks percent, the RPC a fraction; a non-number goes as typed, for the RPC to name it
            default_no_show_rate: /^-?\d+(\.\d+)?$/.test(rate) ? Number(rate) / 100 : rate,
        };
        setBusy(true);
        setErrors({});
        try {
            const s = await saveSettings(/** @type {any} */ (payload));
            setSaved(s);
            setForm(toForm(s));
            setToast('Réglages enregistrés.');
        } catch (err) {
            const p = describe(err);
            setErrors(p.field && p.field in LABELS ? { [p.field]: p.message } : { form: p.message });
        }
        setBusy(false);
    };

    /** @param {Field} k */
    const aria = (k) => ({ id: `f-${k}`, name: k, 'aria-invalid': errors[k] ? 'true' : undefined, 'aria-describedby': `h-${k}${errors[k] ? ` e-${k}` : ''}` });

    return html`<${Page}>
        <header class="mb-6 flex flex-wrap items-center justify-between gap-3">
            <h1 class="flex items-center gap-2 text-2xl font-bold sm:text-3xl"><${Settings} size=${26} aria-hidden="true" />Réglages</h1>
            <div class="flex flex-wrap items-center gap-2">
                <${LeadSearch} />
                <a class=${GHOST_BUTTON} href="/dashboard"><${ArrowLeft} size=${16} aria-hidden="true" />Tableau de bord</a>
            </div>
        </header>
        <main id="main" tabindex="-1" class="mx-auto max-w-2xl">
            ${loadProblem
                ? html`<div class=${`${CARD} p-6 text-center`} role="alert" data-testid="settings-error"><p>${loadProblem.message}</p>
                      ${loadProblem.retry && html`<button type="button" class=${`${BUTTON} mt-4`} onClick=${load}>Réessayer</button>`}</div>`
                : !form || !saved
                  ? html`<${Skeleton} class="h-96" />`
                  : html`<form class=${`${CARD} space-y-5 p-6`} onSubmit=${submit} noValidate data-testid="settings-form">
                        ${saved.setter_cost_estimated &&
                        html`<p class="flex flex-wrap items-center gap-2 rounded-lg border border-violet-300/40 bg-violet-950 p-3 text-sm text-violet-100" data-testid="cost-estimated">
                            <${Estimated} /><span>${`Le coût du setter est la valeur par défaut (${formatMoney(saved.setter_monthly_cost, saved.currency)} par mois) : `
                                + 'le ROI et le coût d’acquisition restent des estimations tant que vous n’indiquez pas le vôtre.'}</span></p>`}
                        <${Row} k="setter_monthly_cost" error=${errors.setter_monthly_cost} unit=${`${form.currency} par mois`}>
                            <input class=${INPUT} ...${aria('setter_monthly_cost')} inputmode="decimal" autocomplete="off"
                                value=${form.setter_monthly_cost} onInput=${set('setter_monthly_cost')} />
                        <//>
                        <${Row} k="currency" error=${errors.currency}>
                            <select class=${INPUT} ...${aria('currency')} value=${form.currency} onChange=${set('currency')}>
                                ${[...new Set([form.currency, ...CURRENCIES])].map((c) => html`<option key=${c} value=${c} class="bg-slate-900">${currencyName(c)}</option>`)}
                            </select>
                        <//>
                        <${Row} k="timezone" error=${errors.timezone}>
                            <input class=${`${INPUT} mb-2`} type="search" placeholder="Rechercher une ville ou un pays (ex. Bruxelles, Réunion)"
                                aria-label="Rechercher un fuseau horaire" aria-controls="f-timezone" value=${zoneQuery} data-testid="timezone-search"
                                onInput=${(/** @type {any} */ e) => setZoneQuery(e.currentTarget.value)} />
                            <select class=${INPUT} ...${aria('timezone')} size=${6} value=${form.timezone} onChange=${set('timezone')}>
                                ${(() => {
                                    const shown = filterTimeZones(zones, zoneQuery, form.timezone);
                                    const group = (/** @type {boolean} */ fr) => shown.filter((o) => o.francophone === fr)
                                        .map((o) => html`<option key=${o.id} value=${o.id} class="bg-slate-900">${timeZoneLabel(o)}</option>`);
                                    return html`<optgroup label="Zones francophones" class="bg-slate-900">${group(true)}</optgroup>
                                        <optgroup label="Autres fuseaux" class="bg-slate-900">${group(false)}</optgroup>`;
                                })()}
                            </select>
                            <p class="text-xs text-white/80" data-testid="timezone-current">Fuseau choisi : ${
                                timeZoneLabel(zones.find((o) => o.id === form.timezone) ?? { id: form.timezone, city: form.timezone, where: '', offset: '', francophone: false, search: '' })}</p>
                        <//>
                        <${Row} k="minutes_per_manual_message" error=${errors.minutes_per_manual_message}>
                            <input class=${INPUT} ...${aria('minutes_per_manual_message')} inputmode="decimal" autocomplete="off"
                                value=${form.minutes_per_manual_message} onInput=${set('minutes_per_manual_message')} />
                        <//>
                        <${Row} k="default_no_show_rate" error=${errors.default_no_show_rate}>
                            <input class=${INPUT} ...${aria('default_no_show_rate')} inputmode="decimal" autocomplete="off"
                                value=${form.default_no_show_rate} onInput=${set('default_no_show_rate')} />
                        <//>
                        ${errors.form && html`<p role="alert" class="rounded-lg border border-red-400/40 bg-red-500/15 px-3 py-2 text-sm text-red-100" data-testid="settings-form-error">${errors.form}</p>`}
                        ${Object.keys(errors).some((k) => k !== 'form') && html`<p role="alert" class="sr-only">Un champ est à corriger.</p>`}
                        <button class=${`${BUTTON} w-full py-3`} type="submit" disabled=${busy}>${busy ? 'Enregistrement…' : 'Enregistrer'}</button>
                    </form>`}
            ${saved && html`<${WebhookSettings} saved=${saved} onSaved=${(/** @type {CoachSettings} */ s) => { setSaved(s); setToast('Secret enregistré.'); }} />`}
            <${NotificationSettingsCard} notify=${setToast} />
        </main>
        <${Toast} message=${toast} tone="success" onClose=${() => setToast(null)} />
    <//>`;
}
