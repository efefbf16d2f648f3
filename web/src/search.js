// @ts-check
// The lead search box of every dashboard page (LeadSearch). The box is shown at once; what searches and lists the
// results (search-box.js: search_leads, the keyboard-driven combobox) is loaded right after, on demand, so it stays out
// of the dashboard's first load. Until it is there the box is a plain input whose text and focus it then takes over.
import { html } from 'htm/preact';
import { useId } from 'preact/hooks';
import { Search } from 'lucide-preact';
import { onDemand } from './on-demand.js';

/** What was typed in the placeholder box, and whether it had the focus, when search-box.js arrived (read once). */
export const early = { value: '', focused: false };

export const INPUT_CLASS = 'w-full rounded-lg border border-white/30 bg-white/10 py-2 pl-9 pr-3 text-sm text-white placeholder-white/70 focus:outline-none focus:ring-2 focus:ring-sky-300';
export const LABEL = 'Rechercher un lead par nom, @pseudo ou email';

export const SearchIcon = () => html`<${Search} size=${16} aria-hidden="true" class="pointer-events-none absolute left-3 top-1/2 -translate-y-1/2 text-white/70" />`;

/** The box before search-box.js is loaded: same look, no results yet. */
function Placeholder() {
    const id = useId();
    return html`<div class="relative w-full sm:w-72" data-testid="lead-search">
        <label for=${`${id}-input`} class="sr-only">${LABEL}</label>
        <${SearchIcon} />
        <input id=${`${id}-input`} type="search" autocomplete="off" spellcheck=${false} placeholder="Rechercher un lead…"
            data-testid="lead-search-input" data-search-placeholder class=${INPUT_CLASS} />
    </div>`;
}

/** @typedef {{ coachId?: string }} LeadSearchProps */

/** @type {import('preact').FunctionComponent<LeadSearchProps>} */
export const LeadSearch = onDemand(
    () => import('./search-box.js').then((m) => {
        // read when the code arrives, before the box is swapped (a focused input that is removed loses the focus)
        const input = /** @type {HTMLInputElement | null} */ (document.querySelector('input[data-search-placeholder]'));
        early.value = input?.value ?? '';
        early.focused = !!input && input === document.activeElement;
        return /** @type {import('preact').FunctionComponent<LeadSearchProps>} */ (m.LeadSearchBox);
    }),
    () => html`<${Placeholder} />`,
);
