// @ts-check
// Where a period's revenue comes from (performance.revenue_sources: Stripe's payments, the coach's deal values, the
// setter's), and the "estimé" mark while no Stripe payment is connected (performance.payments_connected).
import { html } from 'htm/preact';
import { formatMoney } from './format.js';
import { Estimated } from './ui.js';

export const REVENUE_ESTIMATED = 'Chiffre d’affaires d’après les valeurs saisies (vous ou le setter) : connectez Stripe dans les réglages pour les paiements réels';

/** @param {{ performance: import('./dashboard-types').PeriodDashboard['performance'], currency: string }} props */
export const RevenueSource = ({ performance: p, currency }) => {
    const s = p.revenue_sources;
    if (!s) return null;
    const parts = /** @type {[string, number][]} */ ([['Stripe', s.stripe], ['vous', s.coach], ['setter', s.setter]]).filter(([, n]) => n);
    return html`<span class="inline-flex flex-wrap items-center gap-1" data-testid="revenue-sources">
        ${parts.length > 0 && html`<span>${parts.map(([who, n]) => `${who} ${formatMoney(n, currency)}`).join(' · ')}</span>`}
        ${!p.payments_connected && html`<${Estimated} title=${REVENUE_ESTIMATED} />`}
    </span>`;
};
