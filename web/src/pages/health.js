// @ts-check
// /health (public): what the health() RPC returns — database, materialized view age, cron jobs.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { HeartPulse } from 'lucide-preact';
import { supabase } from '../supabase.js';
import { Badge, CARD, Page } from '../ui.js';

/** @param {unknown} v @returns {string} */
const show = (v) => (v == null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function HealthPage() {
    const [state, setState] = useState(/** @type {{ data?: any, error?: string } | null} */ (null));
    useEffect(() => {
        supabase.rpc('health').then(({ data, error }) => setState(error ? { error: error.message } : { data }));
    }, []);
    const ok = state?.data && state.data.status !== 'error' && state.data.database_ok !== false && state.data.ok !== false;
    return html`<${Page} narrow>
        <main class=${`${CARD} mt-10 space-y-4 p-6`} data-testid="health">
            <h1 class="flex items-center gap-2 text-xl font-semibold"><${HeartPulse} size=${22} aria-hidden="true" />État du service
                ${state && html`<${Badge} color=${ok ? 'green' : 'red'} testid="health-status">${ok ? 'OK' : 'Erreur'}<//>`}</h1>
            ${!state && html`<p class="text-white/60">Vérification…</p>`}
            ${state?.error && html`<p role="alert" class="text-red-200">${state.error}</p>`}
            ${state?.data && typeof state.data === 'object' &&
            html`<dl class="divide-y divide-white/10 text-sm" data-testid="health-data">
                ${Object.entries(state.data).map(
                    ([k, v]) => html`<div key=${k} class="flex flex-wrap justify-between gap-2 py-2">
                        <dt class="text-white/60">${k}</dt><dd class="break-all font-mono text-xs">${show(v)}</dd></div>`,
                )}
            </dl>`}
        </main>
    <//>`;
}
