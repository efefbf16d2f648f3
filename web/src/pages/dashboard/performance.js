// @ts-check
// 6. Performance & ROI (revenue, deals and ROI are on the first screen): costs, averages, efficiency, time saved,
// best moment, speed to lead and the quality of the leads of each source.
import { html } from 'htm/preact';
import { BarChart3, Clock, Coins, Rocket, Target, Timer, Trophy, Zap } from 'lucide-preact';
import { DASH, formatMinutes, formatMoment, formatMoney, formatNumber, formatRate } from '../../format.js';
import { BASES, sourceLabel } from '../../labels.js';
import { Card, Estimated, Section, Title } from '../../ui.js';
import { Count, KpiCard, LowSample, PeriodChange, RateValue, parts } from './common.js';
import { useDashboard } from './context.js';

const COST_ESTIMATED = 'Le coût du setter est la valeur par défaut : indiquez le vôtre dans les réglages';

const SourceTable = () => {
    const { doc, defs } = useDashboard();
    const rows = doc.performance.lead_quality_by_source;
    const cur = doc.coach.currency;
    const th = 'py-2 pr-3 text-right font-medium';
    // one table; on a phone each source is a block of labelled figures (no horizontal scroll)
    const cell = (/** @type {string} */ label, /** @type {import('preact').ComponentChildren} */ v) =>
        html`<td class="flex justify-between gap-2 py-0.5 sm:table-cell sm:py-2 sm:pr-3 sm:text-right"><span class="text-white/80 sm:hidden">${label}</span><span>${v}</span></td>`;
    return html`<${Card}>
      <div data-base="new_leads">
        <${Title} def=${defs['performance.lead_quality_by_source']}>${defs['performance.lead_quality_by_source']?.label ?? 'Qualité des leads par source'}<//>
        <p class="-mt-2 mb-3 text-xs text-white/70" data-base-caption>${BASES.new_leads.charAt(0).toUpperCase()}${BASES.new_leads.slice(1)}</p>
        ${rows.length === 0
            ? html`<p class="text-sm text-white/80">Aucune source renseignée.</p>`
            : html`<table class="block w-full text-sm sm:table" data-list="performance.lead_quality_by_source">
                  <thead class="hidden text-left text-white/80 sm:table-header-group">
                      <tr><th scope="col" class="py-2 pr-3 font-medium">Source</th><th scope="col" class=${th}>Leads</th>
                          <th scope="col" class=${th}>Qualifiés</th><th scope="col" class=${th}>Calls réservés</th>
                          <th scope="col" class=${th}>Gagnés</th><th scope="col" class=${th}>Chiffre d’affaires</th></tr>
                  </thead>
                  <tbody class="block divide-y divide-white/10 tabular-nums sm:table-row-group">
                      ${rows.map(
                          (s) => html`<tr key=${s.source} data-row=${s.source} class="block py-2 sm:table-row sm:py-0">
                              <th scope="row" class="block py-1 text-left font-semibold sm:table-cell sm:py-2 sm:pr-3">${sourceLabel(s.source)}</th>
                              ${cell('Leads', html`<${Count} value=${s.leads} kpi=${`performance.lead_quality_by_source:${s.source}`}
                                  drill=${`performance.lead_quality_by_source:${s.source}`} label=${`Source : ${sourceLabel(s.source)}`} />`)}
                              ${cell('Qualifiés', html`${formatNumber(s.qualified)} <span class="text-white/80">(${formatRate(s.qualification_rate)})</span>`)}
                              ${cell('Calls réservés', html`${formatNumber(s.calls_booked)} <span class="text-white/80">(${formatRate(s.booking_rate)})</span>`)}
                              ${cell('Gagnés', html`${formatNumber(s.won)} <span class="text-white/80">(${formatRate(s.win_rate)})</span>`)}
                              ${cell('Chiffre d’affaires', formatMoney(s.revenue, cur))}
                          </tr>`,
                      )}
                  </tbody>
              </table>`}
      </div>
    <//>`;
};

export const PerformanceSection = () => {
    const { doc } = useDashboard();
    const p = doc.performance;
    const cur = doc.coach.currency;
    const moment = p.best_conversion_moment;
    const speed = p.speed_to_lead;
    return html`<${Section} id="performance" title="Performance & ROI" icon=${BarChart3}>
        <div class="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <${KpiCard} kpi="performance.average_deal_value" title="Panier moyen" icon=${Trophy} tone="text-amber-300"
                value=${html`<span data-kpi="performance.average_deal_value">${formatMoney(p.average_deal_value.value, cur)}</span>`}
                change=${html`<${PeriodChange} kpi="performance.average_deal_value" metric=${p.average_deal_value} />`} />
            <${KpiCard} kpi="performance.setter_cost" title="Coût du setter" icon=${Coins} tone="text-red-300"
                value=${html`<span data-kpi="performance.setter_cost">${formatMoney(p.setter_cost, cur)}</span>`}
                sub=${html`<span class="inline-flex flex-wrap items-center gap-1">sur la période ${p.setter_cost_estimated
                    && html`<${Estimated} title=${COST_ESTIMATED} />`}</span>`} />
            <${KpiCard} kpi="performance.acquisition_cost" title="Coût d’acquisition" icon=${Target} tone="text-violet-300"
                value=${html`<span data-kpi="performance.acquisition_cost">${formatMoney(p.acquisition_cost.value, cur)}</span>`}
                sub=${html`<span class="inline-flex flex-wrap items-center gap-1">par deal gagné ${p.setter_cost_estimated
                    && html`<${Estimated} title=${COST_ESTIMATED} />`}</span>`}
                change=${html`<${PeriodChange} kpi="performance.acquisition_cost" metric=${p.acquisition_cost} />`} />
            <${KpiCard} kpi="performance.ai_efficiency" title="Efficacité de l’IA" icon=${Zap}
                value=${html`<${RateValue} rate=${p.ai_efficiency} kpi="performance.ai_efficiency" />`}
                sub=${`${parts(p.ai_efficiency)} messages reçus`}
                change=${html`<${PeriodChange} kpi="performance.ai_efficiency" rate=${p.ai_efficiency} />`} />
            <${KpiCard} kpi="performance.time_saved" title="Temps gagné" icon=${Clock} tone="text-emerald-300"
                value=${html`<span data-kpi="performance.time_saved">${formatNumber(p.time_saved.hours, 1)} h</span>`}
                sub=${html`<span class="inline-flex flex-wrap items-center gap-1" data-testid="time-saved-parts"><span><span
                    data-kpi="performance.time_saved.messages">${formatNumber(p.time_saved.messages)}</span>${
                    ` messages × ${formatNumber(p.time_saved.minutes_per_message, 1)} min`}</span>${p.time_saved.estimated && html`<${Estimated} />`}</span>`} />
            <${KpiCard} kpi="performance.best_conversion_moment" title="Meilleur moment" icon=${Rocket}
                value=${!moment ? html`<span data-kpi="performance.best_conversion_moment">${DASH}</span>`
                    : moment.low_sample ? html`<${LowSample} kpi="performance.best_conversion_moment" />`
                    : html`<span class="text-xl sm:text-2xl" data-kpi="performance.best_conversion_moment">${formatMoment(moment.weekday, moment.hour)}</span>`}
                sub=${moment ? `${formatNumber(moment.count)} calls ou ventes à ce moment` : 'pas encore de call ni de vente'} />
            <${KpiCard} kpi="performance.speed_to_lead" title="Délai de réponse" icon=${Timer}
                value=${speed.low_sample ? html`<${LowSample} kpi="performance.speed_to_lead" />`
                    : html`<span data-kpi="performance.speed_to_lead">${formatMinutes(speed.median_minutes)}</span>`}
                sub=${speed.low_sample ? `${formatNumber(speed.sample)} réponses`
                    : `médiane · 90 % en moins de ${formatMinutes(speed.p90_minutes)} · ${formatNumber(speed.sample)} réponses`} />
        </div>
        <${SourceTable} />
    <//>`;
};
