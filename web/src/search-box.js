// @ts-check
// The lead search box of every dashboard page: results as the coach types (search_leads: first or last name, @handle
// or email, accents and case ignored, partial words), a combobox the keyboard drives (arrows, Enter, Escape), each
// result a link to the lead's page. search.js shows the box at once and loads this file right after (on demand): what
// the coach typed meanwhile is taken over, with the focus.
import { html } from 'htm/preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { describe } from './errors.js';
import { leadHref } from './format.js';
import { searchLeads } from './lead-api.js';
import { statusLabel } from './labels.js';
import { useDismiss } from './ui.js';
import { INPUT_CLASS, LABEL, SearchIcon, early } from './search.js';

/** @typedef {import('./lead-types').LeadSearchRow} LeadSearchRow */

/** Waits this long after the last key before asking (a fast typist sends one request, not five). */
const DEBOUNCE_MS = 150;

/** @param {LeadSearchRow} r */
const who = (r) => [r.first_name, r.last_name].filter(Boolean).join(' ') || (r.instagram_username ? `@${r.instagram_username}` : r.email ?? 'Lead sans nom');

/** @param {{ coachId?: string }} props */
export function LeadSearchBox({ coachId }) {
    const { route } = useLocation();
    const [query, setQuery] = useState(early.value);
    const [rows, setRows] = useState(/** @type {LeadSearchRow[] | null} */ (null));
    const [problem, setProblem] = useState('');
    const [open, setOpen] = useState(false);
    const [active, setActive] = useState(-1);
    const box = useRef(/** @type {HTMLDivElement | null} */ (null));
    const id = useId();
    useDismiss(open, () => setOpen(false), box);
    // the placeholder box's text and focus (search.js), once
    useEffect(() => {
        if (early.focused) {
            const input = /** @type {HTMLInputElement | null | undefined} */ (box.current?.querySelector('input'));
            input?.focus();
            input?.setSelectionRange(input.value.length, input.value.length);
            setOpen(true);
        }
        early.value = '';
        early.focused = false;
    }, []);

    useEffect(() => {
        const q = query.trim();
        setActive(-1);
        if (q.replace(/^@+/, '').length < 2) {
            setRows(null);
            setProblem('');
            return;
        }
        const ac = new AbortController();
        const t = setTimeout(async () => {
            try {
                setRows(await searchLeads(q, { coachId, signal: ac.signal }));
                setProblem('');
            } catch (e) {
                if (!ac.signal.aborted) setProblem(describe(e).message);
            }
        }, DEBOUNCE_MS);
        return () => {
            clearTimeout(t);
            ac.abort();
        };
    }, [query, coachId]);

    const go = (/** @type {LeadSearchRow} */ r) => {
        setOpen(false);
        setQuery('');
        route(leadHref(r.lead_id, coachId));
    };
    const onKey = (/** @type {KeyboardEvent} */ e) => {
        const n = rows?.length ?? 0;
        if (e.key === 'ArrowDown' && n) {
            e.preventDefault();
            setOpen(true);
            setActive((active + 1) % n);
        } else if (e.key === 'ArrowUp' && n) {
            e.preventDefault();
            setActive((active - 1 + n) % n);
        } else if (e.key === 'Enter' && rows && rows[Math.max(active, 0)]) {
            e.preventDefault();
            go(rows[Math.max(active, 0)]);
        } else if (e.key === 'Escape') {
            setOpen(false);
        }
    };
    const showList = open && (rows !== null || !!problem);
    return html`<div class="relative w-full sm:w-72" ref=${box} data-testid="lead-search">
        <label for=${`${id}-input`} class="sr-only">${LABEL}</label>
        <${SearchIcon} />
        <input id=${`${id}-input`} type="search" role="combobox" autocomplete="off" spellcheck=${false}
            placeholder="Rechercher un lead…" value=${query} data-testid="lead-search-input"
            aria-expanded=${showList} aria-controls=${showList ? `${id}-list` : undefined} aria-autocomplete="list"
            aria-activedescendant=${showList && active >= 0 ? `${id}-opt-${active}` : undefined}
            class=${INPUT_CLASS}
            onInput=${(/** @type {InputEvent} */ e) => { setQuery(/** @type {HTMLInputElement} */ (e.currentTarget).value); setOpen(true); }}
            onFocus=${() => setOpen(true)} onKeyDown=${onKey} />
        ${showList && html`<div class="absolute inset-x-0 top-full z-40 mt-1 overflow-hidden rounded-lg border border-white/20 bg-slate-900 shadow-2xl">
            ${problem
                ? html`<p role="alert" class="px-3 py-2 text-sm text-red-200">${problem}</p>`
                : rows && rows.length === 0
                  ? html`<p class="px-3 py-2 text-sm text-white/80" data-testid="lead-search-empty">Aucun lead ne correspond à « ${query.trim()} ».</p>`
                  : null}
            <ul id=${`${id}-list`} role="listbox" aria-label="Leads trouvés" class="max-h-80 overflow-y-auto" data-testid="lead-search-results">
                ${(rows ?? []).map((r, i) => html`<li key=${r.lead_id} id=${`${id}-opt-${i}`} role="option" aria-selected=${i === active}
                    data-lead=${r.lead_id} class=${`cursor-pointer px-3 py-2 text-sm hover:bg-white/10 ${i === active ? 'bg-white/15' : ''}`}
                    onPointerDown=${(/** @type {PointerEvent} */ e) => e.preventDefault()} onClick=${() => go(r)}>
                    <span class="block font-semibold text-white">${who(r)}</span>
                    <span class="block text-xs text-white/80">${[r.instagram_username && `@${r.instagram_username}`, r.email, statusLabel(r.status)]
                        .filter(Boolean).join(' · ')}</span>
                </li>`)}
            </ul>
        </div>`}
    </div>`;
}
