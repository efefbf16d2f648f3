// @ts-check
// Small presentational components of the brief's design system (glassmorphism cards on a dark gradient), with the
// accessibility rules of the page: every control shows its focus, Escape closes what opened, small text keeps a
// contrast of at least 4.5:1 (white at 60 % opacity or more on the cards).
import { html } from 'htm/preact';
import { useEffect, useErrorBoundary, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ChevronDown, Info, TrendingDown, TrendingUp, Minus, TriangleAlert, X } from 'lucide-preact';
import { inNextTask } from './next-task.js';

/** @typedef {import('preact').ComponentChildren} Children */
/** @typedef {import('./dashboard-types').KpiDefinition & Partial<import('./dashboard-types').KpiDefinitionV2>} Definition */

// No backdrop blur: over the page's smooth gradient it draws the same pixels, and with ~40 cards it tripled the
// time from navigation to the KPIs on screen (npm run bench, software rendering).
export const CARD = 'bg-white/10 rounded-xl border border-white/20';
export const INPUT =
    'w-full px-4 py-3 bg-white/10 border border-white/30 rounded-lg text-white placeholder-white/60 focus:outline-none focus:ring-2 focus:ring-sky-300';
export const BUTTON =
    'inline-flex items-center justify-center gap-2 bg-gradient-to-r from-blue-600 to-purple-600 text-white font-semibold rounded-lg px-4 py-2 hover:shadow-lg hover:shadow-purple-500/30 transition-all disabled:opacity-70';
export const GHOST_BUTTON =
    'inline-flex items-center justify-center gap-2 rounded-lg px-3 py-2 text-sm text-white/90 border border-white/30 hover:bg-white/10 transition-colors disabled:opacity-70';
export const LINK = 'underline decoration-white/40 underline-offset-2 hover:decoration-white';

/** @param {{ class?: string, children?: Children, testid?: string, base?: string }} props `base`: what its numbers count (labels.js, BASES) */
export const Card = ({ class: cls = '', children, testid, base }) =>
    html`<div class=${`${CARD} relative p-3 sm:p-5 ${cls}`} data-testid=${testid} data-base=${base}>${children}</div>`;

const BADGE_COLORS = {
    blue: 'bg-blue-500/20 text-blue-200',
    green: 'bg-emerald-500/20 text-emerald-200',
    yellow: 'bg-amber-500/20 text-amber-200',
    red: 'bg-red-500/20 text-red-200',
    purple: 'bg-violet-500/25 text-violet-100',
    gray: 'bg-white/10 text-white/80',
};
/** @typedef {keyof typeof BADGE_COLORS} Color */

/** @param {{ color?: Color, children?: Children, testid?: string, title?: string }} props */
export const Badge = ({ color = 'blue', children, testid, title }) =>
    html`<span class=${`inline-block whitespace-nowrap px-2.5 py-0.5 rounded-full text-xs font-semibold ${BADGE_COLORS[color]}`}
        data-testid=${testid} title=${title}>${children}</span>`;

/** The "estimé" mark of a value that comes from a coach setting, not from data. @param {{ title?: string }} props */
export const Estimated = ({ title = 'Valeur estimée à partir de vos réglages, pas de vos données' }) =>
    html`<${Badge} color="purple" testid="estimated" title=${title}>estimé<//>`;

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

/** Closes something on Escape and on a press outside `ref`, while `open`. @param {boolean} open @param {() => void} close @param {import('preact').RefObject<HTMLElement>} ref */
export function useDismiss(open, close, ref) {
    // a layout effect: listening from the moment it opens, not after the next paint
    useLayoutEffect(() => {
        if (!open) return;
        const onKey = (/** @type {KeyboardEvent} */ e) => e.key === 'Escape' && close();
        const onDown = (/** @type {PointerEvent} */ e) => ref.current && !ref.current.contains(/** @type {Node} */ (e.target)) && close();
        document.addEventListener('keydown', onKey);
        document.addEventListener('pointerdown', onDown);
        return () => {
            document.removeEventListener('keydown', onKey);
            document.removeEventListener('pointerdown', onDown);
        };
    }, [open]);
}

/**
 * A KPI's definition from the SQL glossary: the "i" opens it (click, tap, Enter) and it stays open, pinned, until the
 * "i" is pressed again or Escape; it opens in the flow under the title, pushing what follows down, so it covers
 * nothing (not the number it explains). Its container must wrap (flex-wrap): the panel takes a whole line.
 * @param {{ def?: Definition }} props
 */
export const Hint = ({ def }) => {
    const [open, setOpen] = useState(false);
    const id = useId();
    const button = useRef(/** @type {HTMLButtonElement | null} */ (null));
    useLayoutEffect(() => {
        if (!open) return;
        const onKey = (/** @type {KeyboardEvent} */ e) => {
            if (e.key !== 'Escape') return;
            setOpen(false);
            if (document.activeElement && document.getElementById(id)?.contains(document.activeElement)) button.current?.focus();
        };
        document.addEventListener('keydown', onKey);
        return () => document.removeEventListener('keydown', onKey);
    }, [open]);
    if (!def) return null;
    return html`<button type="button" ref=${button} class="-m-1 rounded p-1 text-white/70 hover:text-white aria-expanded:text-sky-200"
            aria-label=${`Définition : ${def.label}`} aria-expanded=${open} aria-controls=${open ? id : undefined}
            onClick=${() => setOpen(!open)}>
            <${Info} size=${14} aria-hidden="true" />
        </button>
        ${open &&
        html`<span id=${id} data-testid="definition" role="note"
            class="mt-2 block basis-full rounded-lg border border-white/20 bg-slate-900 p-3 text-left text-xs font-normal leading-relaxed text-white/90">
            <span class="block font-semibold text-white">${def.label}</span>
            <span class="block">${def.formula}</span>
            ${def.period && html`<span class="block">Sur la période : ${def.period}</span>`}
            ${def.denominator && html`<span class="block text-white/80">Base : ${def.denominator}</span>`}
        </span>`}`;
};

/**
 * A change against the previous period: an arrow for its direction, green when it is good news and red when it
 * is bad (by the KPI's `better`), grey when neither or when nothing changed.
 * @param {{ text: string, delta: number | null | undefined, better?: 'higher' | 'lower' | null, versus: string, testid?: string }} props
 */
export const Change = ({ text, delta, better, versus, testid = 'change' }) => {
    if (delta == null) return null;
    const good = delta === 0 || !better ? null : (delta > 0) === (better === 'higher');
    const Icon = delta > 0 ? TrendingUp : delta < 0 ? TrendingDown : Minus;
    const tone = good == null ? 'text-white/80' : good ? 'text-emerald-300' : 'text-red-300';
    return html`<span class=${`inline-flex flex-wrap items-center gap-1 text-xs font-medium ${tone}`} data-testid=${testid}
        data-direction=${delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat'} data-good=${good == null ? 'neutral' : String(good)}>
        <${Icon} size=${14} aria-hidden="true" />${text}
        <span class="font-normal text-white/70">${versus}</span>
        <span class="sr-only">${good == null ? '' : good ? '(en progrès)' : '(en recul)'}</span>
    </span>`;
};

/** A card's title with its definition (which opens under it). @param {{ children?: Children, def?: Definition, as?: string }} props */
export const Title = ({ children, def, as = 'h3' }) =>
    html`<div class="mb-3 flex flex-wrap items-center gap-x-1.5 font-semibold text-white">
        <${as} class="text-base font-semibold">${children}<//><${Hint} def=${def} />
    </div>`;

const openByDefault = () => typeof matchMedia === 'function' && matchMedia('(min-width: 1024px)').matches;
/** @param {string} id */
const savedOpen = (id) => {
    try {
        const v = localStorage.getItem(`section-open:${id}`);
        return v == null ? null : v === '1';
    } catch {
        return null;
    }
};

/**
 * A dashboard section that folds (open on a desktop, folded on a phone, then as the coach left it); its content is
 * rendered once it is open.
 * @param {{ title: string, icon: import('preact').FunctionComponent<any>, children?: Children, id: string, summary?: Children }} props
 */
export const Section = ({ title, icon: Icon, children, id, summary }) => {
    const [open, setOpen] = useState(() => savedOpen(id) ?? openByDefault());
    // a folded section's content is rendered when it is first unfolded (then kept): on a phone, where every section
    // starts folded, the first load builds only the titles
    const [unfolded, setUnfolded] = useState(open);
    const toggle = (/** @type {Event} */ e) => {
        const now = /** @type {HTMLDetailsElement} */ (e.currentTarget).open;
        if (now) setUnfolded(true);
        if (now === open) return;
        setOpen(now);
        try {
            localStorage.setItem(`section-open:${id}`, now ? '1' : '0');
        } catch {
            /* private mode: the choice lasts for this page only */
        }
    };
    return html`<section aria-labelledby=${`h-${id}`} data-section=${id}>
        <details open=${open} onToggle=${toggle} class="group">
            <summary class="flex cursor-pointer list-none items-center gap-2 rounded-lg py-1 [&::-webkit-details-marker]:hidden">
                <span class="rounded-lg bg-gradient-to-br from-blue-500 to-purple-600 p-1.5"><${Icon} size=${18} aria-hidden="true" /></span>
                <h2 id=${`h-${id}`} class="text-lg font-semibold text-white">${title}</h2>
                ${summary && html`<span class="hidden text-sm text-white/70 sm:inline">${summary}</span>`}
                <${ChevronDown} size=${20} aria-hidden="true" class="ml-auto shrink-0 text-white/80 transition-transform group-open:rotate-180" />
            </summary>
            <div class="mt-3 space-y-3">${(open || unfolded) && children}</div>
        </details>
    </section>`;
};

export const RENDER_ERROR = 'Cette partie de la page n’a pas pu s’afficher à cause d’une erreur inattendue.';

/**
 * Catches what its children throw while rendering (a document of an unexpected shape, a bug): shows the error in
 * French with a retry that renders them again (after `onRetry`, e.g. a new load), instead of leaving the page as
 * it was when it failed (controls disabled, a spinner forever).
 * `resetKey`: when it changes (new data arrived), the children are rendered again. `onError`: told when it catches.
 * @param {{ children?: Children, onRetry?: () => void, onError?: () => void, resetKey?: unknown, testid?: string }} props
 */
export const ErrorBoundary = ({ children, onRetry, onError, resetKey, testid = 'render-error' }) => {
    const [error, reset] = useErrorBoundary((e) => { console.error('render error:', e); onError?.(); });
    const key = useRef(resetKey);
    useEffect(() => {
        if (key.current === resetKey) return;
        key.current = resetKey;
        if (error) reset();
    }, [resetKey, error]);
    if (!error) return children;
    return html`<div class=${`${CARD} mx-auto my-6 max-w-xl p-8 text-center text-white`} role="alert" data-testid=${testid}>
        <div class="mx-auto mb-4 w-fit rounded-2xl bg-white/10 p-4"><${TriangleAlert} size=${32} aria-hidden="true" /></div>
        <h2 class="text-xl font-semibold">Affichage impossible</h2>
        <p class="mt-2 text-white/80">${RENDER_ERROR} Réessayez ; si cela recommence, prévenez votre administrateur.</p>
        <button type="button" class=${`${BUTTON} mt-4`} onClick=${() => { onRetry?.(); reset(); }}>Réessayer</button>
    </div>`;
};

/**
 * Its children one task after it is first rendered (a part of a part the dashboard renders in stages: a task of its
 * own, next-task.js), then kept; `onShown` is called once they are there.
 * @param {{ children: Children, onShown?: () => void }} props
 */
export const Later = ({ children, onShown }) => {
    const [ready, setReady] = useState(false);
    useLayoutEffect(() => inNextTask(() => setReady(true)), []);
    useLayoutEffect(() => { if (ready) onShown?.(); }, [ready]);
    return ready ? html`${children}` : null;
};

/** @param {{ class?: string }} props */
export const Skeleton = ({ class: cls = 'h-28' }) =>
    html`<div class=${`${CARD} animate-pulse bg-white/5 ${cls}`} aria-hidden="true"></div>`;

/**
 * A toast for confirmations (and errors that have no better place), dismissible, with an optional action.
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
        class=${`fixed bottom-4 left-4 right-4 z-50 mx-auto flex max-w-md items-start gap-3 rounded-xl border p-4 text-sm shadow-2xl ${
            tone === 'error' ? 'border-red-400/40 bg-red-950 text-red-100' : 'border-emerald-400/40 bg-emerald-950 text-emerald-100'
        }`}>
        <span class="flex-1">${message}</span>
        ${action && html`<button type="button" class="font-semibold underline" onClick=${action.run}>${action.label}</button>`}
        <button type="button" aria-label="Fermer" onClick=${onClose}><${X} size=${16} aria-hidden="true" /></button>
    </div>`;
};

/**
 * A modal dialog (the browser's <dialog>: focus kept inside, Escape closes it, focus goes back where it was).
 * @param {{ open: boolean, onClose: () => void, title: Children, children?: Children, testid?: string, labelId?: string }} props
 */
export const Dialog = ({ open, onClose, title, children, testid }) => {
    const ref = useRef(/** @type {HTMLDialogElement | null} */ (null));
    const id = useId();
    useEffect(() => {
        const d = ref.current;
        if (!d) return;
        if (open && !d.open) d.showModal();
        if (!open && d.open) d.close();
    }, [open]);
    return html`<dialog ref=${ref} aria-labelledby=${id} data-testid=${testid} onClose=${onClose}
        onClick=${(/** @type {MouseEvent} */ e) => e.target === ref.current && onClose()}
        class="m-auto max-h-[90vh] w-[calc(100%-1.5rem)] max-w-3xl overflow-y-auto rounded-xl border border-white/20 bg-slate-900 p-0 text-white shadow-2xl backdrop:bg-black/70">
        ${open &&
        html`<div class="p-4 sm:p-6">
            <div class="mb-4 flex items-start justify-between gap-3">
                <h2 id=${id} class="text-lg font-semibold">${title}</h2>
                <button type="button" class="-m-1 rounded p-1 text-white/80 hover:text-white" aria-label="Fermer" onClick=${onClose}>
                    <${X} size=${20} aria-hidden="true" />
                </button>
            </div>
            ${children}
        </div>`}
    </dialog>`;
};

/** The page's background, the skip link and the centered column. @param {{ children?: Children, narrow?: boolean }} props */
export const Page = ({ children, narrow = false }) =>
    html`<div class="min-h-screen bg-gradient-to-br from-slate-900 via-indigo-950 to-slate-900 text-white">
        <a href="#main" class="sr-only rounded-lg bg-white px-4 py-2 font-semibold text-slate-900 focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50"
            onClick=${(/** @type {MouseEvent} */ e) => {
                e.preventDefault();
                document.getElementById('main')?.focus();
            }}>Aller au contenu</a>
        <div class=${`mx-auto px-4 py-6 sm:px-6 ${narrow ? 'max-w-md' : 'max-w-7xl'}`}>${children}</div>
    </div>`;
