// @ts-check
// Small presentational components of the brief's design system (glassmorphism cards on a dark gradient).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Info, TrendingDown, TrendingUp, X } from 'lucide-preact';
import { formatChange } from './format.js';

/** @typedef {import('preact').ComponentChildren} Children */
/** @typedef {import('./dashboard-types').KpiDefinition} KpiDefinition */
/** @typedef {import('./dashboard-types').Change} Change */

export const CARD = 'bg-white/10 backdrop-blur-xl rounded-xl border border-white/20';
export const INPUT =
    'w-full px-4 py-3 bg-white/10 border border-white/20 rounded-lg text-white placeholder-gray-400 focus:outline-none focus:ring-2 focus:ring-blue-500';
export const BUTTON =
    'inline-flex items-center justify-center gap-2 bg-gradient-to-r from-blue-500 to-purple-600 text-white font-semibold rounded-lg px-4 py-2 hover:shadow-lg hover:shadow-purple-500/30 transition-all disabled:opacity-60';
export const GHOST_BUTTON =
    'inline-flex items-center justify-center gap-2 rounded-lg px-3 py-2 text-sm text-white/80 border border-white/20 hover:bg-white/10 transition-colors';

/** @param {{ class?: string, children?: Children, testid?: string }} props */
export const Card = ({ class: cls = '', children, testid }) =>
    html`<div class=${`${CARD} relative p-3 sm:p-5 ${cls}`} data-testid=${testid}>${children}</div>`;

const BADGE_COLORS = {
    blue: 'bg-blue-500/20 text-blue-300',
    green: 'bg-emerald-500/20 text-emerald-300',
    yellow: 'bg-amber-500/20 text-amber-300',
    red: 'bg-red-500/20 text-red-300',
    purple: 'bg-violet-500/20 text-violet-300',
    gray: 'bg-white/10 text-white/70',
};
/** @typedef {keyof typeof BADGE_COLORS} Color */

/** @param {{ color?: Color, children?: Children, testid?: string }} props */
export const Badge = ({ color = 'blue', children, testid }) =>
    html`<span class=${`inline-block whitespace-nowrap px-2.5 py-0.5 rounded-full text-xs font-semibold ${BADGE_COLORS[color]}`}
        data-testid=${testid}>${children}</span>`;

/** The "estimé" mark of a value that comes from a coach setting, not from data. */
export const Estimated = () => html`<${Badge} color="purple" testid="estimated">estimé<//>`;

const BAR_COLORS = {
    blue: 'from-blue-500 to-blue-400',
    green: 'from-emerald-500 to-emerald-400',
    yellow: 'from-amber-500 to-amber-400',
    red: 'from-red-500 to-red-400',
    purple: 'from-blue-500 to-purple-600',
    gray: 'from-white/30 to-white/20',
};
/** @param {{ value: number | null | undefined, color?: Color, label?: string }} props */
export const ProgressBar = ({ value, color = 'purple', label }) => {
    const width = Math.max(0, Math.min(100, value ?? 0));
    return html`<div class="h-2 w-full rounded-full bg-white/10 overflow-hidden" role="progressbar"
        aria-valuemin="0" aria-valuemax="100" aria-valuenow=${value ?? 0} aria-label=${label}>
        <div class=${`h-full rounded-full bg-gradient-to-r ${BAR_COLORS[color]}`} style=${{ width: `${width}%` }}></div>
    </div>`;
};

/**
 * A KPI's definition from the SQL glossary, shown on hover and on tap (a button, so keyboard and touch work too).
 * @param {{ def?: KpiDefinition }} props
 */
export const Hint = ({ def }) => {
    const [open, setOpen] = useState(false);
    if (!def) return null;
    // hover for a mouse only: a tap also emits enter, which would open then the click would close at once
    const hover = (/** @type {boolean} */ value) => (/** @type {PointerEvent} */ e) => e.pointerType === 'mouse' && setOpen(value);
    return html`<span class="inline-flex" onPointerEnter=${hover(true)} onPointerLeave=${hover(false)}>
        <button type="button" class="p-1 -m-1 text-white/40 hover:text-white/80 focus:text-white/80 focus:outline-none"
            aria-label=${`Définition : ${def.label}`} aria-expanded=${open} onClick=${() => setOpen(!open)}>
            <${Info} size=${14} aria-hidden="true" />
        </button>
        ${open &&
        html`<span role="tooltip" data-testid="definition" onClick=${() => setOpen(false)}
            class="absolute inset-x-1 top-9 z-30 rounded-lg border border-white/20 bg-slate-900/95 p-3 text-left text-xs font-normal leading-relaxed text-white/80 shadow-xl">
            <span class="block font-semibold text-white">${def.label}</span>
            <span class="block">${def.formula}</span>
            ${def.denominator && html`<span class="block text-white/60">Base : ${def.denominator}</span>`}
        </span>`}
    </span>`;
};

/** "+12 % vs semaine précédente". @param {{ change?: Change | null }} props */
export const ChangeTag = ({ change }) => {
    if (!change || change.change_pct == null) return null;
    const up = change.change_pct >= 0;
    const Icon = up ? TrendingUp : TrendingDown;
    return html`<span class=${`inline-flex items-center gap-1 text-xs font-medium ${up ? 'text-emerald-300' : 'text-red-300'}`}
        data-testid="change" title="Cette semaine par rapport à la semaine précédente">
        <${Icon} size=${14} aria-hidden="true" />${formatChange(change.change_pct)}
        <span class="text-white/50 font-normal">vs sem. préc.</span>
    </span>`;
};

/**
 * @param {{ title: string, value: Children, icon?: import('preact').FunctionComponent<any>, def?: KpiDefinition,
 *   kpi?: string, sub?: Children, change?: Change | null, tone?: string, big?: boolean, children?: Children, class?: string }} props
 */
export const KpiCard = ({ title, value, icon: Icon, def, kpi, sub, change, tone = 'text-blue-300', big = false, children, class: cls }) =>
    html`<${Card} class=${cls} testid=${kpi ? `card-${kpi}` : undefined}>
        <div class="flex items-start justify-between gap-2">
            <div class="flex items-center gap-1.5 text-sm text-white/60">
                <span>${title}</span>
                <${Hint} def=${def} />
            </div>
            ${Icon && html`<span class=${`hidden shrink-0 rounded-lg bg-white/10 p-2 sm:inline-flex ${tone}`}><${Icon} size=${18} aria-hidden="true" /></span>`}
        </div>
        <div class=${`mt-1 font-bold tracking-tight ${big ? 'text-4xl sm:text-5xl' : 'text-2xl sm:text-3xl'}`} data-kpi=${kpi}>${value}</div>
        ${sub && html`<div class="mt-1 text-sm text-white/60">${sub}</div>`}
        ${change && html`<div class="mt-2"><${ChangeTag} change=${change} /></div>`}
        ${children}
    <//>`;

/** A card's title with its definition (which opens over the card: the card is its positioned ancestor). @param {{ children?: Children, def?: KpiDefinition }} props */
export const Title = ({ children, def }) =>
    html`<div class="mb-3 flex items-center gap-1.5 font-semibold text-white/90"><span>${children}</span><${Hint} def=${def} /></div>`;

/** @param {{ title: string, icon: import('preact').FunctionComponent<any>, children?: Children, id: string }} props */
export const Section = ({ title, icon: Icon, children, id }) =>
    html`<section class="space-y-3" aria-labelledby=${`h-${id}`} data-section=${id}>
        <h2 id=${`h-${id}`} class="flex items-center gap-2 text-lg font-semibold text-white">
            <span class="rounded-lg bg-gradient-to-br from-blue-500 to-purple-600 p-1.5"><${Icon} size=${18} aria-hidden="true" /></span>
            ${title}
        </h2>
        ${children}
    </section>`;

/** @param {{ class?: string }} props */
export const Skeleton = ({ class: cls = 'h-28' }) =>
    html`<div class=${`${CARD} animate-pulse bg-white/5 ${cls}`} aria-hidden="true"></div>`;

/**
 * A toast for errors (and confirmations), dismissible, with an optional action.
 * @param {{ message: string | null, tone?: 'error' | 'success', onClose: () => void, action?: { label: string, run: () => void } }} props
 */
export const Toast = ({ message, tone = 'error', onClose, action }) => {
    useEffect(() => {
        if (!message || tone !== 'success') return;
        const t = setTimeout(onClose, 4000);
        return () => clearTimeout(t);
    }, [message, tone]);
    if (!message) return null;
    return html`<div role=${tone === 'error' ? 'alert' : 'status'} data-testid="toast"
        class=${`fixed bottom-4 left-4 right-4 z-50 mx-auto flex max-w-md items-start gap-3 rounded-xl border p-4 text-sm shadow-2xl backdrop-blur-xl ${
            tone === 'error' ? 'border-red-400/40 bg-red-950/90 text-red-100' : 'border-emerald-400/40 bg-emerald-950/90 text-emerald-100'
        }`}>
        <span class="flex-1">${message}</span>
        ${action && html`<button type="button" class="font-semibold underline" onClick=${action.run}>${action.label}</button>`}
        <button type="button" aria-label="Fermer" onClick=${onClose}><${X} size=${16} aria-hidden="true" /></button>
    </div>`;
};

/** The page's background and centered column. @param {{ children?: Children, narrow?: boolean }} props */
export const Page = ({ children, narrow = false }) =>
    html`<div class="min-h-screen bg-gradient-to-br from-slate-900 via-indigo-950 to-slate-900 text-white">
        <div class=${`mx-auto px-4 py-6 sm:px-6 ${narrow ? 'max-w-md' : 'max-w-7xl'}`}>${children}</div>
    </div>`;
