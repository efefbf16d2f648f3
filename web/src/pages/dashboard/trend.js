// @ts-check
// The trend of the period: new leads, calls booked and revenue per day (per week beyond 90 days, per month beyond 366);
// hidden for a single day ("Aujourd’hui"), whose one bar says nothing.
import { html } from 'htm/preact';
import { formatDayRange, formatMoney, formatNumber } from '../../format.js';
import { TrendChart } from '../../trend-chart.js';
import { Card } from '../../ui.js';
import { useDashboard } from './context.js';

/** @param {{ notes?: import('../../dashboard-types').TimelineNote[] | null }} props */
export const TrendCard = ({ notes }) => {
    const { doc } = useDashboard();
    const t = doc.trend;
    // one bucket (today, or a one-day range) is one bar: nothing to read a trend from, so no chart
    if (t.dates.length < 2) return null;
    const cur = doc.coach.currency;
    const money = (/** @type {number} */ n) => formatMoney(n, cur);
    const leads = formatNumber(doc.activity.new_leads.value);
    const calls = formatNumber(doc.qualification.calls_booked.value);
    const revenue = money(doc.performance.revenue.value ?? 0);
    const summary = `${formatDayRange(doc.period.start, doc.period.end)}, ${t.bucket === 'month' ? 'par mois' : t.bucket === 'week' ? 'par semaine' : 'par jour'} : `
        + `${leads} nouveaux leads, ${calls} calls réservés, ${revenue} de chiffre d’affaires.`;
    // a note marks the bucket that holds its day (the notes themselves are listed in the Notes card)
    const markers = (notes ?? []).filter((x) => x.day >= t.dates[0] && x.day <= doc.period.end)
        .map((x) => ({ index: t.dates.filter((d) => d <= x.day).length - 1, label: x.note }));
    return html`<${Card} class="lg:col-span-2" testid="trend-card">
        <h2 class="mb-3 text-lg font-semibold">Tendance de la période</h2>
        <${TrendChart} dates=${t.dates} bucket=${t.bucket} summary=${summary} markers=${markers} series=${[
            { key: 'new_leads', label: 'Nouveaux leads', values: t.new_leads, format: formatNumber, color: '#7dd3fc', total: leads },
            { key: 'calls_booked', label: 'Calls réservés', values: t.calls_booked, format: formatNumber, color: '#fcd34d', total: calls },
            { key: 'revenue', label: 'Chiffre d’affaires', values: t.revenue, format: money, color: '#6ee7b7', total: revenue },
        ]} />
    <//>`;
};
