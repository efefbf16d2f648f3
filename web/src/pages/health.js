// @ts-check
// /health (public): what the health() RPC returns — ok, database, age of the KPI view and of the upkeep's last pass — in
// French. ok is false when the upkeep's last pass is older than health()'s threshold (docs/troubleshooting.md).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { HeartPulse } from 'lucide-preact';
import { supabase } from '../supabase.js';
import { describe } from '../errors.js';
import { DASH, formatDateTime, formatNumber } from '../format.js';
import { Badge, CARD, Page } from '../ui.js';

/** Rows in this order; a key the page does not know comes last, as it is. */
const LABELS = /** @type {Record<string, string>} */ ({
    ok: 'Chiffres à jour',
    database: 'Base de données',
    checked_at: 'Vérifié le',
    kpi_upkeep_last_pass_at: 'Chiffres mis à jour le',
    kpi_upkeep_age_seconds: 'Âge des chiffres',
    dashboard_kpis_refreshed_at: 'Indicateurs recalculés le',
    dashboard_kpis_age_seconds: 'Âge des indicateurs',
});
const ORDER = Object.keys(LABELS);
const rank = (/** @type {string} */ k) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);

/** @param {string} key @param {unknown} v @returns {import('preact').ComponentChildren} */
const show = (key, v) => {
    if (key === 'ok') return v === true ? 'oui' : 'non, en retard';
    if (key === 'kpi_upkeep_last_pass_at' && v == null) return 'jamais';
    if (v == null) return DASH;
    if (key === 'database') return v === 'ok' ? 'disponible' : String(v);
    if (key.endsWith('_age_seconds')) return `${formatNumber(/** @type {number} */ (v))} s`;
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return formatDateTime(v);
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
};

export function HealthPage() {
    const [state, setState] = useState(/** @type {{ data?: any, error?: string } | null} */ (null));
    useEffect(() => {
        supabase.rpc('health').then(({ data, error, status }) =>
            setState(error ? { error: describe({ ...error, status }).message } : { data }));
    }, []);
    const ok = state?.data?.ok === true;
    const late = !ok && state?.data?.database === 'ok'; // the database answers, the upkeep is late
    return html`<${Page} narrow>
        <main id="main" tabindex="-1" class=${`${CARD} mt-10 space-y-4 p-6`} data-testid="health">
            <h1 class="flex items-center gap-2 text-xl font-semibold"><${HeartPulse} size=${22} aria-hidden="true" />État du service
                ${state && html`<${Badge} color=${ok ? 'green' : late ? 'yellow' : 'red'} testid="health-status">${
                    ok ? 'OK' : late ? 'En retard' : 'Erreur'}<//>`}</h1>
            ${!state && html`<p class="text-white/80">Vérification…</p>`}
            ${state?.error && html`<p role="alert" class="text-red-100">${state.error}</p>`}
            ${state?.data && typeof state.data === 'object' &&
            html`<dl class="divide-y divide-white/10 text-sm" data-testid="health-data">
                ${Object.entries(state.data).sort(([a], [b]) => rank(a) - rank(b)).map(
                    ([k, v]) => html`<div key=${k} class="flex flex-wrap justify-between gap-2 py-2" data-key=${k}>
                        <dt class="text-white/80">${LABELS[k] ?? k}</dt><dd class="break-words">${show(k, v)}</dd></div>`,
                )}
            </dl>`}
        </main>
    <//>`;
}
