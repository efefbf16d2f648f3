// @ts-check
// 4. Démographie.
import { html } from 'htm/preact';
import { Users } from 'lucide-preact';
import { DASH, formatNumber } from '../../format.js';
import { Card, Section, Title } from '../../ui.js';
import { Count, KpiCard, RankedList, RateValue, parts } from './common.js';
import { useDashboard } from './context.js';

export const DemographicsSection = () => {
    const { doc, defs } = useDashboard();
    const g = doc.demographics;
    return html`<${Section} id="demographics" title="Démographie" icon=${Users}>
        <div class="grid grid-cols-1 gap-3 lg:grid-cols-3">
            <div class="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:col-span-2">
                <${KpiCard} kpi="demographics.men" title="Hommes" value=${html`<${RateValue} rate=${g.men} kpi="demographics.men" />`} sub=${parts(g.men)} />
                <${KpiCard} kpi="demographics.women" title="Femmes" value=${html`<${RateValue} rate=${g.women} kpi="demographics.women" />`} sub=${parts(g.women)} />
                <${KpiCard} kpi="demographics.other" title="Autre" value=${html`<${RateValue} rate=${g.other} kpi="demographics.other" />`} sub=${parts(g.other)} />
                <${KpiCard} kpi="demographics.average_age" title="Âge moyen"
                    value=${html`<span data-kpi="demographics.average_age">${g.average_age.value == null ? DASH : `${formatNumber(g.average_age.value, 1)} ans`}</span>`}
                    sub=${html`<${Count} value=${g.unknown_gender.value} kpi="demographics.unknown_gender" drill="demographics.unknown_gender"
                        label=${defs['demographics.unknown_gender']?.label ?? 'Genre inconnu'} /> de genre inconnu`} />
            </div>
            <${Card}>
                <${Title} def=${defs['demographics.top_professions']}>${defs['demographics.top_professions']?.label ?? 'Top 5 des métiers'}<//>
                <${RankedList} items=${g.top_professions} kpi="demographics.top_professions" drill what="Métier" empty="Aucun métier renseigné." />
            <//>
        </div>
    <//>`;
};
