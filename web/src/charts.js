// @ts-check
// Hand-written SVG charts: a sparkline per headline tile (here, in the first load with the tiles) and the period's
// trend as small multiples (trend-chart.js, loaded with the parts below the tiles). No chart library: the whole
// first load must stay under 80 KB gzipped (README, "Charts"). They draw the series get_dashboard returns; every
// chart has a text alternative (the tile's value, or a summary in its label and the numbers as a table on demand).
import { html } from 'htm/preact';

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
