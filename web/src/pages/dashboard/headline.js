// @ts-check
// The first screen: 4 to 6 tiles for the period (leads, DM 1 reply rate, calls booked, deals won, revenue, ROI),
// each with its change against the previous period and a sparkline of the period.
import { html } from 'htm/preact';
import { formatMoney } from '../../format.js';
import { Sparkline } from '../../charts.js';
import { Estimated, Later } from '../../ui.js';
import { BASES } from '../../labels.js';
import { Count, KpiCard, PeriodChange, RateValue, ReplyParts, useLabel } from './common.js';
import { useDashboard } from './context.js';
import { REVENUE_ESTIMATED, RevenueSource } from '../../revenue-source.js';

/**
 * The tiles in two tasks (three, then the other three: each half is a task short enough for a phone); `onShown` once
 * they are all there. @param {{ onShown?: () => void }} props
 */
export const Headline = ({ onShown }) => {
    const { doc } = useDashboard();
    const label = useLabel();
    const t = doc.trend;
    const a = doc.activity;
    const q = doc.qualification;
    const f = doc.performance;
    const dm1 = doc.reply_rates.find((r) => r.message_number === 1);
    const cur = doc.coach.currency;
    return html`<section aria-labelledby="headline-title" class="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6" data-testid="headline" data-base="events">
        <h2 id="headline-title" class="col-span-full -mb-1 text-sm font-normal text-white/80"><span class="sr-only">L’essentiel : </span><span
            data-base-caption>${BASES.events.charAt(0).toUpperCase()}${BASES.events.slice(1)}</span></h2>
        <${KpiCard} kpi="activity.new_leads" title="Nouveaux leads" class="!p-3 sm:!p-4"
            value=${html`<${Count} value=${a.new_leads.value} kpi="activity.new_leads" drill="activity.new_leads" label=${label('activity.new_leads', 'Nouveaux leads')} />`}
            change=${html`<${PeriodChange} kpi="activity.new_leads" metric=${a.new_leads} />`}>
            <${Sparkline} values=${t.new_leads} />
        <//>
        ${dm1 &&
        html`<${KpiCard} kpi="reply_rates.1" title="Réponse au 1er DM" class="!p-3 sm:!p-4"
            value=${html`<${RateValue} rate=${dm1.rate} kpi="reply_rates.1.value" />`}
            sub=${html`<${ReplyParts} n=${1} rate=${dm1.rate} />`}
            change=${html`<${PeriodChange} kpi="reply_rates.1" rate=${dm1.rate} />`}>
            <${Sparkline} values=${t.dm1_reply_rate} class="text-emerald-300" />
        <//>`}
        <${KpiCard} kpi="qualification.calls_booked" title="Calls réservés" class="!p-3 sm:!p-4"
            value=${html`<${Count} value=${q.calls_booked.value} kpi="qualification.calls_booked" drill="qualification.calls_booked" label=${label('qualification.calls_booked', 'Calls réservés')} />`}
            change=${html`<${PeriodChange} kpi="qualification.calls_booked" metric=${q.calls_booked} />`}>
            <${Sparkline} values=${t.calls_booked} class="text-amber-300" />
        <//>
        <${Later} onShown=${onShown}>
        <${KpiCard} kpi="performance.deals_closed" title="Deals conclus" class="!p-3 sm:!p-4"
            value=${html`<${Count} value=${f.deals_closed.value} kpi="performance.deals_closed" drill="performance.deals_closed" label=${label('performance.deals_closed', 'Deals conclus')} />`}
            change=${html`<${PeriodChange} kpi="performance.deals_closed" metric=${f.deals_closed} />`}>
            <${Sparkline} values=${t.deals_won} class="text-violet-300" />
        <//>
        <${KpiCard} kpi="performance.revenue" title="Chiffre d’affaires" class="!p-3 sm:!p-4"
            value=${html`<span data-kpi="performance.revenue">${formatMoney(f.revenue.value, cur)}</span>`}
            sub=${html`<${RevenueSource} performance=${f} currency=${cur} />`}
            change=${html`<${PeriodChange} kpi="performance.revenue" metric=${f.revenue} />`}>
            <${Sparkline} values=${t.revenue} class="text-emerald-300" />
        <//>
        <${KpiCard} kpi="performance.roi" title="ROI" class="!p-3 sm:!p-4"
            value=${html`<${RateValue} rate=${f.roi} kpi="performance.roi" />`}
            sub=${html`<span class="inline-flex flex-wrap items-center gap-1">
                ${formatMoney(f.roi.num, cur)} de gain net pour ${formatMoney(f.roi.den, cur)} investis
                ${f.setter_cost_estimated ? html`<${Estimated} title="Le coût du setter est la valeur par défaut : indiquez le vôtre dans les réglages" />`
                    : !f.payments_connected && html`<${Estimated} title=${REVENUE_ESTIMATED} />`}</span>`}
            change=${html`<${PeriodChange} kpi="performance.roi" rate=${f.roi} />`} />
        <//>
    </section>`;
};
