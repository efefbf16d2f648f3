// @ts-check
// The period's trend as small multiples (one row per series, shared days), hand-written SVG like the sparklines
// (charts.js). Apart from charts.js so that it stays out of the first load: the trend is drawn below the tiles, by the
// chunk of the parts that follow them (pages/dashboard/sections.js).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { formatDay, formatMonth } from './format.js';

/**
 * @typedef {{ key: string, label: string, values: number[], format: (n: number) => string, color: string, total: string }} Series
 */

/**
 * The trend of the period: one bar row per series over the same days, each scaled to its own maximum (counts and
 * money never share an axis); labels are HTML, so they keep the page's text size at any width. The figure has a
 * summary (its label) and "Voir les chiffres" shows every value as a table.
 * Monthly buckets are labelled by their month, except the first: it starts on the period's first day (and, for a
 * period of more than 90 months, holds every month before the others).
 * Markers (timeline notes) are dashed lines at their bucket, their text in the tooltip.
 * @param {{ dates: string[], bucket: 'day' | 'week' | 'month', series: Series[], summary: string, markers?: Array<{ index: number, label: string }> }} props
 */
export const TrendChart = ({ dates, bucket, series, summary, markers = [] }) => {
    const [table, setTable] = useState(false);
    // the bucket whose values the tooltip shows (pointer over a column, or arrows once the chart has the focus)
    const [active, setActive] = useState(/** @type {number | null} */ (null));
    const n = dates.length;
    const w = 300;
    const h = 40;
    const step = w / Math.max(1, n);
    const barW = Math.max(0.6, step * 0.7);
    const unit = bucket === 'month' ? 'Mois' : bucket === 'week' ? 'Semaine du' : 'Jour';
    /** @param {number} i @param {boolean} [withYear] */
    const label = (i, withYear = false) =>
        bucket === 'month' && i > 0 ? formatMonth(dates[i]) : formatDay(dates[i], withYear || bucket === 'month');
    /** A series' bars as ONE path (a closed rectangle per bucket, no height for a zero), scaled to its own maximum:
     *  a rect per bar (with its title) was about 180 of the ~770 elements of a phone's first load for 30 days, each
     *  styled and laid out; the values are in the tooltip and the table. @param {number[]} values */
    const bars = (values) => {
        const max = Math.max(0, ...values);
        return values.map((v, i) => {
            const top = max > 0 ? h - (v / max) * (h - 2) : h;
            return `M${+(i * step + (step - barW) / 2).toFixed(2)} ${h}V${+top.toFixed(2)}h${+barW.toFixed(2)}V${h}Z`;
        }).join('');
    };
    const middle = Math.floor((n - 1) / 2);
    const move = (/** @type {number} */ i) => setActive(Math.max(0, Math.min(n - 1, i)));
    const onKey = (/** @type {KeyboardEvent} */ e) => {
        const at = active ?? n - 1;
        const to = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: n - 1 }[e.key];
        if (to != null) {
            e.preventDefault();
            move(to);
        } else if (e.key === 'Escape') setActive(null);
    };
    const onPointer = (/** @type {PointerEvent} */ e) => {
        const box = /** @type {HTMLElement} */ (e.currentTarget).getBoundingClientRect();
        if (box.width > 0) move(Math.floor(((e.clientX - box.left) / box.width) * n));
    };
    return html`<figure class="space-y-3" data-testid="trend">
        <div tabindex="0" role="group" aria-label="Valeurs par date : flèches gauche et droite pour parcourir" class="relative rounded-lg focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-300"
            onKeyDown=${onKey} onFocus=${() => active == null && setActive(n - 1)} onBlur=${() => setActive(null)}
            onPointerMove=${onPointer} onPointerLeave=${() => setActive(null)} data-testid="trend-interactive">
        ${active != null && html`<div class="pointer-events-none absolute inset-y-0 z-0 w-px bg-white/50" style=${{ left: `${((active + 0.5) / n) * 100}%` }} aria-hidden="true"></div>
            <div role="status" class=${`pointer-events-none absolute -top-2 z-10 max-w-[14rem] -translate-y-full rounded-lg border border-white/20 bg-slate-900 px-2.5 py-1.5 text-xs shadow-lg ${active / n > 0.5 ? '-translate-x-full' : ''}`}
                style=${{ left: `${((active + 0.5) / n) * 100}%` }} data-testid="trend-tooltip">
                <p class="font-semibold">${label(active, true)}</p>
                ${markers.filter((m) => m.index === active).map((m, k) => html`<p key=${k} class="text-amber-200">${m.label}</p>`)}
                ${series.map((s) => html`<p key=${s.key} class="flex justify-between gap-3"><span class="text-white/80">${s.label}</span><span class="tabular-nums">${s.format(s.values[active])}</span></p>`)}
            </div>`}
        ${markers.map((m, k) => html`<div key=${`m${k}`} class="pointer-events-none absolute inset-y-0 z-0 border-l border-dashed border-amber-300/80"
            style=${{ left: `${((m.index + 0.5) / n) * 100}%` }} aria-hidden="true" data-testid="trend-marker"></div>`)}
        <div role="img" aria-label=${summary} class="space-y-3">
            ${series.map((s) => html`<div key=${s.key} data-series=${s.key}>
                    <div class="mb-1 flex items-baseline justify-between gap-2 text-xs text-white/80" aria-hidden="true">
                        <span class="inline-flex items-center gap-1.5"><span class="inline-block h-2 w-2 rounded-sm" style=${{ background: s.color }}></span>${s.label}</span>
                        <span class="font-semibold text-white" data-kpi=${`trend.total:${s.key}`}>${s.total}</span>
                    </div>
                    <svg viewBox=${`0 0 ${w} ${h}`} preserveAspectRatio="none" class="block h-10 w-full" aria-hidden="true">
                        <line x1="0" x2=${w} y1=${h - 0.5} y2=${h - 0.5} stroke="currentColor" class="text-white/20" vector-effect="non-scaling-stroke" />
                        <path d=${bars(s.values)} fill=${s.color} data-testid="trend-bars" />
                    </svg>
                </div>`)}
            <div class="flex justify-between text-xs text-white/80" aria-hidden="true">
                <span>${label(0)}</span>${n > 2 && html`<span>${label(middle)}</span>`}<span>${label(n - 1)}</span>
            </div>
        </div>
        </div>
        <figcaption class="space-y-1 text-sm text-white/80">
            <p>${summary}</p>
            <button type="button" class="rounded text-sm font-medium text-sky-200 underline underline-offset-2" aria-expanded=${table}
                onClick=${() => setTable(!table)} data-testid="trend-table-toggle">${table ? 'Masquer les chiffres' : 'Voir les chiffres'}</button>
        </figcaption>
        ${table &&
        html`<div class="max-h-80 overflow-auto rounded-lg border border-white/20" tabindex="0" aria-label="Chiffres de la tendance">
            <table class="w-full text-sm tabular-nums" data-testid="trend-table">
                <caption class="sr-only">${summary}</caption>
                <thead class="sticky top-0 bg-slate-900 text-left text-white/80">
                    <tr><th scope="col" class="px-3 py-2 font-medium">${unit}</th>
                        ${series.map((s) => html`<th key=${s.key} scope="col" class="px-3 py-2 text-right font-medium">${s.label}</th>`)}</tr>
                </thead>
                <tbody class="divide-y divide-white/10">
                    ${dates.map((d, i) => html`<tr key=${d}><th scope="row" class="px-3 py-1.5 text-left font-normal">${label(i, true)}</th>
                        ${series.map((s) => html`<td key=${s.key} class="px-3 py-1.5 text-right">${s.format(s.values[i])}</td>`)}</tr>`)}
                </tbody>
            </table>
        </div>`}
    </figure>`;
};
