// @ts-check
// 1. Activité & volume.
import { html } from 'htm/preact';
import { Activity, Inbox, MessagesSquare, Send, Timer } from 'lucide-preact';
import { formatMinutes, formatNumber } from '../../format.js';
import { sourceLabel } from '../../labels.js';
import { Card, Section, Title } from '../../ui.js';
import { KpiCard, PeriodChange, RankedList, metricText } from './common.js';
import { useDashboard } from './context.js';

export const ActivitySection = () => {
    const { doc, defs } = useDashboard();
    const a = doc.activity;
    return html`<${Section} id="activity" title="Activité & volume" icon=${Activity}>
        <div class="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <${KpiCard} kpi="activity.messages_sent" title="Messages envoyés" icon=${Send}
                value=${html`<span data-kpi="activity.messages_sent">${metricText(a.messages_sent)}</span>`}
                change=${html`<${PeriodChange} kpi="activity.messages_sent" metric=${a.messages_sent} />`} />
            <${KpiCard} kpi="activity.messages_received" title="Messages reçus" icon=${Inbox} tone="text-emerald-300"
                value=${html`<span data-kpi="activity.messages_received">${metricText(a.messages_received)}</span>`}
                change=${html`<${PeriodChange} kpi="activity.messages_received" metric=${a.messages_received} />`} />
            <${KpiCard} kpi="activity.avg_messages_per_lead" title="Messages par lead" icon=${MessagesSquare}
                value=${html`<span data-kpi="activity.avg_messages_per_lead">${metricText(a.avg_messages_per_lead, (n) => formatNumber(n, 1))}</span>`}
                change=${html`<${PeriodChange} kpi="activity.avg_messages_per_lead" metric=${a.avg_messages_per_lead} />`} />
            <${KpiCard} kpi="activity.avg_time_to_action_minutes" title="Temps moyen avant action" icon=${Timer} tone="text-emerald-300"
                value=${html`<span data-kpi="activity.avg_time_to_action_minutes">${formatMinutes(a.avg_time_to_action_minutes.value)}</span>`} />
        </div>
        <${Card}>
            <${Title} def=${defs['activity.top_sources']}>${defs['activity.top_sources']?.label ?? 'Top 3 des sources'}<//>
            <${RankedList} items=${a.top_sources} kpi="activity.top_sources" label=${sourceLabel} drill what="Source"
                empty="Aucune source renseignée." />
        <//>
    <//>`;
};
