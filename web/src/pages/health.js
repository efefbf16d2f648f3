// @ts-check
// /health (public): what the health() RPC returns — database, age of the KPI view, cron jobs — in French.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { HeartPulse } from 'lucide-preact';
import { supabase } from '../supabase.js';
import { describe } from '../errors.js';
import { DASH, formatDateTime, formatNumber } from '../format.js';
import { Badge, CARD, Page } from '../ui.js';

const LABELS = /** @type {Record<string, string>} */ ({
    database: 'Base de données',
    checked_at: 'Vérifié le',
    dashboard_kpis_refreshed_at: 'Indicateurs recalculés le',
    dashboard_kpis_age_seconds: 'Âge des indicateurs',
    cron_jobs: 'Tâches planifiées',
});
const JOB_STATUS = /** @type {Record<string, string>} */ ({ succeeded: 'réussie', failed: 'en échec', running: 'en cours', starting: 'au départ' });

/** @param {string} key @param {unknown} v @returns {import('preact').ComponentChildren} */
const show = (key, v) => {
    if (v == null) return DASH;
    if (key === 'database') return v === 'ok' ? 'disponible' : String(v);
    if (key === 'dashboard_kpis_age_seconds') return `${formatNumber(/** @type {number} */ (v))} s`;
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return formatDateTime(v);
    if (key === 'cron_jobs' && Array.isArray(v)) {
        const line = (/** @type {any} */ j) => ` : ${j.active ? 'active' : 'inactive'}, dernière exécution ${
            j.last_status ? JOB_STATUS[j.last_status] ?? j.last_status : 'aucune'}${j.last_end ? ` (${formatDateTime(j.last_end)})` : ''}`;
        return html`<ul class="space-y-1 text-right">${v.map((j) => html`<li key=${j.job}><span class="font-mono">${j.job}</span>${line(j)}</li>`)}</ul>`;
    }
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
};

export function HealthPage() {
    const [state, setState] = useState(/** @type {{ data?: any, error?: string } | null} */ (null));
    useEffect(() => {
        supabase.rpc('health').then(({ data, error, status }) =>
            setState(error ? { error: describe({ ...error, status }).message } : { data }));
    }, []);
    const ok = state?.data && state.data.status !== 'error' && state.data.database === 'ok';
    return html`<${Page} narrow>
        <main id="main" tabindex="-1" class=${`${CARD} mt-10 space-y-4 p-6`} data-testid="health">
            <h1 class="flex items-center gap-2 text-xl font-semibold"><${HeartPulse} size=${22} aria-hidden="true" />État du service
                ${state && html`<${Badge} color=${ok ? 'green' : 'red'} testid="health-status">${ok ? 'OK' : 'Erreur'}<//>`}</h1>
            ${!state && html`<p class="text-white/80">Vérification…</p>`}
            ${state?.error && html`<p role="alert" class="text-red-100">${state.error}</p>`}
            ${state?.data && typeof state.data === 'object' &&
            html`<dl class="divide-y divide-white/10 text-sm" data-testid="health-data">
                ${Object.entries(state.data).map(
                    ([k, v]) => html`<div key=${k} class="flex flex-wrap justify-between gap-2 py-2" data-key=${k}>
                        <dt class="text-white/80">${LABELS[k] ?? k}</dt><dd class="break-words">${show(k, v)}</dd></div>`,
                )}
            </dl>`}
        </main>
    <//>`;
}
