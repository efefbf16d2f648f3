// @ts-check
// 5. Pipeline & relances: where the leads are now (whatever the period), and what was lost in the period.
import { html } from 'htm/preact';
import { Filter, PhoneForwarded, Trophy, UserPlus, UserX } from 'lucide-preact';
import { formatNumber } from '../../format.js';
import { BASES, lostReasonLabel } from '../../labels.js';
import { Card, Section, Title } from '../../ui.js';
import { Count, KpiCard, PeriodChange, RankedList, RateValue } from './common.js';
import { useDashboard } from './context.js';

export const PipelineSection = () => {
    const { doc, defs } = useDashboard();
    const p = doc.pipeline;
    return html`<${Section} id="pipeline" title="Pipeline & relances" icon=${Filter}>
      <div class="space-y-3" data-base="now">
        <p class="text-sm text-white/80" data-base-caption>Où en sont vos leads ${BASES.now}.</p>
        <div class="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <${KpiCard} kpi="pipeline.new_leads" title="Nouveaux" icon=${UserPlus}
                value=${html`<span data-kpi="pipeline.new_leads">${formatNumber(p.new_leads)}</span>`}
                sub=${`${formatNumber(p.engaged_leads)} engagés · ${formatNumber(p.relance_leads)} en relance`} />
            <${KpiCard} kpi="pipeline.won_leads" title="Gagnés" icon=${Trophy} tone="text-emerald-300"
                value=${html`<span data-kpi="pipeline.won_leads">${formatNumber(p.won_leads)}</span>`} />
            <${KpiCard} kpi="pipeline.lost_leads" title="Perdus" icon=${UserX} tone="text-red-300"
                value=${html`<span data-kpi="pipeline.lost_leads">${formatNumber(p.lost_leads)}</span>`} />
            <${KpiCard} kpi="pipeline.leads_to_follow_up" title="À relancer" icon=${PhoneForwarded} tone="text-amber-300"
                value=${html`<span data-kpi="pipeline.leads_to_follow_up">${formatNumber(p.leads_to_follow_up)}</span>`}
                sub=${html`<${RateValue} rate=${p.follow_up_rate} kpi="pipeline.follow_up_rate" /> des leads ouverts`} />
        </div>
      </div>
        <div class="grid grid-cols-1 gap-3 lg:grid-cols-3">
            <${KpiCard} kpi="pipeline.lost_rate" title="Taux de perte"
                value=${html`<${RateValue} rate=${p.lost_rate} kpi="pipeline.lost_rate" />`}
                sub=${html`<${Count} value=${p.lost_in_period.value} kpi="pipeline.lost_in_period" drill="pipeline.lost_in_period"
                        label=${defs['pipeline.lost_in_period']?.label ?? 'Leads perdus sur la période'} /> perdus sur la période`}
                change=${html`<${PeriodChange} kpi="pipeline.lost_rate" rate=${p.lost_rate} />`} />
            <${Card} class="lg:col-span-2">
                <${Title} def=${defs['pipeline.lost_reasons']}>${defs['pipeline.lost_reasons']?.label ?? 'Raisons de perte'}<//>
                <${RankedList} items=${p.lost_reasons} kpi="pipeline.lost_reasons" label=${lostReasonLabel} drill what="Raison de perte"
                    empty="Aucune raison de perte renseignée." />
            <//>
        </div>
    <//>`;
};
