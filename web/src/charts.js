// @ts-check
// Hand-written SVG charts: a sparkline per headline tile and the period's trend as small multiples (one row per
// series, shared days). No chart library: the whole first load must stay under 80 KB gzipped (README, "Charts").
// They draw the series get_dashboard returns; every chart has a text alternative (a summary in its label and the
// numbers as a table on demand).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { formatDay } from './format.js';

/**
 * A sparkline: the shape of a series, for sighted users (the tile's value and change are its text).
 * @param {{ values: Array<number | null>, class?: string }} props
 */
export const Sparkline = ({ values, class: cls = 'text-sky-300' }) => {
    const points = values.map((v, i) => [i, v]).filter(([, v]) => v != null);
    if (points.length < 2) return null;
    const max = Math.max(...points.map(([, v]) => /** @type {number} */ (v)));
    const min = Math.min(0, ...points.map(([, v]) => /** @type {number} */ (v)));
    const w = 100;
    const h = 28;
    const x = (/** @type {number} */ i) => (i / (values.length - 1)) * w;
    const y = (/** @type {number} */ v) => (max === min ? h / 2 : h - 2 - ((v - min) / (max - min)) * (h - 4));
    const d = points.map(([i, v], k) => `${k ? 'L' : 'M'}${x(/** @type {number} */ (i)).toFixed(1)} ${y(/** @type {number} */ (v)).toFixed(1)}`).join(' ');
    return html`<svg viewBox=${`0 0 ${w} ${h}`} preserveAspectRatio="none" class=${`mt-2 h-7 w-full ${cls}`} aria-hidden="true" data-testid="sparkline">
        <path d=${d} fill="none" stroke="currentColor" stroke-width="1.5" vector-effect="non-scaling-stroke" stroke-linejoin="round" />
    </svg>`;
};

/**
 * @typedef {{ key: string, label: string, values: number[], format: (n: number) => string, color: string, total: string }} Series
 */

/**
 * The trend of the period: one bar row per series over the same days, each scaled to its own maximum (counts and
 * money never share an axis). role="img" with a summary; "Voir les chiffres" shows every value as a table.
 * @param {{ dates: string[], bucket: 'day' | 'week', series: Series[], summary: string }} props
 */
export const TrendChart = ({ dates, bucket, series, summary }) => {
    const [table, setTable] = useState(false);
    const n = dates.length;
    const w = 600;
    const rowH = 56;
    const gap = 22;
    const barW = Math.max(1, (w / Math.max(1, n)) * 0.7);
    const step = w / Math.max(1, n);
    const every = Math.ceil(n / 6); // at most ~7 day labels
    const height = series.length * (rowH + gap) + 18;
    const unit = bucket === 'week' ? 'Semaine du' : 'Jour';
    return html`<figure class="space-y-3" data-testid="trend">
        <svg viewBox=${`0 0 ${w} ${height}`} class="h-auto w-full" role="img" aria-label=${summary}>
            ${series.map((s, r) => {
                const top = r * (rowH + gap) + 14;
                const max = Math.max(0, ...s.values);
                return html`<g key=${s.key} data-series=${s.key}>
                    <text x="0" y=${top - 4} class="fill-white/90" font-size="12">${s.label} · ${s.total}</text>
                    <line x1="0" x2=${w} y1=${top + rowH} y2=${top + rowH} class="stroke-white/20" />
                    ${s.values.map((v, i) => {
                        const bh = max > 0 ? (v / max) * (rowH - 6) : 0;
                        return html`<rect key=${i} x=${i * step + (step - barW) / 2} y=${top + rowH - bh} width=${barW} height=${Math.max(bh, v > 0 ? 1 : 0)}
                            rx="1.5" fill=${s.color}><title>${formatDay(dates[i])} : ${s.format(v)}</title></rect>`;
                    })}
                </g>`;
            })}
            ${dates.map((d, i) => (i % every === 0 || i === n - 1) && (i === n - 1 || n - 1 - i >= every / 2)
                ? html`<text key=${d} x=${i * step + step / 2} y=${height - 2} text-anchor="middle" font-size="11" class="fill-white/80">${formatDay(d)}</text>`
                : null)}
        </svg>
        <figcaption class="flex flex-wrap items-center justify-between gap-2 text-sm text-white/80">
            <span>${summary}</span>
            <button type="button" class="rounded text-sm font-medium text-sky-200 underline underline-offset-2" aria-expanded=${table}
                onClick=${() => setTable(!table)} data-testid="trend-table-toggle">${table ? 'Masquer les chiffres' : 'Voir les chiffres'}</button>
        </figcaption>
        ${table &&
        html`<div class="max-h-80 overflow-auto rounded-lg border border-white/20">
            <table class="w-full text-sm tabular-nums" data-testid="trend-table">
                <caption class="sr-only">${summary}</caption>
                <thead class="sticky top-0 bg-slate-900 text-left text-white/80">
                    <tr><th scope="col" class="px-3 py-2 font-medium">${unit}</th>
                        ${series.map((s) => html`<th key=${s.key} scope="col" class="px-3 py-2 text-right font-medium">${s.label}</th>`)}</tr>
                </thead>
                <tbody class="divide-y divide-white/10">
                    ${dates.map((d, i) => html`<tr key=${d}><th scope="row" class="px-3 py-1.5 text-left font-normal">${formatDay(d, true)}</th>
                        ${series.map((s) => html`<td key=${s.key} class="px-3 py-1.5 text-right">${s.format(s.values[i])}</td>`)}</tr>`)}
                </tbody>
            </table>
        </div>`}
    </figure>`;
};
